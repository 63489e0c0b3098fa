from . import test_demo_company
from . import test_login_tour
from . import test_captcha
