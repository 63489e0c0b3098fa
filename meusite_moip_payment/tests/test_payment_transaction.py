from datetime import timedelta

from odoo import Command, fields
from odoo.exceptions import ValidationError
from odoo.tests import TransactionCase, tagged
from odoo.tools import mute_logger

from odoo.addons.meusite_moip_payment.models.payment_provider import MoipUnavailableError
from odoo.addons.meusite_moip_payment.tests.common import (
    LINE_CODE,
    ORDER_ID,
    PAYMENT_ID,
    MoipCommon,
    notification,
    order_answer,
    payment_answer,
)

MUTE = "odoo.addons.meusite_moip_payment.models.payment_transaction"


@tagged("post_install", "-at_install")
class TestMoipBoleto(MoipCommon, TransactionCase):
    """Pressing "Pay now" with Boleto (Moip)."""

    def _answers(self, tx):
        return {
            ("POST", "/orders"): order_answer(tx.reference),
            ("POST", f"/orders/{ORDER_ID}/payments"): payment_answer(),
        }

    def test_boleto_is_issued_once_with_order_and_payment(self):
        tx = self._create_tx()
        with self.mock_moip(self._answers(tx)) as calls:
            processing_values = tx._get_processing_values()
        self.assertEqual([c[:2] for c in calls], [
            ("POST", "/orders"), ("POST", f"/orders/{ORDER_ID}/payments"),
        ])
        order = calls[0][2]
        self.assertEqual(order["ownId"], tx.reference)
        self.assertEqual(order["items"][0]["price"], 15890)
        self.assertIn("Mensalidade Meu Site Expresso", order["items"][0]["product"])
        self.assertEqual(order["customer"]["taxDocument"], {"type": "CPF", "number": "52998224725"})
        self.assertEqual(order["customer"]["shippingAddress"]["zipCode"], "30130151")
        address = order["customer"]["shippingAddress"]
        self.assertEqual(address["street"], "Rua Pernambuco")
        self.assertEqual(address["streetNumber"], "880")
        # The bairro goes to district; the complement stays the complement.
        self.assertEqual(address["district"], "Savassi")
        self.assertEqual(address["complement"], "Apto 302")
        self.assertEqual(order["customer"]["phone"]["areaCode"], "31")
        boleto = calls[1][2]["fundingInstrument"]["boleto"]
        self.assertEqual(calls[1][2]["fundingInstrument"]["method"], "BOLETO")
        self.assertEqual(
            boleto["expirationDate"],
            (fields.Date.context_today(tx) + timedelta(days=3)).isoformat(),
        )
        self.assertTrue(boleto["instructionLines"]["first"])

        self.assertEqual(tx.state, "pending")
        self.assertEqual((tx.moip_order_id, tx.moip_payment_id), (ORDER_ID, PAYMENT_ID))
        self.assertEqual(tx.moip_line_code, LINE_CODE)
        self.assertTrue(tx.moip_print_url.endswith("/print"))
        self.assertTrue(tx.moip_due_date)
        mail = self.env["mail.mail"].search(
            [("model", "=", "account.move"), ("res_id", "=", self.invoice.id),
             ("recipient_ids", "in", self.customer.ids)]
        )
        self.assertEqual(len(mail), 1, "the boleto goes out by e-mail")
        self.assertIn(LINE_CODE, mail.body_html)
        self.assertIn("Imprimir boleto", mail.body_html)
        # The customer reads Portuguese: "Seu boleto de R$ 158,90".
        self.assertIn("Seu boleto de R$", mail.subject)
        self.assertIn("158,90", mail.subject)
        html = processing_values["redirect_form_html"]
        self.assertIn("/payment/moip/boleto", html)
        self.assertIn(tx.reference, html)
        self.assertIn(tx._moip_access_token(), html)

    def test_one_boleto_email_for_several_invoices(self):
        second = self._create_invoice(self.customer, amount=59.90)
        invoices = self.invoice | second
        tx = self._create_tx(invoice=self.invoice, amount=sum(invoices.mapped("amount_residual")),
                             invoice_ids=[Command.set(invoices.ids)])
        with self.mock_moip(self._answers(tx)):
            tx._get_processing_values()
        mails = self.env["mail.mail"].search(
            [("model", "=", "account.move"), ("res_id", "in", invoices.ids),
             ("recipient_ids", "in", self.customer.ids)]
        )
        self.assertEqual(len(mails), 1, "one boleto pays both invoices: one e-mail")
        self.assertIn(LINE_CODE, mails.body_html)
        # Both invoices named, the boleto's total in the subject.
        self.assertIn(self.invoice.name, mails.body_html)
        self.assertIn(second.name, mails.body_html)
        self.assertIn("218,80", mails.subject)

    def test_one_boleto_pays_several_invoices(self):
        # The portal's "pay several invoices" builds one transaction with all of them.
        second = self._create_invoice(self.customer, amount=89.90)
        invoices = self.invoice | second
        tx = self.env["payment.transaction"].create({
            "provider_id": self.provider.id,
            "payment_method_id": self.boleto.id,
            "amount": 248.80,
            "currency_id": self.brl.id,
            "partner_id": self.customer.id,
            "invoice_ids": [Command.set(invoices.ids)],
            "reference": "BATCH-MOIP-0001",
            "operation": "online_redirect",
        })
        answers = {
            ("POST", "/orders"): order_answer(tx.reference, total=24880),
            ("POST", f"/orders/{ORDER_ID}/payments"): payment_answer(total=24880),
        }
        with self.mock_moip(answers) as calls:
            tx._get_processing_values()
        self.assertEqual([i["price"] for i in calls[0][2]["items"]], [15890, 8990])
        with self.mock_moip({("GET", f"/payments/{PAYMENT_ID}"): payment_answer(
            "AUTHORIZED", total=24880
        )}):
            self.env["payment.transaction"]._handle_notification_data("moip", notification())
        self._run_post_processing()
        self.assertEqual(set(invoices.mapped("payment_state")) - {"paid", "in_payment"}, set())

    def test_second_press_reuses_the_pending_boleto(self):
        first = self._create_tx()
        with self.mock_moip(self._answers(first)):
            first._get_processing_values()
        second = self._create_tx()
        with self.mock_moip({}) as calls:
            html = second._get_processing_values()["redirect_form_html"]
        self.assertFalse(calls, "a second Moip order was created")
        self.assertEqual(first.state, "pending")
        self.assertEqual(second.state, "cancel")
        self.assertIn(first.reference, html)
        self.assertFalse(self.invoice._has_to_be_paid())

    def test_expired_boleto_is_not_reused(self):
        first = self._pending_tx()
        first.moip_due_date = fields.Date.context_today(self.env.user) - timedelta(days=1)
        second = self._create_tx()
        with self.mock_moip(self._answers(second)) as calls:
            second._get_processing_values()
        self.assertEqual(len(calls), 2)
        self.assertEqual(second.state, "pending")

    def test_customer_without_cpf_or_address_is_sent_to_meus_dados(self):
        self.customer.write({"vat": False, "street_name": False, "street_number": False,
                             "street_number2": False})
        tx = self._create_tx()
        with self.mock_moip({}) as calls:
            html = tx._get_processing_values()["redirect_form_html"]
        self.assertFalse(calls, "customer data must be checked before talking to Moip")
        self.assertEqual(tx.state, "error")
        self.assertIn("Meus Dados", tx.state_message)
        self.assertIn("CPF", tx.state_message)
        self.assertIn("/payment/moip/boleto", html)
        self.assertTrue(self.invoice._has_to_be_paid())

    def test_customer_message_is_in_portuguese(self):
        self.customer.write({"vat": False, "email": "joana.campos"})
        tx = self._create_tx().with_context(lang="pt_BR")
        with self.mock_moip({}):
            tx._get_processing_values()
        self.assertIn("complete seus dados", tx.state_message)
        self.assertIn("um e-mail válido", tx.state_message)

    def _sent_customer(self, **partner_values):
        """What Moip receives for the customer once these details are saved."""
        self.customer.write(partner_values)
        # A new invoice each time: the same one would reuse its pending boleto.
        tx = self._create_tx(invoice=self._create_invoice(self.customer))
        with self.mock_moip(self._answers(tx)) as calls:
            tx._get_processing_values()
        self.assertEqual(tx.state, "pending", tx.state_message)
        return calls[0][2]["customer"]

    def _refused(self, **partner_values):
        """The message the customer reads; Moip is not called."""
        self.customer.write(partner_values)
        tx = self._create_tx()
        with self.mock_moip({}) as calls:
            tx._get_processing_values()
        self.assertFalse(calls, "nothing is sent that Moip would refuse")
        self.assertEqual(tx.state, "error")
        self.assertIn("Meus Dados", tx.state_message)
        self.assertTrue(self.invoice._has_to_be_paid())
        return tx.state_message

    def test_first_valid_email_of_several_is_sent(self):
        customer = self._sent_customer(
            email="joana.campos@example.com, financeiro@empresa-da-joana.com.br")
        self.assertEqual(customer["email"], "joana.campos@example.com")
        customer = self._sent_customer(email="Joana <joana@example.org>, outra@example.org")
        self.assertEqual(customer["email"], "joana@example.org")

    def test_email_moip_would_refuse_is_asked_for(self):
        self.assertIn("a valid e-mail address", self._refused(email="joana.campos(at)example"))
        self.assertIn("a valid e-mail address", self._refused(email=False))
        self.assertIn("at most 45 characters",
                      self._refused(email="joana.ribeiro.campos.da.silva@empresa-exemplo.com.br"))

    def test_street_number_is_sent_as_digits(self):
        for number, sent, complement in (
            ("880", "880", "Apto 302"),
            ("880A", "880", "A - Apto 302"),
            ("s/n", "0", "S/N - Apto 302"),
            ("S/N", "0", "S/N - Apto 302"),
            ("", "0", "S/N - Apto 302"),
            ("Km 12", "0", "Km 12 - Apto 302"),
        ):
            with self.subTest(number=number):
                address = self._sent_customer(street_number=number)["shippingAddress"]
                self.assertEqual(address["streetNumber"], sent)
                self.assertEqual(address["complement"], complement)
                self.assertEqual(address["street"], "Rua Pernambuco")

    def test_street_typed_in_one_line_by_staff(self):
        # Staff may type the whole street in `street`: base_address_extended splits it.
        address = self._sent_customer(street="Rua Pernambuco, 880 - Apto 302")["shippingAddress"]
        self.assertEqual(
            (address["street"], address["streetNumber"], address["complement"]),
            ("Rua Pernambuco", "880", "Apto 302"))

    def test_street_number_too_long_is_asked_for(self):
        message = self._refused(street_number="12345678901")
        self.assertIn("street number", message)

    def test_long_texts_are_cut_to_moip_limits(self):
        customer = self._sent_customer(
            name="Joana " + "Ribeiro " * 12 + "Campos",
            street_name="Avenida Presidente Juscelino Kubitschek de Oliveira",
            street_number="1830",
            city="Vila Bela da Santíssima Trindade do Mato Grosso",
            street2="Jardim Residencial Parque das Flores Estrela D'Alva II",
            street_number2="Bloco B, Torre Norte, Conjunto 1204, entrada pela rua lateral",
        )
        address = customer["shippingAddress"]
        self.assertLessEqual(len(customer["fullname"]), 90)
        self.assertTrue(customer["fullname"].startswith("Joana Ribeiro"))
        for key, limit in (("street", 45), ("complement", 45), ("district", 45), ("city", 32)):
            self.assertLessEqual(len(address[key]), limit, key)
            self.assertTrue(address[key], key)
        self.assertEqual(address["street"], "Avenida Presidente Juscelino Kubitschek de Ol")
        self.assertEqual(address["streetNumber"], "1830")

    def test_missing_bairro_is_asked_for(self):
        self.assertIn("district (bairro)", self._refused(street2=False))

    @mute_logger(MUTE)
    def test_moip_down_leaves_the_invoice_payable(self):
        tx = self._create_tx()
        answers = {("POST", "/orders"): MoipUnavailableError("Moip: try again later")}
        with self.mock_moip(answers):
            tx._get_processing_values()
        self.assertEqual(tx.state, "error")
        self.assertEqual(tx.state_message, "Moip: try again later")
        self.assertFalse(tx.moip_order_id)
        self.assertTrue(self.invoice._has_to_be_paid())

    def test_refused_payment_keeps_the_order_and_creates_no_duplicate(self):
        tx = self._create_tx()
        answers = {
            ("POST", "/orders"): order_answer(tx.reference),
            ("POST", f"/orders/{ORDER_ID}/payments"): ValidationError("Moip: recusado"),
        }
        with self.mock_moip(answers):
            tx._get_processing_values()
        self.assertEqual(tx.state, "error")
        self.assertEqual(tx.moip_order_id, ORDER_ID)
        self.assertFalse(tx.moip_payment_id)
        self.assertTrue(self.invoice._has_to_be_paid())


    def test_links_in_an_answer_are_web_addresses_only(self):
        # The boleto page and e-mail render these as href: nothing but http(s) is kept.
        tx = self._create_tx()
        answer = payment_answer()
        answer["_links"]["payBoleto"]["printHref"] = "javascript:alert(document.cookie)"
        answer["_links"]["payBoleto"]["redirectHref"] = "data:text/html,<script>x</script>"
        tx._moip_store_payment(answer)
        self.assertFalse(tx.moip_print_url)
        self.assertFalse(tx.moip_boleto_url)


    def test_boleto_of_an_overdue_invoice_states_its_late_charge(self):
        # The client area charges multa and juros on an overdue invoice (the amount is the
        # server's): the "2ª via atualizada" says so in its instruction lines.
        tx = self._create_tx(amount=self.invoice.amount_residual + 3.71)
        lines = tx.with_context(lang="pt_BR")._moip_prepare_payment_payload()[
            "fundingInstrument"]["boleto"]["instructionLines"]
        self.assertIn("2ª via atualizada", lines["third"])
        self.assertIn("3,71", lines["third"])
        on_time = self._create_tx()._moip_prepare_payment_payload()
        self.assertNotIn("multa", str(on_time["fundingInstrument"]["boleto"]["instructionLines"]))


