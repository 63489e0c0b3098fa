from . import meusite_nfse_cancel
