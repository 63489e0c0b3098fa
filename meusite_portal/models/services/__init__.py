from . import meusite_service
from . import meusite_service_period
from . import meusite_service_cancellation
from . import meusite_service_plan_change
from . import res_partner
from . import account_move
