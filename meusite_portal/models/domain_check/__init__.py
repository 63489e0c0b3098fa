from . import meusite_domain_check