@tagged("post_install", "-at_install")
class TestMoipNotifications(MoipCommon, TransactionCase):
    """Applying what Moip reports, always read back from GET /v2/payments/{id}."""

    def _notify(self, data, verified=None):
        """Deliver a notification; `verified` is what GET /v2/payments/{id} answers, if asked."""
        answers = {("GET", f"/payments/{PAYMENT_ID}"): verified} if verified else {}
        with self.mock_moip(answers) as calls:
            tx = self.env["payment.transaction"]._handle_notification_data("moip", data)
        if verified:
            self.assertEqual(calls[0][:2], ("GET", f"/payments/{PAYMENT_ID}"))
        return tx

    def test_authorized_pays_and_reconciles_the_invoice(self):
        tx = self._pending_tx()
        cron = self.env.ref("payment.cron_post_process_payment_tx")
        triggers = self.env["ir.cron.trigger"].search_count([("cron_id", "=", cron.id)])
        found = self._notify(notification(), payment_answer("AUTHORIZED"))
        self.assertEqual(found, tx)
        self.assertEqual(tx.state, "done")
        # Odoo's post-processing cron is woken up to reconcile now.
        self.assertEqual(
            self.env["ir.cron.trigger"].search_count([("cron_id", "=", cron.id)]), triggers + 1
        )
        self._run_post_processing()
        self.assertTrue(tx.payment_id)
        self.assertIn(self.invoice.payment_state, ("paid", "in_payment"))

    def test_invoice_notes_the_confirmation_once_with_the_payment(self):
        tx = self._pending_tx()

        def notes():
            return self.invoice.message_ids.filtered(
                lambda m: tx.reference in (m.body or "") and "Moip" in (m.body or "")
            )

        before = notes()
        self._notify(notification(), payment_answer("AUTHORIZED"))
        self._notify(notification())
        self._notify(notification("PAYMENT.SETTLED"), payment_answer("SETTLED"))
        self.assertEqual(notes(), before, "noted by the post-processing, not by each webhook")
        self._run_post_processing()
        self.assertEqual(len(notes() - before), 1)
        self.assertTrue(tx.is_post_processed)
        self._run_post_processing()
        self.assertEqual(len(notes() - before), 1)

    def test_body_status_is_not_trusted(self):
        tx = self._pending_tx()
        self._notify(notification("PAYMENT.AUTHORIZED"), payment_answer("WAITING"))
        self.assertEqual(tx.state, "pending")
        self.assertEqual(self.invoice.payment_state, "not_paid")

    def test_duplicate_notification_changes_nothing(self):
        tx = self._pending_tx()
        self._notify(notification(), payment_answer("AUTHORIZED"))
        self._run_post_processing()
        payment = tx.payment_id
        self.assertTrue(payment)
        self._notify(notification())  # nothing to verify: it cannot change anything
        self._notify(notification("PAYMENT.SETTLED"), payment_answer("SETTLED"))
        self._run_post_processing()
        self.assertEqual(tx.moip_status, "SETTLED")
        self.assertEqual(tx.state, "done")
        self.assertEqual(tx.payment_id, payment)
        self.assertEqual(
            self.env["account.payment"].search_count([("payment_transaction_id", "=", tx.id)]), 1
        )

    def test_late_waiting_never_moves_a_paid_boleto_back(self):
        tx = self._pending_tx()
        self._notify(notification(), payment_answer("AUTHORIZED"))
        self._notify(notification("PAYMENT.WAITING"))
        self.assertEqual(tx.state, "done")
        self.assertEqual(tx.moip_status, "AUTHORIZED")
        # An expiry cannot follow a payment either.
        self._notify(notification("PAYMENT.CANCELLED"))
        self.assertEqual(tx.state, "done")

    def test_late_waiting_read_back_from_moip_is_ignored_too(self):
        # A lagging Moip read (or a forged claim) answering WAITING after the payment.
        tx = self._pending_tx()
        self._notify(notification(), payment_answer("AUTHORIZED"))
        self._notify(notification("PAYMENT.SETTLED"), payment_answer("WAITING"))
        self.assertEqual(tx.state, "done")
        self.assertEqual(tx.moip_status, "AUTHORIZED")

    @mute_logger(MUTE)
    def test_amount_mismatch_is_an_error_with_an_activity(self):
        tx = self._pending_tx()
        self._notify(notification(total=1000), payment_answer("AUTHORIZED", total=1000))
        self._run_post_processing()
        self.assertEqual(tx.state, "error")
        self.assertEqual(self.invoice.payment_state, "not_paid")
        self.assertFalse(tx.payment_id)
        activities = self.invoice.activity_ids
        self.assertEqual(len(activities), 1)
        self.assertIn("1000", activities.note)
        # The same notification again, or the settlement, does not pile up activities.
        self._notify(notification(total=1000))
        self._notify(notification("PAYMENT.SETTLED", total=1000),
                     payment_answer("SETTLED", total=1000))
        self.assertEqual(len(self.invoice.activity_ids), 1)
        self.assertEqual(tx.state, "error")

    def test_expired_boleto_is_cancelled_and_invoice_stays_payable(self):
        tx = self._pending_tx()
        self._notify(notification("PAYMENT.CANCELLED"), payment_answer("CANCELLED"))
        self.assertEqual(tx.state, "cancel")
        self.assertTrue(self.invoice._has_to_be_paid())

    def test_refund_cancels_with_an_activity_for_finance(self):
        tx = self._pending_tx()
        self._notify(notification("PAYMENT.REFUNDED"), payment_answer("REFUNDED"))
        self.assertEqual(tx.state, "cancel")
        self.assertEqual(len(self.invoice.activity_ids), 1)

    def test_refund_after_payment_is_read_back_and_reported(self):
        tx = self._pending_tx()
        self._notify(notification(), payment_answer("AUTHORIZED"))
        self._notify(notification("PAYMENT.REFUNDED"), payment_answer("REFUNDED"))
        self.assertEqual(tx.moip_status, "REFUNDED")
        self.assertEqual(len(self.invoice.activity_ids), 1)
        self.assertIn("REFUNDED", self.invoice.activity_ids.note)

    def test_claimed_refund_that_moip_does_not_confirm_changes_nothing(self):
        # The body outranks what we know, so it is read back; Moip says it is still paid.
        tx = self._pending_tx()
        self._notify(notification(), payment_answer("AUTHORIZED"))
        self._notify(notification("PAYMENT.REVERSED"), payment_answer("AUTHORIZED"))
        self.assertEqual(tx.state, "done")
        self.assertEqual(tx.moip_status, "AUTHORIZED")
        self.assertFalse(self.invoice.activity_ids)

    def test_a_burst_of_payments_wakes_the_cron_once(self):
        cron = self.env.ref("payment.cron_post_process_payment_tx")
        self.env["ir.cron.trigger"].search([("cron_id", "=", cron.id)]).unlink()
        first = self._pending_tx()
        second = self._pending_tx(self._create_invoice(self.customer))
        second.moip_payment_id = "PAY-SECOND000000"
        self._notify(notification(), payment_answer("AUTHORIZED"))
        answers = {("GET", "/payments/PAY-SECOND000000"): payment_answer(
            "AUTHORIZED", payment_id="PAY-SECOND000000")}
        with self.mock_moip(answers):
            self.env["payment.transaction"]._handle_notification_data(
                "moip", notification(payment_id="PAY-SECOND000000"))
        self.assertEqual((first + second).mapped("state"), ["done", "done"])
        now = fields.Datetime.now()
        triggers = self.env["ir.cron.trigger"].search([("cron_id", "=", cron.id)])
        # The first payment wakes the cron worker now; the second, a second later, leaves a
        # trigger for the case where the run already woken started before it was committed.
        due = triggers.filtered(lambda t: t.call_at <= now)
        later = triggers - due
        self.assertEqual(len(due), 1)
        self.assertEqual(len(later), 1)
        self.assertGreaterEqual(later.call_at, now + timedelta(seconds=50))
        self._run_post_processing()
        self.assertTrue(first.payment_id)
        self.assertTrue(second.payment_id)

    def _cancelled_by_the_poll(self):
        tx = self._pending_tx()
        tx._set_canceled("The boleto expired unpaid.")
        self.assertEqual((tx.state, tx.moip_status), ("cancel", "WAITING"))
        return tx

    def test_payment_after_our_cancel_revives_and_pays_the_invoice(self):
        tx = self._cancelled_by_the_poll()
        self._notify(notification(), payment_answer("AUTHORIZED"))
        self.assertEqual(tx.state, "done")
        self._run_post_processing()
        self.assertIn(self.invoice.payment_state, ("paid", "in_payment"))
        self.assertFalse(self.invoice.activity_ids)

    def test_payment_after_the_invoice_was_paid_otherwise_is_a_credit_for_finance(self):
        tx = self._cancelled_by_the_poll()
        self.env["account.payment.register"].with_context(
            active_model="account.move", active_ids=self.invoice.ids
        ).create({})._create_payments()
        self._notify(notification(), payment_answer("AUTHORIZED"))
        self._notify(notification("PAYMENT.SETTLED"), payment_answer("SETTLED"))
        self._run_post_processing()
        self.assertEqual(tx.state, "done")
        receivable = tx.payment_id.move_id.line_ids.filtered(
            lambda line: line.account_id == tx.payment_id.destination_account_id
        )
        self.assertAlmostEqual(receivable.amount_residual, -158.90, msg="a customer credit")
        self.assertEqual(len(self.invoice.activity_ids), 1, "one activity, not one per event")
        self.assertIn("credit", self.invoice.activity_ids.note)

    @mute_logger(MUTE)
    def test_wrong_amount_after_our_cancel_still_reaches_finance(self):
        tx = self._cancelled_by_the_poll()
        self._notify(notification(total=1000), payment_answer("AUTHORIZED", total=1000))
        self.assertEqual(tx.state, "error")
        self.assertEqual(len(self.invoice.activity_ids), 1)

    def test_unknown_payment_is_refused(self):
        self._pending_tx()
        with self.mock_moip({}) as calls, self.assertRaises(ValidationError):
            self.env["payment.transaction"]._handle_notification_data(
                "moip", notification(payment_id="PAY-UNKNOWN00000")
            )
        self.assertFalse(calls)

    def test_payment_found_by_own_id_when_id_not_stored_yet(self):
        tx = self._create_tx()
        tx._set_pending()
        data = notification()
        data["resource"]["payment"]["ownId"] = tx.reference
        self._notify(data, payment_answer("AUTHORIZED"))
        self.assertEqual(tx.moip_payment_id, PAYMENT_ID)
        self.assertEqual(tx.state, "done")

    def test_moip_down_while_verifying_changes_nothing(self):
        tx = self._pending_tx()
        answers = {("GET", f"/payments/{PAYMENT_ID}"): MoipUnavailableError("down")}
        with self.mock_moip(answers), self.assertRaises(MoipUnavailableError):
            self.env["payment.transaction"]._handle_notification_data("moip", notification())
        self.assertEqual(tx.state, "pending")


