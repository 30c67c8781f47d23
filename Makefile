# clausewatch — every target sets itself up (venv + pip install) on a fresh machine.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
export JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION=20
export JSII_SILENCE_WARNING_UNTESTED_NODE_VERSION=1
export PIP_DISABLE_PIP_VERSION_CHECK=1

.PHONY: demo lint test unit integration infra cuad eval bench synth layer clean serve api-fuzz browser train

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

# the web dashboard in headless Chromium (apt-get install -y chromium chromium-driver); screenshots
# in test-artifacts/browser/
browser: $(VENV)/.dev-installed
	$(BIN)/python -m pytest -rs tests/browser

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

# only the scale rows (planning with/without the rolling horizon; API p50/p95/p99 at 1,000 and
# 10,000 contracts): make bench-scale; writes bench-scale-results.json
.PHONY: bench-scale
bench-scale: $(VENV)/.dev-installed
	$(BIN)/python benchmarks/bench.py --only planning,api

synth: $(VENV)/.dev-installed
	$(BIN)/python -m infra.app

# Lambda layer with its dependencies, for `cdk deploy` (see README)
# (synthesis builds the same layer itself: infra/components/layer_build.py; this one is for
# tests/infra's import check under python3.12)
layer: $(VENV)/.dev-installed
	$(BIN)/python -m infra.components.layer_build build/layer

# bad uploads, duplicate deliveries and injected faults on the embedded default (a few minutes);
# ends with "lost uploads: N, duplicate emails: M"
.PHONY: reliability
reliability: $(VENV)/.dev-installed
	$(BIN)/python -m clausewatch.local.reliability

# from a fresh shell: cdk.json runs the app with .venv's python (bin/cdk-python); pass the
# addresses, e.g. CDK_ARGS="-c sender_email=... -c default_owner=... -c escalation_email=..."
.PHONY: deploy
deploy: $(VENV)/.dev-installed
	npx --yes aws-cdk@2 deploy $(CDK_ARGS)

clean:
	rm -rf $(VENV) build cdk.out .pytest_cache
