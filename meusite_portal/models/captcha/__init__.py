from . import meusite_captcha
from . import meusite_rate_limit
