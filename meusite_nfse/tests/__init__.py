from . import test_sefin_double
from . import test_issue
from . import test_portal
from . import test_two_servers
