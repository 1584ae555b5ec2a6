PY ?= .venv/bin/python

.PHONY: install lint format typecheck test bench check

install:
	python3 -m venv .venv && .venv/bin/pip install -q -e ./fakesheets -e '.[test]'

lint:
	$(PY) -m ruff check src tests bench fakesheets
	$(PY) -m ruff format --check src tests bench fakesheets

format:
	$(PY) -m ruff format src tests bench fakesheets
	$(PY) -m ruff check --fix src tests bench fakesheets

typecheck:
	$(PY) -m mypy

test:
	$(PY) -m coverage run -m pytest -q
	$(PY) -m coverage combine -q && $(PY) -m coverage report --format=total

bench:
	$(PY) bench/run.py

check: lint typecheck test
