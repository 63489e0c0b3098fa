from . import test_portal_home
from . import test_panel_tour
