from . import test_customer_mail_layout
