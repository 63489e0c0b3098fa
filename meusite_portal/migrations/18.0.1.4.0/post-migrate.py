"""Every document billing a service names it (``account.move.meusite_service_ids``).

Before 18.0.1.4.0 only the billed periods linked an invoice to its services, so a plan
change's difference never suspended anything. The link is filled for what was issued
before: the invoices of the billed periods (period and order invoices), and a plan change's
invoice or credit note (no billed period; its origin is the service's name, for the same
customer). Late-charge invoices were paid by the payment that booked them: left unlinked.
"""

import logging

_logger = logging.getLogger(__name__)


def migrate(cr, version):
    if not version:
        return
    cr.execute("""
        INSERT INTO account_move_meusite_service_rel (move_id, service_id)
        SELECT DISTINCT move_id, service_id FROM meusite_service_period
        ON CONFLICT DO NOTHING
    """)
    periods = cr.rowcount
    cr.execute("""
        INSERT INTO account_move_meusite_service_rel (move_id, service_id)
        SELECT m.id, s.id
          FROM account_move m
          JOIN meusite_service s
            ON s.name = m.invoice_origin
           AND s.commercial_partner_id = m.commercial_partner_id
         WHERE m.move_type IN ('out_invoice', 'out_refund')
           AND NOT EXISTS (SELECT 1 FROM meusite_service_period p WHERE p.move_id = m.id)
        ON CONFLICT DO NOTHING
    """)
    _logger.info("Services billed: %s links from billed periods, %s from plan changes",
                 periods, cr.rowcount)
