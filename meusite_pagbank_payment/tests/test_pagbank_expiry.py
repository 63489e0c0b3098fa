"""A waiting boleto that expires unpaid, by the 15-minute polling cron: cancelled at PagBank
where its API allows it (a ``CHARGE.CANCEL`` link), otherwise here only, and a payment made
at the last moment still applied (ref. pagbank-orders.md §4, §5, §8)."""

from datetime import timedelta

from odoo import fields
from odoo.tests import tagged
from odoo.tools import mute_logger

from odoo.addons.meusite_pagbank_payment.tests.common import MUTE, PagbankCase


@tagged("post_install", "-at_install")
class TestPagbankExpiry(PagbankCase):

    def _issue_boleto(self):
        tx, _page = self.pay_invoice(self.boleto)
        self.assertEqual(tx.state, "pending", tx.state_message)
        self.double.configure(notify=False)
        return tx

    def _expire(self, tx):
        grace = self.provider.moip_boleto_grace_days
        today = fields.Date.context_today(self.env.user)  # the cron's own "today"
        tx.write({
            "last_state_change": fields.Datetime.now() - timedelta(hours=1),
            "pagbank_due_date": today - timedelta(days=grace + 1),
        })
        with mute_logger(*MUTE):
            self.env["payment.transaction"]._cron_pagbank_poll()

    def _cancels(self, tx):
        return [r for r in self.double.state.requests
                if r[:2] == ("POST", f"/charges/{tx.pagbank_charge_id}/cancel")]

    def test_boleto_not_yet_expired_stays_pending(self):
        tx = self._issue_boleto()
        tx.last_state_change = fields.Datetime.now() - timedelta(hours=1)
        self.env["payment.transaction"]._cron_pagbank_poll()
        self.assertEqual(tx.state, "pending")
        self.assertFalse(self._cancels(tx))

    def test_expired_boleto_without_a_cancel_link_is_cancelled_here_and_paid_late(self):
        # What the reference documents: a waiting boleto offers no CHARGE.CANCEL (PagBank
        # refuses its cancel), so nothing is asked of PagBank and the boleto is let expire.
        tx = self._issue_boleto()
        self._expire(tx)
        self.assertEqual(tx.state, "cancel")
        self.assertIn("expired unpaid", tx.state_message)
        self.assertFalse(self._cancels(tx))
        self.assertEqual(tx.pagbank_status, "WAITING")
        self.assertTrue(self.invoice._has_to_be_paid())
        # Paid at the bank on its last day: the daily check of what we cancelled applies it.
        self.double.pay(tx.pagbank_order_id)
        self.env["payment.transaction"]._cron_pagbank_poll_cancelled()
        self.run_post_processing()
        self.assertEqual(tx.state, "done")
        self.assertPaid(self.invoice)
        self.assertEqual(len(self.payments_of(tx)), 1)

    def test_expired_boleto_is_cancelled_at_pagbank_where_it_allows(self):
        self.double.configure(cancel_waiting=True)
        tx = self._issue_boleto()
        self._expire(tx)
        cancels = self._cancels(tx)
        self.assertEqual(len(cancels), 1)
        self.assertTrue(cancels[0][2], "the cancel carries an idempotency key")
        charge = self.double.order(tx.pagbank_order_id)["charges"][0]
        self.assertEqual(charge["status"], "CANCELED")
        self.assertEqual(tx.state, "cancel")
        self.assertEqual(tx.pagbank_status, "CANCELED")
        self.assertIn("cancelled at PagBank", tx.state_message)
        self.assertTrue(self.invoice._has_to_be_paid())
        # Nothing left to watch: PagBank will not take a payment of that boleto any more.
        reads = len(self.order_reads(tx))
        self.env["payment.transaction"]._cron_pagbank_poll_cancelled()
        self.assertEqual(len(self.order_reads(tx)), reads)

    def test_cancel_refused_by_pagbank_cancels_here_only(self):
        self.double.configure(cancel_waiting=True, refund_unavailable=1)
        tx = self._issue_boleto()
        self._expire(tx)
        self.assertEqual(len(self._cancels(tx)), 1)
        self.assertEqual(tx.state, "cancel")
        self.assertIn("40008", tx.state_message)
        self.assertEqual(tx.pagbank_status, "WAITING")
        self.assertEqual(self.double.order(tx.pagbank_order_id)["charges"][0]["status"],
                         "WAITING")
        # Still watched: paid after all, it is applied.
        self.double.pay(tx.pagbank_order_id)
        self.env["payment.transaction"]._cron_pagbank_poll_cancelled()
        self.run_post_processing()
        self.assertEqual(tx.state, "done")
        self.assertPaid(self.invoice)

    def test_pagbank_unreachable_leaves_it_for_the_next_run(self):
        self.double.configure(cancel_waiting=True)
        tx = self._issue_boleto()
        self.double.configure(fail_5xx=-1)
        with mute_logger(*MUTE):
            self._expire(tx)
        self.assertEqual(tx.state, "pending")
        self.double.configure(fail_5xx=0)
        self._expire(tx)
        self.assertEqual(tx.state, "cancel")
        self.assertEqual(tx.pagbank_status, "CANCELED")
