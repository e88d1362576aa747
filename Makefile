# Two entry points (see README "Quick start"):
#   make run    set up a virtual environment and open the app on the bundled content
#   make test   set up the same environment and run every check and the whole test suite
#   make lock   rewrite requirements/lock.txt after a dependency changed in pyproject.toml
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
# Every runtime, dev and build dependency, pinned with hashes for Linux, Windows and macOS alike.
LOCK := requirements/lock.txt

.PHONY: run test lint lock lock-upgrade system-libs screenshots bundle translations

# Install exactly what the lock names (pip refuses any file whose hash differs), then Microlearn
# itself without resolving anything again, built by the locked setuptools.
$(STAMP): pyproject.toml $(LOCK)
	python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --require-hashes -r $(LOCK)
	$(PY) -m pip install --quiet --no-deps --no-build-isolation -e .
	$(PY) -m pip check
	touch $(STAMP)

# uv resolves for every platform at once (--universal), which pip-compile cannot. It comes from
# its own small lock so that this works even while requirements/lock.txt is out of date.
UV_COMPILE = $(VENV)/bin/uv pip compile --quiet --universal --python-version 3.11 --generate-hashes \
	--custom-compile-command "make lock"

# Keeps every existing pin that still fits; adds, drops or moves only what pyproject.toml changed.
lock:
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --require-hashes -r requirements/uv.txt
	$(UV_COMPILE) $(LOCK_FLAGS) pyproject.toml requirements/build.in --extra dev -o $(LOCK)

# Moves every pin (uv's own too) to the newest release pyproject.toml allows.
lock-upgrade:
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --require-hashes -r requirements/uv.txt
	$(UV_COMPILE) --upgrade requirements/uv.in -o requirements/uv.txt
	$(MAKE) lock LOCK_FLAGS=--upgrade

# The interface's words: lupdate collects every tr()/translate() phrase into the .ts files (the
# English one only keeps the plural forms, "1 result" / "2 results"); lrelease compiles the .qm
# files the app loads. The .qm files are committed, so a plain `pip install` has them too.
TS_DIR := src/microlearn/ui/translations
TS_SOURCES := $(shell find src/microlearn/ui -name '*.py')
translations: $(STAMP)
	$(VENV)/bin/pyside6-lupdate -silent -no-obsolete -locations none $(TS_SOURCES) -ts $(TS_DIR)/microlearn_es.ts
	$(VENV)/bin/pyside6-lupdate -silent -no-obsolete -locations none -pluralonly $(TS_SOURCES) -ts $(TS_DIR)/microlearn_en.ts
	$(VENV)/bin/pyside6-lrelease -silent $(TS_DIR)/microlearn_es.ts $(TS_DIR)/microlearn_en.ts

system-libs:
	@bash .ci/system-libs.sh $(PY)

run: $(STAMP) system-libs
	$(VENV)/bin/microlearn

lint: $(STAMP)
	$(PY) -m ruff check src tests bench docs
	$(PY) -m ruff format --check src tests bench docs
	$(PY) -m mypy

test: $(STAMP) system-libs lint
	$(PY) -m microlearn content check content
	$(PY) -m pytest

screenshots: $(STAMP) system-libs
	xvfb-run -a -s "-screen 0 1366x768x24" $(PY) docs/make_screenshots.py docs/screenshots

# The one-folder bundle (dist/microlearn) and the Debian package (dist/microlearn_<version>_<arch>.deb).
bundle: $(STAMP) system-libs
	bash installer/linux/install-build-deps.sh
	$(PY) -m PyInstaller --noconfirm --clean build.spec
	PYTHON=$(PY) bash installer/linux/build-deb.sh
