from . import portal_services
from . import portal_service_self_service
