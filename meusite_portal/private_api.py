"""The Odoo internals this addon uses (for speed, or where Odoo has no public way), each
behind one named function; tests/test_private_api.py pins the signature and the behaviour
of each, so an Odoo upgrade that changes one fails there, not in a customer's page.

meusite_helpdesk (which depends on this addon) uses them too; meusite_moip_payment, which
does not, keeps its own (meusite_moip_payment/private_api.py).
"""


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
