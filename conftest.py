"""Project-wide pytest rules.

A test that Odoo or pytest-odoo skipped did not run: a browser tour without Chromium
or websocket-client, an HttpCase without --odoo-http. Here a skip is a failure.
"""

import pytest


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if report.skipped:
        reason = report.longrepr[-1] if isinstance(report.longrepr, tuple) else report.longrepr
        report.outcome = "failed"
        report.longrepr = f"skipped tests count as failures here: {reason}"
