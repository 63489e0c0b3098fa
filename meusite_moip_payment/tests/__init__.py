from . import test_payment_provider
from . import test_payment_transaction
from . import test_webhook
from . import test_moip_double
from . import test_moip_contract
from . import test_boleto_tour
from . import test_private_api
from . import test_invoice_pdf_boleto
