from . import test_demo_company
from . import test_login_tour
from . import test_captcha
from . import test_domain_check
from . import test_signup
from . import test_portal_home
from . import test_portal_account
from . import test_panel_tour
