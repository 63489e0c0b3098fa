from . import test_departments
