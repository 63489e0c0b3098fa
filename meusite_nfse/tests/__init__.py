from . import test_sefin_double
from . import test_issue
from . import test_portal
from . import test_two_servers
from . import test_ibscbs
from . import test_abroad
from . import test_mail
from . import test_private_api
