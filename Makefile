# Each target sets up .venv on its own: a fresh checkout needs only python3 (>= 3.11) and make.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
GOLD ?= ../shared/gold

.PHONY: run test bench eval clean chromium

run: $(STAMP)
	$(PY) build_graph.py

test: $(STAMP)
	$(PY) -m pytest

bench: $(STAMP)
	$(PY) bench/bench_extract.py

eval: $(STAMP)
	$(PY) -m kg extract data/samples --out output/extractions
	python3 ../shared/tools/kg_eval.py --gold $(GOLD) --pred output/extractions

# tests/test_browser.py drives Debian's Chromium (headless, network blocked); CI must run it, so
# this installs it, with CJK fonts for the screenshots, when /usr/bin/chromium is missing (as root).
chromium:
	@if [ ! -x /usr/bin/chromium ]; then \
		export DEBIAN_FRONTEND=noninteractive; \
		apt-get update && apt-get install -y chromium fonts-noto-cjk; \
	fi

$(PY):
	$(PYTHON) -m venv $(VENV)

# Reinstall whenever the package metadata changes; the stamp records the last install.
$(STAMP): setup.cfg pyproject.toml | $(PY)
	$(PY) -m pip install -e '.[test,bench]'
	touch $@

clean:
	find output -mindepth 1 ! -name .gitkeep -exec rm -rf {} +
	rm -rf build dist *.egg-info .pytest_cache
	find . -path ./$(VENV) -prune -o -name __pycache__ -type d -exec rm -rf {} +
