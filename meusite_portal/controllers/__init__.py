
from . import portal_services
