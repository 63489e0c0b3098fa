from . import portal_home
