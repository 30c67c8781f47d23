"""The renewal workflow's definition validates with asl-validator (npm; package.json and its
lockfile at the repository root pin it). Installed into ./node_modules on first use (`npm ci`);
skipped, with the reason, only when npm is missing or cannot install it."""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest

from clausewatch.renewal import DEFINITION_PATH
from tests.paths import REPO_ROOT

VALIDATOR = REPO_ROOT / "node_modules" / ".bin" / "asl-validator"


@pytest.fixture(scope="module")
def asl_validator() -> str:
    if shutil.which("npm") is None:
        pytest.skip("npm is not installed: asl-validator (an npm package) cannot run")
    if not VALIDATOR.exists():
        done = subprocess.run(["npm", "ci", "--no-audit", "--no-fund"], cwd=REPO_ROOT, capture_output=True,
                              text=True, timeout=300)
        if done.returncode != 0 or not VALIDATOR.exists():
            pytest.skip(f"npm ci could not install asl-validator: {done.stderr.strip()[-300:]}")
    return str(VALIDATOR)


def run(validator: str, path) -> subprocess.CompletedProcess:
    return subprocess.run([validator, "--json-path", str(path)], capture_output=True, text=True, timeout=120)


def test_the_renewal_definition_is_valid_asl(asl_validator):
    done = run(asl_validator, DEFINITION_PATH)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "is valid" in done.stdout


def test_the_validator_refuses_a_broken_definition(asl_validator, tmp_path):
    broken = json.loads(DEFINITION_PATH.read_text())
    broken["States"]["RouteDecision"]["Default"] = "NoSuchState"
    del broken["States"]["AskOwner"]["Resource"]
    path = tmp_path / "broken.asl.json"
    path.write_text(json.dumps(broken))
    done = run(asl_validator, path)
    assert done.returncode != 0
