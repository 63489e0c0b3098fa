from . import test_demo_company
from . import test_login_tour
from . import test_meusite_service_billing
from . import test_meusite_service_suspension
from . import test_meusite_service_concurrency
from . import test_portal_services
