"""Odoo configured for a benchmark the way scripts/common.sh configures odoo-bin.

Benchmarks run as scripts: ``PYTHONPATH=$ODOO_SRC .venv/bin/python tests/bench/X.py --db DB``.
"""

import os
import re
from pathlib import Path

import odoo

REPO = Path(__file__).resolve().parents[2]


def configure(db, *extra):
    odoo_src = Path(odoo.__file__).resolve().parents[1]
    odoo.tools.config.parse_config([
        "-c", str(REPO / "odoo.conf"),
        "-d", db, f"--db-filter=^{re.escape(db)}$",
        f"--addons-path={odoo_src}/addons,{odoo_src}/odoo/addons,{REPO}",
        f"--data-dir={os.environ.get('DATA_DIR', REPO / '.odoo-data')}",
        f"--db_host={os.environ.get('PGHOST', '127.0.0.1')}",
        f"--db_port={os.environ.get('PGPORT', '5432')}",
        f"--db_user={os.environ.get('PGUSER', 'meusite')}",
        f"--db_password={os.environ.get('PGPASSWORD', 'meusite')}",
        "--log-level=warn",
        *extra,
    ])
