from . import captcha
from . import invoices
from . import services
from . import panel
from . import signup
from . import domain_check
from . import ordering
