
from . import meusite_captcha
from . import res_partner
from . import meusite_domain_check
