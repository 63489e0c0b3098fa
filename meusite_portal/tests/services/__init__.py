from . import test_meusite_service_billing
from . import test_meusite_service_billing_entries
from . import test_meusite_service_suspension
from . import test_meusite_service_concurrency
from . import test_portal_services
from . import test_service_cancellation
from . import test_service_plan_change
from . import test_meusite_service_billing_pdf
