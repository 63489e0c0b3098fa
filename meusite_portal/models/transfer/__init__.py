from . import payment_provider
from . import res_partner_bank
from . import account_move
from . import payment_transaction
