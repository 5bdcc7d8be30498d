# The two commands a fresh machine needs (see README): `make demo` and `make test`.
# Both set up .venv first from the lock file; nothing else must be installed by hand.

VENV := .venv
BIN := $(VENV)/bin

.PHONY: setup demo test bench lock docs

setup: $(VENV)/.installed

$(VENV)/.installed: requirements.lock pyproject.toml
	python3 -m venv $(VENV)
	$(BIN)/pip install --quiet uv==0.13.9
	# compiled bytecode halves Prefect's import time on machines that set PYTHONDONTWRITEBYTECODE
	$(BIN)/uv pip sync --quiet --python $(BIN)/python --compile-bytecode requirements.lock
	$(BIN)/uv pip install --quiet --python $(BIN)/python --no-deps -e .
	touch $@

demo: setup
	$(BIN)/nianbao demo

test: setup
	$(BIN)/pytest

bench: setup
	$(BIN)/python -m bench.run

# Re-pin after changing dependencies in pyproject.toml.
lock: setup
	$(BIN)/uv pip compile pyproject.toml --extra test --python-version 3.11 -o requirements.lock

docs: setup
	$(BIN)/python -m warehouse.dictionary
	$(BIN)/python -m cli.docs
