
from . import meusite_captcha
