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
