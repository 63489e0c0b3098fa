from . import test_demo_company
from .panel import *  # noqa: F403
from .services import *  # noqa: F403
from .ordering import *  # noqa: F403
from .invoices import *  # noqa: F403
from .transfer import *  # noqa: F403
from .domain_check import *  # noqa: F403
from .captcha import *  # noqa: F403
from .signup import *  # noqa: F403
from . import test_private_api
from .timezone import *  # noqa: F403
from .brand import *  # noqa: F403
from . import test_routes_reviewed
from . import test_field_names_migration
from . import test_hooks
