from . import test_departments
from . import test_assignment
from . import test_attachments
from . import test_ticket_code
from . import test_panel
from . import test_portal
from . import test_ticket_tour
from . import test_private_api
