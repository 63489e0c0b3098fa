from . import account_move
from . import account_journal
from . import payment_transaction
from . import meusite_invoice_reminder
from . import account_move_send
from . import ir_actions_report
