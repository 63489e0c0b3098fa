from . import test_bank_transfer
from . import test_invoice_pix
from . import test_bank_account_migration
