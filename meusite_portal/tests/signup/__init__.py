from . import test_login_tour
from . import test_signup
from . import test_visitor_language
from . import test_portal_account
from . import test_address_migration
from . import test_security_account_routes
from . import test_security_customer_rules
from . import test_security_mail_language
