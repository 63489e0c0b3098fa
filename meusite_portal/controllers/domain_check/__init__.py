from . import domain_check
