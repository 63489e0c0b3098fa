from . import portal_invoices
