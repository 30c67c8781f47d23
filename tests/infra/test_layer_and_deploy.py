"""What is deployed is what was tested (issue #13 section 2): the layer is built by synthesis and
its asset hash follows its sources; a build that fails stops synthesis; placeholder addresses are
refused; the built layer imports every handler under the functions' Python version."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("aws_cdk", reason="aws-cdk-lib not installed (pip install -e '.[cdk]')")

from clausewatch import config
from infra.components import layer_build
from infra.components.deploy_guard import PlaceholderAddressError, is_placeholder
from tests.infra import deploy_context
from tests.paths import REPO_ROOT


def _copy_sources(root: Path) -> Path:
    shutil.copytree(REPO_ROOT / "layers" / "core" / "python" / "clausewatch", root / "layers" / "core" / "python" /
                    "clausewatch", ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    shutil.copy(REPO_ROOT / "pyproject.toml", root / "pyproject.toml")
    return root


def test_the_layer_hash_follows_its_sources_and_dependencies(tmp_path: Path) -> None:
    root = _copy_sources(tmp_path)
    first = layer_build.layer_asset_hash(root)
    assert first == layer_build.layer_asset_hash(root)  # stable
    config_py = root / "layers" / "core" / "python" / "clausewatch" / "config.py"
    config_py.write_text(config_py.read_text() + "\n# an edit\n")
    edited = layer_build.layer_asset_hash(root)
    assert edited != first  # an edit to config.py is a new layer
    (root / "layers" / "core" / "python" / "clausewatch" / "__pycache__").mkdir(exist_ok=True)
    (root / "layers" / "core" / "python" / "clausewatch" / "__pycache__" / "x.pyc").write_bytes(b"junk")
    assert layer_build.layer_asset_hash(root) == edited  # caches are not sources
    (root / "pyproject.toml").write_text((root / "pyproject.toml").read_text() + "\n# deps\n")
    assert layer_build.layer_asset_hash(root) != edited  # nor are dependency ranges ignored
    (root / "layers" / "requirements.lock").write_text("boto3==1.35.0\n")
    assert layer_build.layer_asset_hash(root) not in (first, edited)


def _layer_key(root: Path) -> str:
    """The S3 key of the layer asset a stack with just the layer synthesizes to (bundling skipped)."""
    from aws_cdk import App, Stack
    from aws_cdk import aws_lambda as lambda_
    from aws_cdk.assertions import Template

    app = App(context=deploy_context.SKIP_BUNDLING)
    stack = Stack(app, "LayerOnly")
    lambda_.LayerVersion(stack, "Layer", code=layer_build.layer_code(root))
    (layer,) = Template.from_stack(stack).find_resources("AWS::Lambda::LayerVersion").values()
    return layer["Properties"]["Content"]["S3Key"]


def test_an_edit_to_the_sources_is_a_new_layer_asset(tmp_path: Path) -> None:
    root = _copy_sources(tmp_path)
    first = _layer_key(root)
    assert _layer_key(root) == first
    config_py = root / "layers" / "core" / "python" / "clausewatch" / "config.py"
    config_py.write_text(config_py.read_text() + "\n# an edit\n")
    assert _layer_key(root) != first


def test_the_stacks_layer_is_the_asset_of_the_current_sources(template: dict[str, Any]) -> None:
    # (the web dashboard's file publishing brings CDK's AWS CLI layer: not ours)
    (layer,) = [r for k, r in template["Resources"].items()
                if r["Type"] == "AWS::Lambda::LayerVersion" and not k.startswith("WebFiles")]
    assert layer["Properties"]["Content"]["S3Key"] == _layer_key(REPO_ROOT)
    assert layer["Properties"]["CompatibleRuntimes"] == ["python3.12"]


def test_a_layer_that_cannot_be_built_stops_synthesis_with_the_reason(tmp_path: Path) -> None:
    root = tmp_path / "broken"
    root.mkdir()
    (root / "pyproject.toml").write_text("[project]\nname = \"x\"\nversion = \"0\"\ndependencies = "
                                         "[\"clausewatch-no-such-package-anywhere==99\"]\n")
    with pytest.raises(layer_build.LayerBuildError, match="could not build the Lambda layer"):
        layer_build.build_layer(tmp_path / "out", root, pip=(sys.executable, "-m", "pip", "--no-index"))
    with pytest.raises(layer_build.LayerBuildError, match="could not build"):
        layer_build.build_layer(tmp_path / "out2", root, pip=("/nonexistent/pip",))


def test_synthesis_builds_the_layer_when_bundling_is_on(tmp_path: Path, monkeypatch) -> None:
    """Without the tests' skip switch, synthesis runs the layer bundler (here one that fails, as a
    pip without its index would): the error stops synthesis, no template is written."""
    from infra.app import build_app

    def fail(output_dir: Path, root: Path = REPO_ROOT, pip=None) -> Path:
        raise layer_build.LayerBuildError("could not build the Lambda layer: no index (test)")

    monkeypatch.setattr(layer_build, "build_layer", fail)
    context = {k: v for k, v in deploy_context.test_context().items() if k != "aws:cdk:bundling-stacks"}
    with pytest.raises(Exception, match="could not build the Lambda layer"):
        build_app(context=context, outdir=str(tmp_path / "cdk.out"))


@pytest.mark.parametrize("missing", ["sender_email", "default_owner", "escalation_email"])
def test_synthesis_refuses_placeholder_addresses(tmp_path: Path, missing: str) -> None:
    from infra.app import build_app

    context = deploy_context.test_context()
    del context[missing]
    with pytest.raises(PlaceholderAddressError, match=f"{missing}=.*example"):
        build_app(context=context, outdir=str(tmp_path / "cdk.out"))


def test_placeholders_are_example_domains_only() -> None:
    assert is_placeholder(config.DEFAULT_SENDER_EMAIL) and is_placeholder("a@mail.example.org")
    assert not is_placeholder(deploy_context.SENDER) and not is_placeholder("a@example.company")


def test_cdk_json_runs_the_app_with_the_projects_python() -> None:
    """`cdk synth` from a fresh shell (no activated venv) uses .venv/bin/python when present."""
    import json

    app = json.loads((REPO_ROOT / "cdk.json").read_text())["app"]
    assert app.split()[0] == "bin/cdk-python"
    wrapper = REPO_ROOT / "bin" / "cdk-python"
    assert os.access(wrapper, os.X_OK)
    env = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "PYTHONPATH")}
    env["PATH"] = "/usr/bin:/bin"
    out = subprocess.run([str(wrapper), "-c", "import sys, aws_cdk; print(sys.prefix)"], cwd=REPO_ROOT,
                         env=env, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert Path(out.stdout.strip()).resolve() == (REPO_ROOT / ".venv").resolve()


PY312_PATH = next((p for p in (sys.executable if sys.version_info[:2] == (3, 12) else "",
                                 "/root/.pyenv/versions/3.12.1/bin/python3.12", shutil.which("python3.12") or "")
                   if p and os.access(p, os.X_OK)
                   and subprocess.run([p, "--version"], capture_output=True).returncode == 0), None)
BUILT = REPO_ROOT / "build" / "layer" / "python"
BUILT_HASH = BUILT.parent / "SOURCE_HASH"
CURRENT = BUILT_HASH.is_file() and BUILT_HASH.read_text().strip() == layer_build.layer_asset_hash()


@pytest.mark.skipif(PY312_PATH is None, reason="no python3.12 (the functions' runtime) on this machine")
@pytest.mark.skipif(not BUILT.is_dir(), reason="no built layer: `make layer` builds build/layer (pip, ~1 min)")
@pytest.mark.skipif(BUILT.is_dir() and not CURRENT, reason="build/layer is older than the sources: `make layer`")
@pytest.mark.parametrize("function", config.FUNCTIONS)
def test_every_handler_imports_from_the_built_layer_under_python_3_12(function: str) -> None:
    """Only the layer's python/ and the function's folder on the path, isolated from this venv,
    as Lambda's python3.12 runtime sees them (the runtime's own boto3 is not there: the layer
    carries a consistent one)."""
    code = ("import sys, importlib; import handler; import boto3, botocore, s3transfer, urllib3, jmespath; "
            "boto3.client('s3', region_name='us-east-1'); print(sys.version_info[:2], boto3.__version__)")
    env = {"PYTHONPATH": f"{BUILT}:{REPO_ROOT / 'functions' / function}", "PATH": "/usr/bin:/bin",
           "AWS_REGION": "us-east-1", "AWS_DEFAULT_REGION": "us-east-1", "POWERTOOLS_TRACE_DISABLED": "true",
           "AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing"}
    out = subprocess.run([PY312_PATH, "-S", "-c", code], env=env, capture_output=True, text=True, timeout=120,
                         cwd=REPO_ROOT / "functions" / function)
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.startswith("(3, 12)")
