# PagBank Orders API facts the provider relies on (/work/shared/reference/pagbank-orders.md).
# Data only, no logic.

API_URLS = {
    "enabled": "https://api.pagseguro.com",
    "test": "https://sandbox.api.pagseguro.com",
}

SUPPORTED_CURRENCIES = ("BRL",)

DEFAULT_PAYMENT_METHOD_CODES = {"boleto", "pix"}

# Seconds: (connect, read).
REQUEST_TIMEOUT = (5, 20)

# 40004 (rate limit, answered with HTTP 400) and 5xx are retried after these pauses (seconds);
# every POST carries an idempotency key, so a retry cannot create a second order.
RETRY_DELAYS = (0.5, 1.5, 3.0)

WEBHOOK_ROUTE = "/payment/pagbank/webhook"
PAYMENT_PAGE_ROUTE = "/payment/pagbank/pay"
# The salt of the payment page's link token (changing it voids the links already sent).
PAGE_TOKEN_SCOPE = "meusite_pagbank_payment"

# Minimum amounts (centavos): boleto R$0,20; PIX R$1,00 (reported by a user, unconfirmed).
MINIMUM_AMOUNT = {"boleto": 20, "pix": 100}

# Documented limits of what we send.
LIMITS = {
    "reference_id": 64,
    "customer_name": 120,
    "item_name": 64,
    "description": 64,
    "holder_name": 30,
    "instruction_line": 75,
    "street": 160,
    "number": 20,
    "complement": 40,
    "locality": 60,
    "city": 90,
    "email_min": 10,
    "email_max": 255,
    "fine": 9999,
    "interest": 5999,
}

# What an order's charges add up to, ranked: notifications arrive in any order and a status
# never replaces one of a higher rank (a late WAITING cannot move a paid order back). Refunds
# show as amount.summary.refunded (PagBank has no REFUNDED status): ranked above PAID.
STATUS_RANK = {
    "WAITING": 1,
    "DECLINED": 2,
    "CANCELED": 2,
    "PAID": 5,
    "REFUNDED": 7,
}

# Waiting orders are read back when no notification came for this long (minutes): a PIX is
# paid in seconds, so polling comes sooner than for Moip's boletos.
POLLING_DELAY_MINUTES = 15

# Where "Meus Dados" names each field PagBank may refuse (parameter_name, last segments).
FIELD_LABELS = {
    "tax_id": "CPF/CNPJ",
    "email": "e-mail",
    "name": "name",
    "phones": "phone",
    "street": "street",
    "number": "street number",
    "complement": "complement",
    "locality": "district (bairro)",
    "city": "city",
    "region": "state",
    "region_code": "state",
    "postal_code": "ZIP code (CEP)",
}
