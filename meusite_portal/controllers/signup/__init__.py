from . import portal_account
from . import signup
from . import login
from . import cep
