
from . import captcha
