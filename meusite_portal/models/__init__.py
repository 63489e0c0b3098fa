from . import meusite_captcha
from . import res_partner
from . import account_move
from . import payment_provider
from . import payment_transaction
from . import meusite_service
from . import res_config_settings_service
from . import meusite_domain_check
