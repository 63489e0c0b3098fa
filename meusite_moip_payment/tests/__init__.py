from . import test_payment_provider
