# Developer entry points. `make demo` and `make test` are all a newcomer needs: the virtualenvs
# are built from the pinned requirements on first use and rebuilt when those files change.

SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := help

# pyenv keeps 3.11 and 3.12 off the shims unless asked for; naming both here makes `python3.11`
# and `python3.12` resolve in every command below. Harmless without pyenv.
export PYENV_VERSION := 3.11.7:3.12.1
PYTHON_CORE216 ?= python3.11
PYTHON_CORE221 ?= python3.12

VENV216 := .venv/core2.16
VENV221 := .venv/core2.21
# The newest core's venv also carries ansible-lint, antsibull-changelog and antsibull-docs.
TOOLS := $(VENV221)/bin

PYTEST_OPTS ?= -q
TEST_PARTS := unit emulator-tests integration sanity lint docs changelog build

.PHONY: help demo bench venvs test $(TEST_PARTS) unit-2.16 unit-2.21 integration-2.16 \
	integration-2.21 sanity-2.16 sanity-2.21 clean

help:
	@echo "make demo         run the demo against the local emulator"
	@echo "make test         every check below; lists the parts that failed"
	@echo "  make unit            pytest tests/unit on ansible-core 2.16 and 2.21"
	@echo "  make emulator-tests  the emulator's own tests (incl. fidelity against the official SDK)"
	@echo "  make integration     ansible-playbook against the emulator, on 2.16 and 2.21"
	@echo "  make sanity          ansible-test sanity, 2.16/Python 3.11 and 2.21/Python 3.12"
	@echo "  make lint            ansible-lint, production profile (collection and docs/examples)"
	@echo "  make docs            antsibull-docs lint-collection-docs --plugin-docs"
	@echo "  make changelog       antsibull-changelog lint"
	@echo "  make build           build the artifact, install it, ansible-doc every module"
	@echo "make bench        benchmark (writes bench/ output)"

# A venv is (re)built when its requirements file is newer than its stamp.
$(VENV216)/.stamp: requirements-dev-core2.16.txt
	rm -rf $(VENV216)
	$(PYTHON_CORE216) -m venv $(VENV216)
	$(VENV216)/bin/python -m pip install --disable-pip-version-check -q -r $<
	touch $@

$(VENV221)/.stamp: requirements-dev-core2.21.txt
	rm -rf $(VENV221)
	$(PYTHON_CORE221) -m venv $(VENV221)
	$(VENV221)/bin/python -m pip install --disable-pip-version-check -q -r $<
	touch $@

venvs: $(VENV216)/.stamp $(VENV221)/.stamp

demo: $(VENV221)/.stamp
	VENV=$(VENV221) bash tools/demo.sh

bench: $(VENV221)/.stamp
	$(VENV221)/bin/python bench/run.py

# Runs every part even after a failure (and, with -k, both halves of a part), so one run reports
# all of them; fails if any failed.
test: venvs
	@failed=""; \
	for part in $(TEST_PARTS); do \
		echo "=== make $$part"; \
		start=$$SECONDS; \
		if $(MAKE) --no-print-directory -k $$part; then \
			echo "=== $$part: passed ($$((SECONDS - start)) s)"; \
		else \
			echo "=== $$part: FAILED ($$((SECONDS - start)) s)"; \
			failed="$$failed $$part"; \
		fi; \
	done; \
	if [ -n "$$failed" ]; then echo "make test: FAILED:$$failed"; exit 1; fi; \
	echo "make test: all parts passed ($(TEST_PARTS))"

unit: unit-2.16 unit-2.21
unit-2.16: $(VENV216)/.stamp
	tools/pytest-dir.sh $(VENV216)/bin/python tests/unit $(PYTEST_OPTS)
unit-2.21: $(VENV221)/.stamp
	tools/pytest-dir.sh $(VENV221)/bin/python tests/unit $(PYTEST_OPTS)

# The emulator does not depend on ansible-core: one interpreter is enough.
emulator-tests: $(VENV221)/.stamp
	tools/pytest-dir.sh $(VENV221)/bin/python tests/emulator/tests $(PYTEST_OPTS)

integration: integration-2.16 integration-2.21
integration-2.16: $(VENV216)/.stamp
	tools/pytest-dir.sh $(VENV216)/bin/python tests/integration $(PYTEST_OPTS)
integration-2.21: $(VENV221)/.stamp
	tools/pytest-dir.sh $(VENV221)/bin/python tests/integration $(PYTEST_OPTS)

sanity: sanity-2.16 sanity-2.21
sanity-2.16: $(VENV216)/.stamp
	tools/ansible-test-sanity.sh $(VENV216) 3.11
sanity-2.21: $(VENV221)/.stamp
	tools/ansible-test-sanity.sh $(VENV221) 3.12

lint: $(VENV221)/.stamp
	tools/lint.sh $(VENV221)

docs: $(VENV221)/.stamp
	tools/docs-lint.sh $(VENV221)

changelog: $(VENV221)/.stamp
	$(TOOLS)/antsibull-changelog lint

build: $(VENV216)/.stamp $(VENV221)/.stamp
	tools/build-check.sh $(VENV221) $(VENV216) $(VENV221)

clean:
	rm -rf .venv/core2.16 .venv/core2.21 .ansible tests/output build
