from . import captcha
from . import portal_invoices
from . import portal_services
from . import portal_home
from . import portal_account
from . import signup
from . import domain_check
from . import login
