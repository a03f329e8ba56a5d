# Developer entry points. `make demo` and `make test` are all a newcomer needs: the virtualenvs
# are built from the pinned requirements on first use and rebuilt when those files change, and
# the Debian packages the checks need are installed by `make setup` when missing.

SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := help

# pyenv keeps 3.11, 3.12 and 3.13 off the shims unless asked for; naming them here makes
# `python3.11`, `python3.12` and `python3.13` resolve in every command below. Harmless without pyenv.
export PYENV_VERSION := 3.11.7:3.12.1:3.13.0

# Every supported ansible-core, each with a Python it supports as a controller; `make test` runs
# the lowest and the newest, `make matrix` all of them.
MATRIX_CORES := 2.16 2.17 2.18 2.19 2.20 2.21
PYTHON_2.16 := 3.11
PYTHON_2.17 := 3.12
PYTHON_2.18 := 3.11
PYTHON_2.19 := 3.13
PYTHON_2.20 := 3.13
PYTHON_2.21 := 3.12

VENV216 := .venv/core2.16
VENV221 := .venv/core2.21
# The newest core's venv also carries ansible-lint, antsibull-changelog and antsibull-docs.
TOOLS := $(VENV221)/bin

PYTEST_OPTS ?= -q
# The pytest suites of `make integration` and the chaos suite run in parallel workers
# (pytest-xdist), each with its own emulator; =0 runs a suite in one process. Much of their time
# is spent waiting for the module's polls, so there are more workers than cores; the chaos suite
# runs modules without ansible-playbook and waits most (its seeds run into wait_timeout).
PYTEST_WORKERS ?= 6
CHAOS_WORKERS ?= 10
TEST_PARTS := unit emulator-tests integration chaos-fixed eda sanity lint docs changelog build ee

# The per-core targets (unit-2.16, sanity-2.21, ...) are pattern rules, which make skips for
# .PHONY targets, so they are not listed here; no file of those names exists.
.PHONY: help demo bench bench-quick venvs test matrix setup docsite chaos ee $(TEST_PARTS) clean
# Keep the venv stamps that pattern rules build.
.SECONDARY:

help:
	@echo "make demo         run the demo against the local emulator"
	@echo "make test         every check below; lists the parts that failed"
	@echo "  make unit            ansible-test units on ansible-core 2.16 and 2.21"
	@echo "  make emulator-tests  the emulator's own tests (incl. fidelity against the official SDK)"
	@echo "  make integration     ansible-test integration targets and the pytest suite (ansible-playbook"
	@echo "                       against the emulator, fault matrix, wire checks), on 2.16 and 2.21"
	@echo "  make sanity          ansible-test sanity, 2.16/Python 3.11 and 2.21/Python 3.12, nothing skipped"
	@echo "  make lint            ansible-lint, production profile (collection and docs/examples)"
	@echo "  make docs            antsibull-docs lint-collection-docs --plugin-docs, then make docsite"
	@echo "  make changelog       antsibull-changelog lint (fragments, changelog.yaml), CHANGELOG.md up to date"
	@echo "  make build           build the artifact, install it, ansible-doc every module, galaxy-importer"
	@echo "  make ee              build an AWX/AAP execution environment image, run the demo inside it"
	@echo "                       with podman and with ansible-navigator"
	@echo "  make chaos-fixed     the chaos suite: fixed random-fault seeds, killed controllers, sibling runs"
	@echo "  make eda             ansible-rulebook runs rulebooks with the drs_job_events source against the emulator"
	@echo "make matrix       sanity, units and integration targets on ansible-core $(MATRIX_CORES)"
	@echo "make chaos        SEEDS=N random chaos seeds (or SEED=S one), each seed printed"
	@echo "make docsite      the collection's HTML documentation (antsibull-docs + Sphinx) in build/docsite"
	@echo "make bench        benchmark (writes bench/RESULTS.md); make bench-quick: a reduced one"
	@echo "make setup        the Debian packages the checks need (shellcheck, Java 17); run by sanity and eda"

# A venv is (re)built when its requirements file is newer than its stamp.
.venv/core%/.stamp: requirements-dev-core%.txt
	rm -rf .venv/core$*
	python$(PYTHON_$*) -m venv .venv/core$*
	.venv/core$*/bin/python -m pip install --disable-pip-version-check -q -r $<
	touch $@

venvs: $(VENV216)/.stamp $(VENV221)/.stamp

setup:
	tools/setup-system.sh

demo: $(VENV221)/.stamp
	VENV=$(VENV221) bash tools/demo.sh

# The benchmark's chart needs matplotlib: added to the newest core's venv, outside `make test`.
$(VENV221)/.bench-stamp: requirements-bench.txt $(VENV221)/.stamp
	$(VENV221)/bin/python -m pip install --disable-pip-version-check -q -r $<
	touch $@

bench: $(VENV221)/.bench-stamp
	$(VENV221)/bin/python bench/run.py

