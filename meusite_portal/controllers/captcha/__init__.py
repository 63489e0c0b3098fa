from . import captcha
