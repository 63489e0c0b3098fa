from . import test_captcha