# A reduced benchmark for development (under 3 minutes): bench/quick.tmp and bench/quick.tmp.png.
bench-quick: $(VENV221)/.bench-stamp
	$(VENV221)/bin/python bench/run.py --sizes 10,1000 --runs 1 --few-runs 1 --uri-runs 1 --uri-max 10 \
		--uri-max-slow 0 --exit-zero --output bench/quick.tmp --chart bench/quick.tmp.png

# Runs every part even after a failure (and, with -k, both halves of a part), so one run reports
# all of them; fails if any failed.
test: venvs
	@tools/run-parts.sh "$(MAKE)" "make test" $(TEST_PARTS)

unit: unit-2.16 unit-2.21
unit-%: .venv/core%/.stamp
	tools/ansible-test.sh .venv/core$* $(PYTHON_$*) units

# The emulator does not depend on ansible-core: one interpreter is enough.
emulator-tests: $(VENV221)/.stamp
	tools/pytest-dir.sh $(VENV221)/bin/python tests/emulator/tests $(PYTEST_OPTS)

# The YAML targets (tests/integration/targets) through ansible-test, then the pytest suite.
integration: targets-2.16 pytest-2.16 targets-2.21 pytest-2.21
integration-%: targets-% pytest-%
	@true
pytest-%: .venv/core%/.stamp
	tools/pytest-dir.sh .venv/core$*/bin/python tests/integration --ignore=tests/integration/test_chaos.py \
		-n $(PYTEST_WORKERS) $(PYTEST_OPTS)

# Tools that pin an ansible-core of their own get a venv each (Python 3.12), apart from the core
# venvs: ansible-rulebook (make eda; it also needs a Java 17 runtime, which `make setup` installs),
# ansible-navigator (make ee) and galaxy-importer (make build).
RULEBOOK_VENV := .venv/rulebook
.venv/rulebook/.stamp .venv/navigator/.stamp .venv/importer/.stamp: .venv/%/.stamp: requirements-%.txt
	rm -rf .venv/$*
	python3.12 -m venv .venv/$*
	.venv/$*/bin/python -m pip install --disable-pip-version-check -q -r $<
	touch $@

# Event-Driven Ansible: real ansible-rulebook runs against the emulator (tests/eda), driven by the
# newest core's pytest; the source's unit tests run in `make unit`.
eda: $(VENV221)/.stamp $(RULEBOOK_VENV)/.stamp setup
	RULEBOOK_VENV=$(RULEBOOK_VENV) tools/pytest-dir.sh $(VENV221)/bin/python tests/eda $(PYTEST_OPTS)

# The chaos suite (tests/integration/test_chaos.py) on the newest core: its fixed seeds, the crash
# and the sibling-run tests in `make test`; `make chaos SEEDS=N` N random seeds, `SEED=S` one.
chaos-fixed: $(VENV221)/.stamp
	tools/pytest-dir.sh $(VENV221)/bin/python tests/integration/test_chaos.py -n $(CHAOS_WORKERS) $(PYTEST_OPTS)
chaos: $(VENV221)/.stamp
	CHAOS_SEEDS="$(SEEDS)" CHAOS_SEED="$(SEED)" tools/pytest-dir.sh $(VENV221)/bin/python \
		tests/integration/test_chaos.py -k random -rA -n $(CHAOS_WORKERS) $(PYTEST_OPTS)
targets-%: .venv/core%/.stamp
	tools/ansible-test.sh .venv/core$* $(PYTHON_$*) integration

sanity: sanity-2.16 sanity-2.21
sanity-%: .venv/core%/.stamp setup
	tools/ansible-test.sh .venv/core$* $(PYTHON_$*) sanity

# Runs every core even after a failure, then lists the ones that failed.
matrix:
	@tools/run-parts.sh "$(MAKE)" "make matrix" $(addprefix matrix-,$(MATRIX_CORES))
matrix-%: sanity-% unit-% targets-%
	@true

lint: $(VENV221)/.stamp
	tools/lint.sh $(VENV221)

docs: $(VENV221)/.stamp
	tools/docs-lint.sh $(VENV221)
	tools/docsite.sh $(VENV221) build/docsite

# An AWX/AAP execution environment built and run (podman; see tools/ee.sh), the demo in it run
# with podman and with ansible-navigator. EE_BASE_IMAGE=... to build on a standard base image from
# a registry instead of a local Debian one.
ee: $(VENV221)/.stamp .venv/navigator/.stamp
	tools/ee.sh $(VENV221) .venv/navigator

docsite: $(VENV221)/.stamp
	tools/docsite.sh $(VENV221) build/docsite

changelog: $(VENV221)/.stamp
	tools/changelog-check.sh $(VENV221)

build: $(VENV216)/.stamp $(VENV221)/.stamp .venv/importer/.stamp
	tools/build-check.sh --importer .venv/importer $(VENV221) $(VENV216) $(VENV221)

clean:
	rm -rf .venv .ansible tests/output build
