
from . import meusite_captcha
from . import res_partner
