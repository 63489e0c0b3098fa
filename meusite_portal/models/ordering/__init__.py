from . import meusite_plan_price
from . import product_template
from . import meusite_service
