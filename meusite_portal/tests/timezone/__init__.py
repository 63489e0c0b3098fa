from . import test_company_tz
