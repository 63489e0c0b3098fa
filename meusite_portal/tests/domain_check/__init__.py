from . import test_domain_check
