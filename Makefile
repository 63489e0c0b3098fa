# The two commands of the project; see README.md.
.PHONY: run test setup lint

run:
	@bash scripts/run.sh

test:
	@bash scripts/test.sh

setup:
	@bash scripts/setup.sh

lint:
	@bash scripts/setup.sh && bash scripts/lint.sh
