"""Project-wide pytest rules.

A test that Odoo or pytest-odoo skipped did not run: a browser tour without Chromium
or websocket-client, an HttpCase without --odoo-http. Here a skip is a failure.

No test waits for ever on a row lock: every PostgreSQL connection this process (and the
Odoo processes it starts) opens gets a ``lock_timeout``, through libpq's PGOPTIONS, set
here before pytest-odoo connects. A regression that makes two cursors of one test wait on
each other (say, ``FOR UPDATE`` without ``SKIP LOCKED`` in the billing run) then fails that
test in seconds with ``LockNotAvailable`` instead of stalling the run; the per-test time
limit (pyproject.toml, pytest-timeout) bounds everything else.
"""

import os
import shutil
from unittest import mock

import pytest

# Seconds; MEUSITE_TEST_LOCK_TIMEOUT=0 turns it off (PostgreSQL: 0 means no limit).
LOCK_TIMEOUT = os.environ.get("MEUSITE_TEST_LOCK_TIMEOUT", "10")
os.environ["PGOPTIONS"] = " ".join(
    filter(None, [os.environ.get("PGOPTIONS"), f"-c lock_timeout={int(LOCK_TIMEOUT) * 1000}"])
)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if report.skipped:
        reason = report.longrepr[-1] if isinstance(report.longrepr, tuple) else report.longrepr
        report.outcome = "failed"
        report.longrepr = f"skipped tests count as failures here: {reason}"


# The longest tests first (longest-first keeps `make test`'s two workers busy to the end;
# pytest-xdist hands out classes in collection order). Measured: the credit property
# (~3 min), the manual walk, the hostile-value fuzz, the two-server test, the tours.
LONGEST_FIRST = (
    "meusite_portal/tests/services/test_credit_property.py",
    "meusite_test_full/tests/test_manual_walk.py",
    "meusite_test_full/tests/test_hostile_values.py",
    "tests/test_two_nodes.py",
    "meusite_helpdesk/tests/test_ticket_tour.py",
    "meusite_pagbank_payment/tests/test_pagbank_tour.py",
    "meusite_moip_payment/tests/test_boleto_tour.py",
    "tests/test_uninstall.py",
)


def pytest_collection_modifyitems(config, items):
    def rank(item):
        path = item.nodeid.split("::", 1)[0]
        return LONGEST_FIRST.index(path) if path in LONGEST_FIRST else len(LONGEST_FIRST)

    items.sort(key=rank)  # stable: the rest keeps its order


@pytest.fixture(scope="session", autouse=True)
def own_filestore(load_registry):
    """Each pytest-xdist worker's copy of the database gets a copy of the filestore.

    pytest-odoo points every copy at the original's filestore; but Odoo's file garbage
    collection (ir.attachment._gc_file_store, run by the servers some tests start) deletes
    what its own database does not reference, so one worker deleted the files (asset
    bundles) the other had just written. The filestore is a few MB: each copy gets its own.
    """
    import odoo  # noqa: PLC0415 - loaded by pytest-odoo before this runs

    config = odoo.tools.config
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if not worker or not isinstance(config.filestore, mock.Mock):
        yield
        return
    own = os.path.join(config["data_dir"], "filestore", config["db_name"])
    original = os.path.join(
        config["data_dir"], "filestore", config["db_name"].removesuffix(f"-{worker}")
    )
    shutil.rmtree(own, ignore_errors=True)
    if os.path.isdir(original):
        shutil.copytree(original, own, symlinks=True)
    config.filestore.side_effect = lambda db_name: os.path.join(
        config["data_dir"], "filestore", db_name
    )
    yield
    shutil.rmtree(own, ignore_errors=True)
