def migrate(cr, version):
    """Issued invoices get their access token now, not at a customer's first page view."""
    cr.execute(
        """UPDATE account_move SET access_token = gen_random_uuid()::text
            WHERE access_token IS NULL AND state = 'posted'
              AND move_type IN ('out_invoice', 'out_refund', 'out_receipt')"""
    )
