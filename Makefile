# Partnership Playbooks. `make serve` and `make test` set up everything they need.
PYTHON_FOR_VENV ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
CHROMIUM ?= /usr/bin/chromium
export CHROMIUM
ONLY ?=
export NO_MKDOCS_2_WARNING := 1
export PYTHONPATH := scripts

.PHONY: serve build assemble publish-tree validate test test-fast check-links check-external-links new-case-study case-study-from-issue endorsement-from-issue issue-forms handouts offline zim publish translation-status bench clean help

help:
	@echo "make serve            build every language and serve on http://127.0.0.1:8000 with live reload"
	@echo "make serve ONLY=es    serve one language only (ADDRESS=127.0.0.1:8001 for another port)"
	@echo "make test             all tests: data, build, browser"
	@echo "make build            strict build into site/, one process per language (left untouched if the build fails)"
	@echo "make build ONLY=es    build only that language's tree into .build/languages/es/ (no site/); JOBS=N at most N at once"
	@echo "make assemble         put the trees in .build/languages/ together into site/ and finish it (search, feeds, ...)"
	@echo "make publish-tree TREE=es   one language's tree with its downloads, for make assemble (the deploy's matrix jobs)"
	@echo "make validate         check data/ and playbooks/ only (FORMAT=github: as GitHub Actions annotations)"
	@echo "make new-case-study   write a new case study by answering questions"
	@echo "make case-study-from-issue BODY=issue.md    turn a 'Share a case study' issue's text into data/case_studies/<id>.yml"
	@echo "make endorsement-from-issue BODY=issue.md   add an 'Endorse a learning pattern' issue to its pattern"
	@echo "make check-links      build, then check every internal link and anchor"
	@echo "make bench            performance benchmark against the budgets in README.md (BENCH=--quick: short run)"
	@echo "make translation-status   every translated page x language: current / draft / stale / missing"
	@echo "make offline          one zip per language in site-offline/ that works from file:// (ONLY=es for one)"
	@echo "make zim              one Kiwix .zim file per language in site-offline/ (ONLY=ar for one)"
	@echo "make publish          the site as the deploy uploads it: site/ with every language's zip, ZIM and handouts on its Downloads page"
	@echo "make handouts         build, then print a PDF of every playbook and workshop sheet per language (set SITE_URL for the QR codes)"
	@echo "make check-external-links   build, then also try every external link (needs network)"
	@echo "make issue-forms      rewrite .github/ISSUE_TEMPLATE/ from data/forms.yml and data/"
	@echo "Without make: PYTHONPATH=scripts .venv/bin/python -m playbook_site --help lists the commands behind these"

$(STAMP): requirements.txt requirements-test.txt
	test -x $(PY) || $(PYTHON_FOR_VENV) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-test.txt
	touch $(STAMP)

ADDRESS ?= 127.0.0.1:8000

serve: $(STAMP)
	$(PY) -m playbook_site serve --root $(CURDIR) --address $(ADDRESS) $(if $(ONLY),--only $(ONLY))

build: $(STAMP)
	$(PY) -m playbook_site build $(if $(ONLY),--only $(ONLY)) $(if $(JOBS),--jobs $(JOBS))

assemble: $(STAMP)
	$(PY) -m playbook_site build --assemble

publish-tree: $(STAMP)
	@test -n "$(TREE)" || { echo "Which language? make publish-tree TREE=es"; exit 2; }
	@bash scripts/system-packages.sh
	$(PY) -m playbook_site publish --tree $(TREE)

FORMAT ?= text

validate: $(STAMP)
	$(PY) -m playbook_site validate --format $(FORMAT)

# Test files are spread over TEST_PROCESSES processes (pytest-xdist), one file per process at a time. Three on two
# cores: the browser tests spend part of their time waiting, which a third process fills.
TEST_PROCESSES ?= 3

test: $(STAMP)
	@bash scripts/system-packages.sh
	$(PY) -m pytest -n $(TEST_PROCESSES) --dist loadfile

test-fast: $(STAMP)
	$(PY) -m pytest -m "not browser"

new-case-study: $(STAMP)
	@$(PY) -m playbook_site new-case-study

case-study-from-issue: $(STAMP)
	@test -n "$(BODY)" || { echo "Save the issue's text to a file, then: make case-study-from-issue BODY=issue.md"; exit 2; }
	$(PY) -m playbook_site case-study-from-issue "$(BODY)" --write

endorsement-from-issue: $(STAMP)
	@test -n "$(BODY)" || { echo "Save the issue's text to a file, then: make endorsement-from-issue BODY=issue.md"; exit 2; }
	$(PY) -m playbook_site endorsement-from-issue "$(BODY)" --write

issue-forms: $(STAMP)
	$(PY) -m playbook_site issue-forms --write

BENCH ?=

bench: $(STAMP)
	$(PY) -m benchmark $(BENCH)

translation-status: $(STAMP)
	$(PY) -m playbook_site translation-status

offline: $(STAMP)
	$(PY) -m playbook_site offline $(if $(ONLY),--only $(ONLY))

zim: $(STAMP)
	$(PY) -m playbook_site zim $(if $(ONLY),--only $(ONLY))

publish: $(STAMP)
	@bash scripts/system-packages.sh
	$(PY) -m playbook_site publish

handouts: build
	@test -x $(CHROMIUM) || { echo "Handouts need Debian's chromium: sudo apt-get install chromium"; exit 1; }
	$(PY) -m playbook_site handouts

check-links: build
	$(PY) -m playbook_site check-links

check-external-links: build
	$(PY) -m playbook_site check-links --external

clean:
	rm -rf site .build handouts site-offline
