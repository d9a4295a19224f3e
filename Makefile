# Information Theory for Deep Learning: build and test.
# Only python3 (3.11+) and make are needed; everything else goes into .venv.

VENV   ?= .venv
PY     := $(VENV)/bin/python
JB     := $(VENV)/bin/jupyter-book
STAMP  := $(VENV)/.installed
NBVAL  := --nbval --nbval-current-env --nbval-sanitize-with tests/nbval_sanitize.cfg \
          -p no:doctest -n 2 --dist loadfile

.PHONY: install book test unit notebooks build site clean bench times release autograde feedback
.PHONY: install-check publish-check

$(PY):
	python3 -m venv $(VENV)

# Re-install only when the requirements or the package metadata change.
# requirements.txt is the development set; it includes requirements-runtime.txt.
$(STAMP): requirements.txt requirements-runtime.txt pyproject.toml | $(PY)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	$(PY) -m pip install --quiet --no-deps -e .
	touch $(STAMP)

install: $(STAMP)

book: install build
	@echo ""
	@echo "Book built. Open: file://$(CURDIR)/_build/html/index.html"

build:
	$(JB) build . -W -n --keep-going

# Unit, property and doctests (incl. the check that every notebook is executed),
# on two workers. --dist loadfile keeps each test file on one worker, so the
# nbgrader course that tests/test_assignments.py's tests share is built once
# while the other worker runs the other files. (--dist loadgroup would be
# finer, but pytest-xdist 3.8 cannot group under pytest 9.) Property tests
# are derandomized (hypothesis profile "ci", tests/conftest.py). The browser
# tests (make site) and the fresh-venv install checks (make install-check)
# are steps of their own.
unit: install
	$(PY) -m pytest tests infocourse --doctest-modules --ignore=tests/site \
	    --ignore=tests/install -n 2 --dist loadfile

# Re-execute every notebook and compare with its stored outputs. The stored
# outputs are CPU results, so any GPU is hidden (CUDA_VISIBLE_DEVICES=).
# Cells whose numbers depend on the CPU's kernel path declare a tolerance
# (cell metadata "nbval-tolerance", tests/nbval_tolerance.py, loaded by
# conftest.py); every other cell is compared exactly.
# Portability run: the notebooks run with another CPU's arithmetic, torch's
# scalar kernels (no AVX2/AVX-512), MKL's reproducible compatible code path
# and one OpenMP thread per kernel, so a cell that depends on the kernel path
# fails here and not on a reader's machine. It replaces the plain run: the
# notebooks pass in both. A variable set in the environment wins
# (ATEN_CPU_CAPABILITY=avx2 make notebooks); `make notebooks PORTABILITY=`
# runs with this machine's own arithmetic.
PORTABILITY ?= ATEN_CPU_CAPABILITY=$${ATEN_CPU_CAPABILITY:-default} \
               MKL_CBWR=$${MKL_CBWR:-COMPATIBLE} OMP_NUM_THREADS=$${OMP_NUM_THREADS:-1}
notebooks: install
	CUDA_VISIBLE_DEVICES= $(PORTABILITY) $(PY) -m pytest book --ignore=book/assignments $(NBVAL)

# Checks of the built site in _build/html (run after `build`): static checks and
# end-to-end tests in headless Chromium (skipped with a message saying how to
# install it when /usr/bin/chromium is missing; .ci/run installs it). Two
# workers, each with its own server and browser; --dist loadfile keeps each
# file's session-wide page loads on one worker.
site: install
	$(PY) -m pytest tests/site -rs -n 2 --dist loadfile

test: unit notebooks install-check build site
	@echo ""
	@echo "All checks passed: unit/property/doctests, nbval over book/ (portability run), student install, book build with -W, site checks."

# Speed against scipy / scikit-learn and estimator accuracy (issue 7), plus the
# book build and the nbval run, timed. Writes benchmarks/results/latest.{json,md};
# fails when a goal is missed. BENCH_ARGS="--no-build --no-nbval" skips the timed runs.
bench: install
	$(PY) benchmarks/run.py $(BENCH_ARGS)

# Execution time of every notebook, each alone in a fresh kernel: records
# tests/notebook_times.json and rewrites the table in README.md.
times: install
	$(PY) tools/notebook_times.py

# nbgrader assignments (book/assignments; see book/instructor_guide.md).
# release: student versions into release/ and the gradebook; autograde: new or
# changed submitted/<student>/<assignment>/ into gradebook.db, grades.csv and
# grades_wide.csv (exit status 2: graded, but problems to look at);
# feedback: HTML per submission into feedback/.
# make autograde STUDENT=ada,bob ASSIGNMENT=01_entropy FORCE=1 grades a subset
# (FORCE=1: regrade unchanged submissions too); make feedback SHOW_CHECKS=1.
COURSE ?= book/assignments
STUDENT ?=
ASSIGNMENT ?=
FORCE ?=
SHOW_CHECKS ?=

release: install
	$(PY) tools/course.py release $(COURSE)

autograde: install
	$(PY) tools/course.py autograde $(COURSE) $(if $(STUDENT),--student $(STUDENT)) \
	  $(if $(ASSIGNMENT),--assignment $(ASSIGNMENT)) $(if $(FORCE),--force)

feedback: install
	$(PY) tools/course.py feedback $(COURSE) $(if $(SHOW_CHECKS),--show-checks)

# What a student's install gives, in fresh venvs outside the repository
# (tests/install, marked slow; a few minutes): the sdist and the wheel build,
# the core works without extras, and after pip install "<wheel>[notebooks]"
# ipykernel every chapter and released assignment runs alone in a folder.
install-check: install
	$(PY) -m pytest tests/install -m slow -p no:cacheprovider

# Before publishing (book/publishing.md): fails while _config.yml's
# repository.url is the placeholder, or a chapter's Colab install cell was
# written for another repository.
publish-check: install
	$(PY) tools/publish_check.py

# Serve the built book on this machine only: make serve [PORT=8001].
.PHONY: serve
PORT ?= 8000
serve:
	@test -f _build/html/index.html || { echo "No built book in _build/html: run make book first."; exit 1; }
	@echo "Serving the book at http://127.0.0.1:$(PORT)/ (Ctrl+C to stop)"
	python3 -m http.server $(PORT) --bind 127.0.0.1 --directory _build/html

clean:
	rm -rf _build .pytest_cache .hypothesis
