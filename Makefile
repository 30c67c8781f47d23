# clausewatch — every target sets itself up (venv + pip install) on a fresh machine.
# The venv (so the whole suite) runs on the functions' Python, Lambda's python3.12
# (infra/components/runtime.py): the first working python3.12 on PATH or under pyenv. Elsewhere it
# falls back to python3 and says so (tests/infra/test_python_version.py checks which one ran).
# PYTHON=... overrides.
FUNCTIONS_PYTHON := 3.12
ifeq ($(origin PYTHON),undefined)
PYTHON := $(shell for p in python$(FUNCTIONS_PYTHON) $$(pyenv root 2>/dev/null)/versions/$(FUNCTIONS_PYTHON).*/bin/python$(FUNCTIONS_PYTHON); do \
	"$$p" -c '' >/dev/null 2>&1 && { command -v "$$p"; break; }; done)
ifeq ($(PYTHON),)
$(warning no python$(FUNCTIONS_PYTHON) (the functions' runtime) on PATH or under pyenv: the venv uses python3)
PYTHON := python3
endif
endif
PY_VERSION := $(shell $(PYTHON) -c 'import sys; print("%d.%d" % sys.version_info[:2])')
VENV   := .venv
BIN    := $(VENV)/bin
export JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION=20
export JSII_SILENCE_WARNING_UNTESTED_NODE_VERSION=1
export PIP_DISABLE_PIP_VERSION_CHECK=1

.PHONY: demo lint test unit integration infra cuad eval bench synth layer clean serve api-fuzz browser train

# a venv made with another Python (an older checkout's 3.11) is made again
$(VENV)/.python-$(PY_VERSION):
	rm -rf $(VENV)
	$(PYTHON) -m venv $(VENV)
	touch $@

# the demo needs only the runtime and the embedded default, not CDK
$(VENV)/.local-installed: pyproject.toml $(VENV)/.python-$(PY_VERSION)
	$(BIN)/pip install -q -e '.[local]'
	touch $@

$(VENV)/.dev-installed: pyproject.toml $(VENV)/.python-$(PY_VERSION)
	$(BIN)/pip install -q -e '.[dev,cdk]'
	touch $@ $(VENV)/.local-installed

demo: $(VENV)/.local-installed
	$(BIN)/clausewatch demo

# the whole suite (tests/); one layer: make unit (pure, seconds) | integration (moto) | infra (CDK) | cuad
# the gates first (seconds): ruff on the whole tree, mypy on the package
lint: $(VENV)/.dev-installed
	$(BIN)/ruff check .
	$(BIN)/mypy

# the layer (build/layer, rebuilt only when its sources changed) is built first: the suite imports
# every handler from it under the functions' Python (tests/infra/test_layer_and_deploy.py); the suite
# runs on every core (pytest-xdist: at most 4 workers; each takes whole modules, and tests/infra,
# tests/browser and tests/cuad whole: tests/conftest.py); the 25 slowest tests are listed at the end
# (the suite's time on CI's 90 minutes)
test: lint layer-current
	$(BIN)/python -m pytest -n auto --maxprocesses=4 --durations=25

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

.PHONY: layer-current
layer-current: $(VENV)/.dev-installed
	$(BIN)/python -m infra.components.layer_build --if-stale build/layer

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
