from . import test_meusite_service_order
from . import test_portal_order
from . import test_order_tour
