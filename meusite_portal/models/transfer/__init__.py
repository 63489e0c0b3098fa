from . import payment_provider
from . import res_partner_bank
