
from . import meusite_service
from . import res_partner_service
from . import account_move_service
from . import res_config_settings_service
