from . import captcha
from . import portal_invoices
