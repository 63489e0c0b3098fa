from . import test_demo_company
from . import test_login_tour
from . import test_invoice_status
from . import test_pay_invoices
from . import test_pix_brcode
from . import test_bank_transfer
from . import test_invoices_list
from . import test_invoices_tour
