# One command from a fresh clone: every target that needs the environment depends on `install`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.rolepack-installed
OUT ?= build

.PHONY: install test long faults fuzz validate pdf docx site all bench clean schema messages check-upstream

install: $(STAMP)

$(STAMP): pyproject.toml constraints.txt tools/system-deps.sh
	@tools/system-deps.sh
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@$(BIN)/python -m pip install -q --disable-pip-version-check -c constraints.txt -e '.[test]'
	@touch $@

# Two workers (pytest-xdist); a file's tests run on one of them, so its module fixtures are made once.
test: install
	@tools/system-deps.sh --tests
	$(BIN)/python -m pytest -q -n 2 --dist loadfile -m "not long"

# The long hardening suites: 50+ kills of a running build and more of every injected fault; a long
# fuzz budget. `make test` runs a short version of each.
faults: install
	@tools/system-deps.sh --tests
	ROLEPACK_LONG=1 $(BIN)/python -m pytest -q tests/export/test_faults_kill.py tests/export/test_faults_io.py \
	  tests/export/test_faults_concurrency.py tests/export/test_faults_smtp.py

# LibreOffice opening every role's DOCX (make test opens one role's), every role's shipped PDFs
# (make test reads four roles'), what a build of both kinds
# reads (make test traces the job description's), and the tests marked `long` (slow variants such as
# the systemd timer's build or a Dask worker killed mid-document), each with a shorter twin in make test.
long: install
	@tools/system-deps.sh --tests
	ROLEPACK_LONG=1 $(BIN)/python -m pytest -q -n 2 --dist loadfile tests/render/test_docx_documents.py \
	  tests/test_read_boundaries.py tests/render/test_pdf_documents.py tests/export/test_build_outputs.py \
	  tests/render/test_pdf_layout_checks.py tests/render/test_tuning.py
	ROLEPACK_LONG=1 $(BIN)/python -m pytest -q -n 2 --dist loadfile -m long

fuzz: install
	ROLEPACK_FUZZ_EXAMPLES=$${ROLEPACK_FUZZ_EXAMPLES:-2000} $(BIN)/python -m pytest -q tests/test_fuzz.py

validate: install
	$(BIN)/rolepack validate

pdf: install
	$(BIN)/rolepack build --format pdf --out $(OUT)

docx: install
	$(BIN)/rolepack build --format docx --out $(OUT)

# The careers site of every brand: <out>/<brand>/site/, ready to copy to a web server, with the job
# boards' feeds in site/feeds/ (LinkedIn, Indeed, and schema.org JSON for any other).
site: install
	$(BIN)/rolepack build --format html,jsonld,linkedin,indeed,jobfeed --out $(OUT)

all: install
	$(BIN)/rolepack build --format pdf --format docx --out $(OUT)

bench: install
	$(BIN)/python bench/run.py

# The engine shortcuts' tests against the newest WeasyPrint, pydyf and cairocffi, in a scratch
# environment (pipeline/render/tuning); the pins move only after this passes.
check-upstream:
	@tools/system-deps.sh --tests
	tools/check-upstream.sh

schema: install
	for kind in role company brand settings; do $(BIN)/rolepack schema $$kind > schema/$$kind.schema.json; done

# Extract every word the layouts print into the template, then merge it into each language's catalogue.
messages: install
	$(BIN)/pybabel extract -F babel.cfg --no-location --sort-output --omit-header -o layouts/locales/messages.pot .
	for po in layouts/locales/*/LC_MESSAGES/messages*.po; do \
	  $(BIN)/pybabel update --no-fuzzy-matching -l $$(basename $$(dirname $$(dirname $$po))) -i layouts/locales/messages.pot -o $$po; done

clean:
	rm -rf $(OUT)
