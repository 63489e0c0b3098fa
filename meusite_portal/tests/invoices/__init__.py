from . import test_invoice_status
from . import test_pay_invoices
from . import test_invoices_list
from . import test_invoices_tour
from . import test_invoice_reminders
from . import test_late_charge
from . import test_security_payment_routes
from . import test_security_invoice_pdf
