# Moip API v2 facts the provider relies on. Data only, no logic.

API_URLS = {
    "enabled": "https://api.moip.com.br/v2",
    "test": "https://sandbox.moip.com.br/v2",
}

SUPPORTED_CURRENCIES = ("BRL",)

DEFAULT_PAYMENT_METHOD_CODES = {"boleto"}
