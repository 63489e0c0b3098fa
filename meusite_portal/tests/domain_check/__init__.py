from . import test_domain_check
from . import test_demo_rdap
