PY ?= .venv/bin/python

.PHONY: install lint format typecheck test bench check

install:
	python3 -m venv .venv && .venv/bin/pip install -q -e '.[test]'

lint:
	$(PY) -m ruff check src tests bench
	$(PY) -m ruff format --check src tests bench

format:
	$(PY) -m ruff format src tests bench
	$(PY) -m ruff check --fix src tests bench

typecheck:
	$(PY) -m mypy

test:
	$(PY) -m pytest -q

bench:
	$(PY) bench/run.py

check: lint typecheck test
