# Moip API v2 facts the provider relies on. Data only, no logic.

API_URLS = {
    "enabled": "https://api.moip.com.br/v2",
    "test": "https://sandbox.moip.com.br/v2",
}

SUPPORTED_CURRENCIES = ("BRL",)

DEFAULT_PAYMENT_METHOD_CODES = {"boleto"}

# Seconds: (connect, read). Moip is sometimes slow; the customer waits for the answer.
REQUEST_TIMEOUT = (5, 20)

WEBHOOK_ROUTE = "/payment/moip/webhook"
# The salt of the payment page's link token (changing it voids the links already sent).
PAGE_TOKEN_SCOPE = "meusite_moip_boleto"
WEBHOOK_EVENTS = ["PAYMENT.*"]

# Moip payment statuses grouped by the Odoo transaction state they lead to.
STATUS_MAPPING = {
    "pending": ("CREATED", "WAITING", "IN_ANALYSIS", "PRE_AUTHORIZED"),
    "done": ("AUTHORIZED", "SETTLED"),
    "cancel": ("CANCELLED",),
    "refunded": ("REFUNDED", "REVERSED"),
}

# Notifications arrive in any order: a status never replaces one of a higher rank, so a late
# WAITING cannot move a paid boleto back. A paid boleto cannot expire, hence CANCELLED
# ranks below AUTHORIZED; only a refund or a chargeback follows a payment.
STATUS_RANK = {
    "CREATED": 0,
    "WAITING": 1,
    "IN_ANALYSIS": 2,
    "PRE_AUTHORIZED": 3,
    "CANCELLED": 4,
    "AUTHORIZED": 5,
    "SETTLED": 6,
    "REFUNDED": 7,
    "REVERSED": 7,
}

# Waking Odoo's post-processing cron costs a new PostgreSQL connection (Odoo notifies the cron
# worker through the "postgres" database). Within this many seconds of a wake-up, a payment
# only leaves a trigger due CRON_CATCH_UP_DELAY seconds later: the cron run already woken
# picks it up if it starts after the payment is committed, the trigger otherwise.
CRON_WAKE_UP_WINDOW = 2
CRON_CATCH_UP_DELAY = 60

# Pending transactions are polled when no notification came for this long (hours).
POLLING_DELAY_HOURS = 1


# Moip's documented maximum lengths of what we send (customer and order).
MOIP_LIMITS = {
    "ownId": 45,
    "product": 250,
    "fullname": 90,
    "email": 45,
    "street": 45,
    "streetNumber": 10,
    "complement": 45,
    "district": 45,
    "city": 32,
}
