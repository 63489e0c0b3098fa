from . import helpdesk_ticket_team
from . import helpdesk_ticket
from . import res_company
from . import res_config_settings
from . import res_partner
from . import ir_attachment
from . import meusite_service
from . import ir_binary
