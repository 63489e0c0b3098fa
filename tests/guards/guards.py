"""The guard list of ``make test-guards``: every security or money guard, the one-line
change that disables it, and the tests that must then fail.

``make test-guards`` (scripts/test-guards.sh, driver tests/guards/run.py) applies each
mutation below, one at a time, in a temporary copy of the repository (the working tree is
never touched), runs the guard's tests on the kept database and prints, per guard, *killed*
(a test failed: the guard is tested) or *SURVIVED* (every test passed without the guard:
nothing proves it works). It exits non-zero naming every survivor.

Adding a guard is one entry::

    Guard(
        "short-name",                        # unique; `make test-guards GUARDS=short-name`
        "addon/models/file.py",              # the file holding the guard, from the repo root
        find='''    if not allowed:\n''',      # exact text, present EXACTLY ONCE in that file
        replace='''    if False:\n''',        # the same text with the guard disabled
        tests="addon/tests/test_x.py::TestX::test_refused",  # pytest node ids, space-separated,
    ),                                       # optionally followed by -k EXPR

Rules of thumb:

* ``find`` must stay exact: when a refactor moves or rewrites the guard, the runner stops
  before running anything and names the entry to update (a list that silently skips a
  guard would prove nothing).
* Disable the guard the way a real regression would (drop the check, widen the domain,
  return early), not by breaking the code around it: a syntax error or a crash also fails
  tests and would prove nothing. The runner compiles a mutated Python file first.
* ``tests``: the few tests that attack the guard, ideally through the route a real attacker
  would use, and at least one that reaches a model-layer guard without our controller.
  Before the mutations, all selections run once unchanged and must pass.
* A Python mutation needs no upgrade (pytest-odoo loads the code of the copy). A mutation
  of XML/CSV data is upgraded into a throwaway copy of the kept database (automatic);
  one that changes the database schema from Python (``_sql_constraints``) says so with
  ``upgrade="the_addon"``.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Guard:
    name: str
    file: str
    find: str
    replace: str
    tests: str
    # Addons to upgrade (comma-separated) into a copy of the kept database before the tests;
    # "" = automatic (the file's addon for .xml/.csv files, nothing for Python).
    upgrade: str = ""


PAY_ROUTES = "meusite_portal/tests/invoices/test_security_payment_routes.py"
PAY_MODEL = "meusite_portal/tests/invoices/test_security_payment_model.py"
PAY_INVOICES = "meusite_portal/tests/invoices/test_pay_invoices.py::TestPayInvoices"
TX = "meusite_portal/models/invoices/payment_transaction.py"
ATTACH_MODEL = "meusite_helpdesk/models/ir_attachment.py"
TICKET_MODEL = "meusite_helpdesk/models/helpdesk_ticket.py"
MAIL_ROUTES = "meusite_helpdesk/tests/test_security_mail_routes.py::TestMailRoutesAttacks"
ATTACH_CHECKS = "meusite_helpdesk/tests/test_attachments.py::TestAttachmentChecks"
HELPDESK_PORTAL = "meusite_helpdesk/tests/test_portal.py::TestPortalTickets"
CAPTCHA = "meusite_portal/models/captcha/meusite_captcha.py"
CAPTCHA_TESTS = "meusite_portal/tests/captcha/test_captcha.py"
BILLING = "meusite_portal/models/services/meusite_service.py"
MOIP_CONTROLLER = "meusite_moip_payment/controllers/main.py"
MOIP_TESTS = "meusite_moip_payment/tests"

GUARDS = [
    # --- Amount and reference of a customer's payment (payment.transaction.create) ---------
    Guard(
        "payment-amount-owed",
        TX,
        find='''        if amount is None or not any(
            currency.compare_amounts(amount, value) == 0 for value in allowed
        ):
''',
        replace='''        if amount is None:
''',
        tests=f"{PAY_MODEL} {PAY_ROUTES} -k amount or owed or overdue or batch",
    ),
    Guard(
        "payment-reference-ours",
        TX,
        find='''        vals["reference"] = self._meusite_customer_reference(''',
        replace='''        vals["reference"] = vals.get("reference") or self._meusite_customer_reference(''',
        tests=f"{PAY_MODEL} {PAY_ROUTES} -k reference",
    ),
    Guard(
        "payment-rules-apply-in-sudo",
        TX,
        find='''        if not self.env.user._is_internal():  # env.user: the routes create in sudo
''',
        replace='''        if not self.env.su and not self.env.user._is_internal():
''',
        tests=f"{PAY_MODEL} {PAY_ROUTES}",
    ),
    Guard(
        "payment-invoices-only",
        TX,
        find='''            # (/payment/pay without an invoice) would only serve to confuse the staff.
            raise UserError(self.env._("Online payments are accepted for invoices only."))
''',
        replace='''            # (/payment/pay without an invoice) would only serve to confuse the staff.
            return
''',
        tests=f"{PAY_MODEL} {PAY_ROUTES} -k free_payment or missing",
    ),
    Guard(
        "payment-posted-customer-invoice-only",
        TX,
        find='''            if invoice.move_type != "out_invoice" or invoice.state != "posted":
''',
        replace='''            if False:
''',
        tests=f"{PAY_MODEL} -k cancelled_or_draft",
    ),
    Guard(
        "payment-paid-invoice-refused",
        TX,
        find='''                raise UserError(self.env._("Invoice %s is already paid.", invoice.name))
''',
        replace='''                pass
''',
        tests=f"{PAY_MODEL} -k paid",
    ),
    Guard(
        "payment-no-validation-on-invoice",
        TX,
        find='''            if invoice_ids or not provider.allow_tokenization:
''',
        replace='''            if False:
''',
        tests=f"{PAY_ROUTES} -k validation",
    ),
    Guard(
        "landing-route-local-only",
        TX,
        find='''    if not route or not route.startswith("/") or route.startswith("//"):
        return False
''',
        replace='''    if not route:
        return False
    return True
''',
        tests=f"{PAY_MODEL} {PAY_ROUTES} -k landing",
    ),
    Guard(
        "landing-route-on-write",
        TX,
        find='''    def write(self, vals):
        if "landing_route" in vals and not _is_local_route(vals["landing_route"]):
''',
        replace='''    def write(self, vals):
        if False:
''',
        tests=f"{PAY_MODEL} -k landing",
    ),
    Guard(
        "pay-several-own-invoices-only",
        "meusite_portal/models/invoices/account_move.py",
        find='''        if partner is not None and invoices.filtered(
            lambda m: m.commercial_partner_id != partner.commercial_partner_id
        ):
''',
        replace='''        if False:
''',
        tests=f"{PAY_INVOICES} -k another_customers or tampered",
    ),
    Guard(
        "pay-one-request-at-a-time",  # NOWAIT: the second tab is refused, it does not wait
        "meusite_portal/models/invoices/account_move.py",
        find='''"SELECT id FROM account_move WHERE id IN %s FOR UPDATE NOWAIT",''',
        replace='''"SELECT id FROM account_move WHERE id IN %s FOR UPDATE",''',
        tests=f"{PAY_INVOICES}::test_concurrent_request_holding_the_invoices_is_refused",
    ),
    Guard(
        "confirm-receipt-staff-only",
        TX,
        find='''        if not self.env.user.has_group("account.group_account_invoice"):
''',
        replace='''        if False:
''',
        tests=f"{PAY_INVOICES}::test_done_transaction_reconciles_each_invoice_and_staff_confirm_mails",
    ),
    # --- Ticket files: ir.attachment / helpdesk.ticket rules for customers ------------------
    Guard(
        "attachment-rules-apply-in-sudo",
        ATTACH_MODEL,
        find='''        return not self.env.user._is_internal()
''',
        replace='''        return not self.env.su and not self.env.user._is_internal()
''',
        tests=f"{MAIL_ROUTES} -k refuses or hold",
    ),
    Guard(
        "attachment-extension",
        TICKET_MODEL,
        find='''            if ext not in extensions:
''',
        replace='''            if False:
''',
        tests=f"{ATTACH_CHECKS} {MAIL_ROUTES} -k extension or what_our_form_refuses",
    ),
    Guard(
        "attachment-size-per-file",
        TICKET_MODEL,
        find='''            if len(content) > max_file:
''',
        replace='''            if False:
''',
        tests=f"{ATTACH_CHECKS} {MAIL_ROUTES} -k size_limit or what_our_form_refuses",
    ),
    Guard(
        "attachment-size-per-message",
        TICKET_MODEL,
        find='''            if total > max_total:
''',
        replace='''            if False:
''',
        tests=f"{ATTACH_CHECKS} -k total",
    ),
    Guard(
        "attachment-pixels",
        TICKET_MODEL,
        find='''            if ext in IMAGE_EXTENSIONS and not self._meusite_pixels_allowed(content):
''',
        replace='''            if False:
''',
        tests=f"{MAIL_ROUTES} -k pixel",
    ),
    Guard(
        "attachment-content-matches",
        TICKET_MODEL,
        find='''            if not self._meusite_content_matches(ext, content):
''',
        replace='''            if False:
''',
        tests=f"{ATTACH_CHECKS} {MAIL_ROUTES} -k renamed or content or zip or what_our_form",
    ),
    Guard(
        "attachment-files-per-message",
        TICKET_MODEL,
        find='''        if limit and count > limit:
            raise UserError(self.env._(
                "Too many files''',
        replace='''        if False:
            raise UserError(self.env._(
                "Too many files''',
        tests=f"{MAIL_ROUTES} -k per_message",
    ),
    Guard(
        "attachment-files-per-ticket",
        TICKET_MODEL,
        find='''        if stored + count > limit:
''',
        replace='''        if False:
''',
        tests=f"{MAIL_ROUTES} -k per_ticket",
    ),
    Guard(
        "attachment-daily-quota",
        TICKET_MODEL,
        find='''        if used + new_bytes > limit:
''',
        replace='''        if False:
''',
        tests=f"{MAIL_ROUTES} -k daily_quota",
    ),
    Guard(
        "attachment-staff-only-files",  # ir.attachment.validate_access (signed links, tokens)
        ATTACH_MODEL,
        find='''        if not self.env.user._is_internal() and self._meusite_staff_only():
''',
        replace='''        if False:
''',
        tests=f"{MAIL_ROUTES} -k internal_note",
    ),
    Guard(
        "ticket-token-does-not-open",
        TICKET_MODEL,
        find='''        return super()._get_thread_with_access(thread_id, mode)
''',
        replace='''        return super()._get_thread_with_access(thread_id, mode, **kwargs)
''',
        tests=f"{HELPDESK_PORTAL} -k token",
    ),
    # --- Record rules -------------------------------------------------------------------------
    Guard(
        "service-record-rule",
        "meusite_portal/security/meusite_service_security.xml",
        find='''[('commercial_partner_id', '=', user.commercial_partner_id.id)]''',
        replace='''[(1, '=', 1)]''',
        tests="meusite_portal/tests/services/test_portal_services.py -k another",
    ),
    Guard(
        "service-page-searches-with-the-rule",
        "meusite_portal/controllers/services/portal_services.py",
        find='''        service = request.env["meusite.service"].search([("id", "=", service_id)])''',
        replace='''        service = request.env["meusite.service"].sudo().search([("id", "=", service_id)])''',
        tests="meusite_portal/tests/services/test_portal_services.py -k another",
    ),
    # --- Moip: webhook authenticity, boleto link -----------------------------------------------
    Guard(
        "moip-webhook-token",
        MOIP_CONTROLLER,
        find='''            if consteq(provider_sudo.moip_webhook_token.encode(), received_token.encode()):
''',
        replace='''            if True:
''',
        tests=f"{MOIP_TESTS}/test_webhook.py -k forged",
    ),
    Guard(
        "moip-notification-read-back",  # the body's status is never applied as such
        "meusite_moip_payment/models/payment_transaction.py",
        find='''        verified = self.provider_id._moip_make_request(f"/payments/{payment_id}", method="GET")
''',
        replace='''        verified = payment
''',
        tests=f"{MOIP_TESTS}/test_payment_transaction.py -k not_trusted or not_confirm",
    ),
    Guard(
        "moip-boleto-page-token",
        MOIP_CONTROLLER,
        find='''        if not tx_sudo or not tx_sudo._moip_check_access_token(access_token):
''',
        replace='''        if not tx_sudo:
''',
        tests=f"{MOIP_TESTS}/test_webhook.py -k boleto_page",
    ),
    Guard(
        "moip-notification-row-lock",
        "meusite_moip_payment/private_api.py",
        find='''"SELECT id FROM %s WHERE id IN %s FOR UPDATE",''',
        replace='''"SELECT id FROM %s WHERE id IN %s",''',
        tests=f"{MOIP_TESTS}/test_private_api.py",
    ),
    # --- Bots: captcha, rate limits ----------------------------------------------------------
    Guard(
        "captcha-answer",
        CAPTCHA,
        find='''        if (answer or "").strip().upper() != expected:
''',
        replace='''        if False:
''',
        tests=f"{CAPTCHA_TESTS} "
              "meusite_portal/tests/signup/test_signup.py "
              f"{HELPDESK_PORTAL} -k wrong",
    ),
    Guard(
        "captcha-consumed-once",
        CAPTCHA,
        find='''            consumed = bool(self.env.cr.fetchone())
''',
        replace='''            consumed = True
''',
        tests=f"{CAPTCHA_TESTS} meusite_portal/tests/domain_check/test_domain_check.py "
              "-k once or consumes or reused",
    ),
    Guard(
        "captcha-signature",
        CAPTCHA,
        find='''        if not 0 < len(cipher_bytes) <= 12 or not consteq(
            signature, self._signature(nonce, expiry, token_purpose, cipher)
        ):
''',
        replace='''        if not 0 < len(cipher_bytes) <= 12:
''',
        tests=f"{CAPTCHA_TESTS} -k forged",
    ),
    Guard(
        "captcha-unique-row",
        CAPTCHA,
        find='''    _sql_constraints = [("token_unique", "unique(token)", "A challenge is answered once.")]''',
        replace='''    _sql_constraints = [("token_unique", "CHECK(true)", "A challenge is answered once.")]''',
        tests=f"{CAPTCHA_TESTS} -k once",
        upgrade="meusite_portal",
    ),
    Guard(
        "rate-limit",
        "meusite_portal/models/captcha/meusite_rate_limit.py",
        find='''        if row and row[0] >= limit:
''',
        replace='''        if False:
''',
        tests="meusite_portal/tests/domain_check/test_domain_check.py -k too_often",
    ),
    # --- Billing: once per period, whatever the workers do ------------------------------------
    Guard(
        "billing-skip-locked",  # without it a second worker waits: the lock timeout fails it
        BILLING,
        find='''FOR UPDATE SKIP LOCKED"''',
        replace='''FOR UPDATE"''',
        tests="meusite_portal/tests/services/test_meusite_service_concurrency.py",
    ),
    Guard(
        "billing-row-lock",
        BILLING,
        find='''        query += " ORDER BY commercial_partner_id, id FOR UPDATE SKIP LOCKED"''',
        replace='''        query += " ORDER BY commercial_partner_id, id"''',
        tests="meusite_portal/tests/services/test_meusite_service_concurrency.py",
    ),
    Guard(
        "billing-unique-period",
        "meusite_portal/models/services/meusite_service_period.py",
        find='''            "UNIQUE(service_id, period_start)",''',
        replace='''            "CHECK(true)",''',
        tests="meusite_portal/tests/services/test_meusite_service_billing.py "
              "meusite_portal/tests/services/test_meusite_service_concurrency.py "
              "-k same_period or stale_snapshot or two_threads",
        upgrade="meusite_portal",
    ),
    Guard(
        "reminder-unique-stage",
        "meusite_portal/models/invoices/meusite_invoice_reminder.py",
        find='''            "UNIQUE(move_id, stage)",''',
        replace='''            "CHECK(true)",''',
        tests="meusite_portal/tests/invoices/test_invoice_reminders.py -k second_notice",
        upgrade="meusite_portal",
    ),
    # --- Forged form values --------------------------------------------------------------------
    Guard(
        "customer-data-max-size",
        "meusite_portal/models/signup/res_partner.py",
        find='''            if len(value) > CUSTOMER_FIELD_MAX_SIZE:
''',
        replace='''            if False:
''',
        tests="meusite_portal/tests/signup/test_security_account_routes.py -k huge",
    ),
]
