"""The constants of meusite_portal, in one place (as Odoo's payment providers keep theirs)."""

# --- Settings: system parameter keys (defaults in data/ir_config_parameter_data.xml, read
# by ir.config_parameter._meusite_get_param; readme/CONTEXT.md, "Settings") ---
LEAD_DAYS_PARAM = "meusite_portal.service_invoice_lead_days"
GRACE_DAYS_PARAM = "meusite_portal.service_suspension_grace_days"
ORDER_DAYS_PARAM = "meusite_portal.order_payment_days"
PROVISION_USER_PARAM = "meusite_portal.order_provision_user_id"
LATE_CHARGE_PARAM = "meusite_portal.late_charge"
LATE_FEE_PARAM = "meusite_portal.late_fee_percent"
LATE_INTEREST_PARAM = "meusite_portal.late_interest_percent"
CAPTCHA_TTL_PARAM = "meusite_portal.captcha_ttl_minutes"
# One reminder stage's switch ("before_due") or days ("before_due_days").
REMINDER_PARAM = "meusite_portal.reminder_%s"

# --- Invoices ---
# The payment states of an open customer invoice: still (partly) owed
# (account.move._meusite_open_invoice_domain / _meusite_is_open_invoice).
OPEN_PAYMENT_STATES = ("not_paid", "partial")
# Transactions in these states already promise money for an invoice: a second payment
# would charge the customer twice.
COVERING_TX_STATES = ("pending", "authorized")
# Bootstrap badge class per portal status code.
PORTAL_STATUS_BADGES = {
    "open": "text-bg-info",
    "overdue": "text-bg-danger",
    "paid": "text-bg-success",
    "cancelled": "text-bg-secondary",
    "pending": "text-bg-warning",
}
# The PIX QR code's side in the invoice PDF, in pixels of its image (printed at about 4 cm).
PIX_QR_SIZE = 240

# --- Services ---
CYCLE_MONTHS = {"monthly": 1, "quarterly": 3, "semiannual": 6, "annual": 12}
CYCLE_SELECTION = [
    ("monthly", "Monthly"),
    ("quarterly", "Quarterly"),
    ("semiannual", "Semiannually"),
    ("annual", "Annually"),
]
# First key of the advisory lock taken while a customer's order is placed (any constant
# that no other code of the database uses with two-int advisory locks).
ORDER_LOCK_NAMESPACE = 7_466_301
