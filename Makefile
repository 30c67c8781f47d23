# clausewatch — every target sets itself up (venv + pip install) on a fresh machine.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
export JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION=20
export JSII_SILENCE_WARNING_UNTESTED_NODE_VERSION=1
export PIP_DISABLE_PIP_VERSION_CHECK=1

.PHONY: demo lint test unit integration infra cuad eval bench synth layer clean serve api-fuzz
.PHONY: train

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# the demo needs only the runtime and the embedded default, not CDK
$(VENV)/.local-installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e '.[local]'
	touch $@

$(VENV)/.dev-installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e '.[dev,cdk]'
	touch $@ $(VENV)/.local-installed

demo: $(VENV)/.local-installed
	$(BIN)/clausewatch demo

# the whole suite (tests/); one layer: make unit (pure, seconds) | integration (moto) | infra (CDK) | cuad
# the gates first (seconds): ruff on the whole tree, mypy on the package
lint: $(VENV)/.dev-installed
	$(BIN)/ruff check .
	$(BIN)/mypy

test: lint
	$(BIN)/python -m pytest

unit: $(VENV)/.dev-installed
	$(BIN)/python -m pytest tests/unit

integration infra cuad: $(VENV)/.dev-installed
	$(BIN)/python -m pytest tests/$@

# the API on 127.0.0.1:8000 over the state `make demo` saved (see README, "The API locally")
serve: $(VENV)/.local-installed
	$(BIN)/clausewatch serve

# schemathesis against `clausewatch serve` (make test runs the same with 25 examples per operation)
api-fuzz: $(VENV)/.dev-installed
	CLAUSEWATCH_FUZZ_EXAMPLES=$${EXAMPLES:-100} $(BIN)/python -m pytest -q -rP tests/integration/test_serve.py -k schemathesis

eval: $(VENV)/.local-installed
	$(BIN)/clausewatch eval

# refit the clause finder on ../shared/cuad's tuning part (scikit-learn, dev only) and rewrite
# layers/core/python/clausewatch/extract/finder_params.json (deterministic; several minutes)
train: $(VENV)/.dev-installed
	$(BIN)/python -m clausewatch.finder_train

# make bench BENCH_ARGS=--quick (every 10th CUAD PDF, 30 contracts); writes bench-results.json
BENCH_ARGS ?=
bench: $(VENV)/.dev-installed
	$(BIN)/python benchmarks/bench.py $(BENCH_ARGS)

synth: $(VENV)/.dev-installed
	$(BIN)/python -m infra.app

# Lambda layer with its dependencies, for `cdk deploy` (see README)
layer: $(VENV)/.dev-installed
	rm -rf build/layer && mkdir -p build/layer/python
	$(BIN)/pip install -q --target build/layer/python \
	    --platform manylinux2014_x86_64 --only-binary=:all: --python-version 3.12 --implementation cp .
	rm -rf build/layer/python/boto3 build/layer/python/botocore

clean:
	rm -rf $(VENV) build cdk.out .pytest_cache
