from . import test_pix_brcode
from . import test_bank_transfer
