from . import test_invoice_pdf_boleto
from . import test_hooks
from . import test_hostile_values
from . import test_portuguese_pages
from . import test_nfse_walk
from . import test_manual_walk
