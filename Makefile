# Two entry points (see README "Quick start"):
#   make run    set up a virtual environment and open the app on the bundled content
#   make test   set up the same environment and run every check and the whole test suite
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run test lint system-libs screenshots bundle

$(STAMP): pyproject.toml
	python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

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
