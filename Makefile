# The two commands of the project; see README.md.
.PHONY: run test setup lint test-upstream test-guards test-odoo

run:
	@bash scripts/run.sh

test:
	@bash scripts/test.sh

setup:
	@bash scripts/setup.sh

lint:
	@bash scripts/lint.sh

# The stock suites of the modules we extend, with our addons installed (slow: ~10 min).
test-upstream:
	@bash scripts/test-upstream.sh

# Each security or money guard disabled in turn: its tests must fail (tests/guards/guards.py).
test-guards:
	@bash scripts/test-guards.sh

# Every addon's tests under Odoo's own runner (odoo-bin --test-tags), on a throwaway copy of
# DB (or of a fresh database); fails on an error, a failure or a skipped test.
test-odoo:
	@bash scripts/test-odoo-runner.sh
