from . import test_demo_company
from . import test_login_tour
from . import test_invoice_status
from . import test_pay_invoices
