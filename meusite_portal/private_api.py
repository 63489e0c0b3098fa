"""The Odoo internals this addon uses (for speed, or where Odoo has no public way), each
behind one named function; tests/test_private_api.py pins the signature and the behaviour
of each, so an Odoo upgrade that changes one fails there, not in a customer's page.

meusite_helpdesk (which depends on this addon) uses them too; meusite_moip_payment, which
does not, keeps its own (meusite_moip_payment/private_api.py).
"""

from odoo.tools import SQL

from odoo.addons.base.models.ir_actions_report import _get_wkhtmltopdf_bin


def selection_labels(records, field_name):
    """{value: label} of a selection field of ``records``' model, in their language.

    Private API: ``Field._description_selection(env)``, what ``fields_get`` uses: it
    resolves a selection given as a method and translates the labels, without computing
    the whole field description.
    """
    return dict(records._fields[field_name]._description_selection(records.env))


def grouped(model, domain, groupby, aggregates=()):
    """Rows ``(group value, ..., aggregate, ...)`` of one SQL GROUP BY on ``model``;
    group values are records, aggregates as named (``"__count"``, ``"amount:sum"``).

    Private API: ``BaseModel._read_group`` (Odoo 17+): one query, no dict formatting, no
    extra search per group as the public ``read_group`` would do.
    """
    return model._read_group(domain, groupby, list(aggregates))


def query_rows(env, query, params=None, flush=None):
    """The rows of a raw SQL read, after the pending ORM writes it depends on.

    :param query: an ``odoo.tools.SQL``, or a string with ``params``
    :param flush: ``{model name: [field names] or None (all fields)}`` to flush first

    Private API: ``BaseModel.flush_model`` and the models' table and column names (one
    query where the ORM would need several, or a lock the ORM cannot express).
    """
    for model_name, fnames in (flush or {}).items():
        env[model_name].flush_model(fnames)
    env.cr.execute(query, params)
    return env.cr.fetchall()


def command_ids(records, field_name, commands):
    """The ids an x2many value given to ``create`` (commands or ids) amounts to, before
    the record exists.

    Private API: ``Field.convert_to_cache(value, record)``, the ORM's own reading of
    x2many commands.
    """
    return list(records._fields[field_name].convert_to_cache(commands or [], records))


def visitor_rate_keys(request):
    """Rate-limit keys of the visitor behind ``request``: its address and its session.

    Private API: ``odoo.http.Session.sid`` (the session's id, not a documented attribute)
    and werkzeug's ``remote_addr`` as Odoo's request wraps it.
    """
    return [f"ip:{request.httprequest.remote_addr}", f"session:{request.session.sid}"]


def run_sql(env, query, params=None, flush=None):
    """Run one raw SQL statement that returns no rows (UPDATE, INSERT, DELETE) after the
    pending ORM writes it depends on; return how many rows it touched.

    :param flush: as for ``query_rows``

    Private API: as ``query_rows`` (the cursor, the models' tables and columns). Every raw
    statement of the addons goes through one of the two, so ``scripts/lint.sh`` can tell
    raw SQL from ORM use and an Odoo upgrade is checked here.
    """
    for model_name, fnames in (flush or {}).items():
        env[model_name].flush_model(fnames)
    env.cr.execute(query, params)
    return env.cr.rowcount


def lock_rows(records, nowait=False):
    """Row-lock ``records`` until the end of the transaction (a second worker waits).

    With ``nowait``, raise ``psycopg2.errors.LockNotAvailable`` at once when another
    transaction holds one of them, without logging it as a server error (an expected
    refusal the caller answers, as Odoo's own ``ir.cron._try_lock``).

    Private API: raw SQL on the model's table (``_table``), the ORM has no
    SELECT ... FOR UPDATE; and the cursor's ``log_exceptions`` keyword.
    """
    records.env.cr.execute(
        SQL(
            "SELECT id FROM %s WHERE id IN %s FOR UPDATE%s",
            SQL.identifier(records._table), tuple(records.ids),
            SQL(" NOWAIT") if nowait else SQL(),
        ),
        log_exceptions=not nowait,
    )
    return records


def cached(records, field_name):
    """The records of ``records`` whose ``field_name`` value is already in memory (read by
    the request before), so a caller can use it without a query.

    Private API: ``Environment.cache`` (``contains(record, field)``), the ORM's record cache.
    """
    cache = records.env.cache
    field = records._fields[field_name]
    return records.filtered(lambda record: record.id and cache.contains(record, field))


def missing_followers_values(records, partner_of, customer_ids=()):
    """The ``mail.followers`` values that make ``partner_of(record)`` follow each of
    ``records`` with the subtypes ``message_subscribe`` would give them (internal ones left
    out for ``customer_ids``), leaving out those who follow already: for one ``create`` of
    many followers instead of one ``message_subscribe`` per record (five queries each).

    Private API: ``mail.followers._get_subscription_data`` (who follows already, one query)
    and ``mail.followers._add_default_followers`` (the default subtypes), what
    ``message_subscribe`` uses.
    """
    Followers = records.env["mail.followers"].sudo()
    partners = {record.id: partner_of(record) for record in records}
    existing = {
        (res_id, partner_id)
        for __, res_id, partner_id, __ in Followers._get_subscription_data(
            [(records._name, records.ids)], list({p.id for p in partners.values()})
        )
    }
    values = []
    for record in records:
        partner = partners[record.id]
        if (record.id, partner.id) in existing:
            continue
        new, __ = Followers._add_default_followers(
            records._name, [record.id], [partner.id],
            customer_ids=list(customer_ids), check_existing=False,
        )
        values += [dict(vals, res_id=res_id) for res_id, lst in new.items() for vals in lst]
    return values


def set_cached(records, field_name, values):
    """Put ``values`` (one per record, in order) in memory as ``records``' ``field_name``,
    so reading it costs no query: a caller that has just computed a whole page's values in
    one query gives them to the records it will show.

    Private API: ``Environment.cache.update(records, field, values)``.
    """
    records.env.cache.update(records, records._fields[field_name], values)


def wkhtmltopdf_bin():
    """The path of the wkhtmltopdf program Odoo's reports run.

    Private API: ``odoo.addons.base.models.ir_actions_report._get_wkhtmltopdf_bin``.
    """
    return _get_wkhtmltopdf_bin()
