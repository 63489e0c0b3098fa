from . import captcha
from . import portal_invoices

from . import portal_services
