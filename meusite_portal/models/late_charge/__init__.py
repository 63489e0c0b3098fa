from . import account_move
from . import payment_transaction
