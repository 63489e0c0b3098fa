"""The field-name rule (meusite_portal/readme/CONTEXT.md, "Field names"), checked on the source.

On a model we do not own, a field we add is named ``meusite_*``, except a payment provider's
fields on Odoo's payment models (``moip_*``, ``pagbank_*``: the provider code, as
``payment_xendit``'s ``xendit_*``) and meusite_nfse's (``nfse_*``); a field of our own
models (``meusite.*``) carries no prefix; an override of a stock field keeps the stock name
(listed below: the source alone cannot tell an override from a new field).

Usage: python3 scripts/check_field_names.py [ADDON_DIR ...]  (default: every meusite_* addon)
Exit 1, naming each field, when one breaks the rule.
"""

import ast
import sys
from pathlib import Path

# Addon → prefixes it may use instead of ``meusite_`` on models it does not own, and on
# which models (None: any).
OWN_PREFIXES = {
    "meusite_moip_payment": (("moip_",), ("payment.provider", "payment.transaction")),
    "meusite_pagbank_payment": (("pagbank_",), ("payment.provider", "payment.transaction")),
    "meusite_nfse": (("nfse_",), None),
}
# Stock fields we override (attributes only, or a provider's code added to the selection):
# they keep the stock name.
STOCK_OVERRIDES = {
    ("res.partner", "tz"),  # the company's time zone as default (signup/res_partner.py)
    ("payment.provider", "code"),  # selection_add of the provider code
}
PREFIX = "meusite_"


def _literal(node):
    try:
        return ast.literal_eval(node)
    except ValueError:
        return None


def declared_fields(path):
    """``(model, field, line)`` for each ``name = fields.X(...)`` of each model class."""
    tree = ast.parse(path.read_text(), str(path))
    for cls in (n for n in ast.walk(tree) if isinstance(n, ast.ClassDef)):
        name = inherit = None
        fields = []
        for stmt in cls.body:
            if not (isinstance(stmt, ast.Assign) and len(stmt.targets) == 1
                    and isinstance(stmt.targets[0], ast.Name)):
                continue
            target, value = stmt.targets[0].id, stmt.value
            if target == "_name":
                name = _literal(value)
            elif target == "_inherit":
                inherit = _literal(value)
            elif (isinstance(value, ast.Call) and isinstance(value.func, ast.Attribute)
                  and isinstance(value.func.value, ast.Name) and value.func.value.id == "fields"):
                fields.append((target, stmt.lineno))
        if isinstance(inherit, str):
            inherit = [inherit]
        model = name or (inherit or [None])[0]
        if model:
            for field, line in fields:
                yield model, field, line


def problems(addon):
    addon = Path(addon)
    prefixes, prefix_models = OWN_PREFIXES.get(addon.name, ((), None))
    paths = sorted(addon.glob("models/**/*.py")) + sorted(addon.glob("wizard*/**/*.py"))
    for path in paths:
        for model, field, line in declared_fields(path):
            where = f"{path}:{line}: {model}.{field}"
            if model.startswith("meusite."):
                if field.startswith(PREFIX):
                    yield f"{where}: a field of our own model takes no '{PREFIX}' prefix"
                continue
            if field.startswith(PREFIX) or (model, field) in STOCK_OVERRIDES:
                continue
            if field.startswith(prefixes) and (prefix_models is None or model in prefix_models):
                continue
            allowed = " or ".join(f"'{p}'" for p in (PREFIX, *prefixes))
            yield (f"{where}: a field added to a model we do not own is named {allowed}* "
                   "(or, overriding a stock field, listed in STOCK_OVERRIDES)")


def main(addons):
    addons = addons or sorted(str(p) for p in Path(".").glob("meusite_*") if p.is_dir())
    found = [problem for addon in addons for problem in problems(addon)]
    print("\n".join(found) or "field names: every added field follows the prefix rule")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