@tagged("post_install", "-at_install")
class TestMoipPolling(MoipCommon, TransactionCase):
    """The hourly scheduled action: lost notifications and expired boletos."""

    def _age(self, tx, hours):
        tx.last_state_change = fields.Datetime.now() - timedelta(hours=hours)

    def test_old_pending_boleto_paid_without_notification_is_caught_up(self):
        old, recent = self._pending_tx(), self._pending_tx(self._create_invoice(self.customer))
        recent.moip_payment_id = "PAY-RECENT000000"
        self._age(old, 2)
        answers = {("GET", f"/payments/{PAYMENT_ID}"): payment_answer("AUTHORIZED")}
        with self.mock_moip(answers) as calls:
            self.env["payment.transaction"]._cron_moip_poll_pending()
        self.assertEqual([c[1] for c in calls], [f"/payments/{PAYMENT_ID}"])
        self.assertEqual(old.state, "done")
        self._run_post_processing()
        self.assertIn(self.invoice.payment_state, ("paid", "in_payment"))
        self.assertEqual(recent.state, "pending")

    def test_boleto_past_due_and_grace_is_cancelled(self):
        tx = self._pending_tx()
        self._age(tx, 24 * 10)
        tx.moip_due_date = fields.Date.context_today(self.env.user) - timedelta(days=4)
        answers = {("GET", f"/payments/{PAYMENT_ID}"): payment_answer("WAITING")}
        with self.mock_moip(answers):
            self.env["payment.transaction"]._cron_moip_poll_pending()
        self.assertEqual(tx.state, "cancel")
        self.assertTrue(self.invoice._has_to_be_paid())

    def test_boleto_within_grace_stays_pending(self):
        tx = self._pending_tx()
        self._age(tx, 24 * 5)
        tx.moip_due_date = fields.Date.context_today(self.env.user) - timedelta(days=2)
        answers = {("GET", f"/payments/{PAYMENT_ID}"): payment_answer("WAITING")}
        with self.mock_moip(answers):
            self.env["payment.transaction"]._cron_moip_poll_pending()
        self.assertEqual(tx.state, "pending")

    def test_cancelled_boleto_is_checked_for_late_payments_for_a_while(self):
        tx = self._pending_tx()
        tx.moip_due_date = fields.Date.context_today(self.env.user) - timedelta(days=10)
        tx._set_canceled("The boleto expired unpaid.")
        gone = self._pending_tx(self._create_invoice(self.customer))
        gone.moip_payment_id = "PAY-LONGGONE0000"
        gone.moip_due_date = fields.Date.context_today(self.env.user) - timedelta(days=31)
        gone._set_canceled("The boleto expired unpaid.")
        closed = self._pending_tx(self._create_invoice(self.customer))
        closed.write({"moip_payment_id": "PAY-CLOSED000000", "moip_status": "CANCELLED"})
        closed._set_canceled("The boleto expired unpaid.")
        answers = {("GET", f"/payments/{PAYMENT_ID}"): payment_answer("AUTHORIZED")}
        with self.mock_moip(answers) as calls:
            self.env["payment.transaction"]._cron_moip_poll_cancelled()
        # Only the one a bank may still pay (30 days after its due date by default).
        self.assertEqual([c[1] for c in calls], [f"/payments/{PAYMENT_ID}"])
        self.assertEqual(tx.state, "done")
        self._run_post_processing()
        self.assertIn(self.invoice.payment_state, ("paid", "in_payment"))
        self.assertEqual((gone.state, closed.state), ("cancel", "cancel"))

    def test_cancelled_boleto_still_unpaid_stays_cancelled(self):
        tx = self._pending_tx()
        tx._set_canceled("The boleto expired unpaid.")
        answers = {("GET", f"/payments/{PAYMENT_ID}"): payment_answer("WAITING")}
        with self.mock_moip(answers) as calls:
            self.env["payment.transaction"]._cron_moip_poll_cancelled()
        self.assertEqual(len(calls), 1)
        self.assertEqual(tx.state, "cancel")
        self.assertTrue(self.invoice._has_to_be_paid())

    @mute_logger(MUTE)
    def test_moip_down_during_polling_is_retried_next_time(self):
        tx = self._pending_tx()
        self._age(tx, 2)
        answers = {("GET", f"/payments/{PAYMENT_ID}"): MoipUnavailableError("down")}
        with self.mock_moip(answers):
            self.env["payment.transaction"]._cron_moip_poll_pending()
        self.assertEqual(tx.state, "pending")
