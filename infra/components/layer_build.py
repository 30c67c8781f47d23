"""The shared Lambda layer, built as part of synthesis: what is deployed is what was tested.

- The layer asset's hash is computed from what goes into it: every file of the clausewatch package
  (layers/core/python), pyproject.toml (the dependency ranges), the dependency lock
  (layers/requirements.lock, when present) and this build recipe. Editing any of them changes the
  hash, so `cdk deploy` uploads a new layer version; nothing else does.
- The layer is built by CDK bundling with a local bundler (no Docker needed): `pip install` of the
  project for the functions' runtime (CPython 3.12, manylinux2014 x86_64, binary wheels only) into
  the asset's python/ folder. A build that fails stops the synthesis with pip's reason: a deploy
  never goes ahead with a layer missing its dependencies.
- One consistent dependency set: boto3 and botocore are shipped *with* the s3transfer, jmespath and
  urllib3 they were resolved with (the versions the tests ran against), instead of deleting boto3
  and botocore and leaving their dependencies to shadow the runtime's copies.
- Tests skip the pip install with CDK's own switch (context ``aws:cdk:bundling-stacks: []``): the
  asset hash is still computed from the sources, so a test can see an edit change it.

`python -m infra.components.layer_build DIR` builds the same layer into DIR (what `make layer` runs).
"""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import sys
from pathlib import Path

import jsii
from aws_cdk import AssetHashType, BundlingOptions, DockerImage, ILocalBundling
from aws_cdk import aws_lambda as lambda_

REPO_ROOT = Path(__file__).resolve().parents[2]
PACKAGE_DIR = REPO_ROOT / "layers" / "core" / "python"
SOURCE_LAYER_DIR = REPO_ROOT / "layers" / "core"
LOCK_FILE = REPO_ROOT / "layers" / "requirements.lock"
LAYER_PYTHON_VERSION = "3.12"  # the functions' runtime (runtime.RUNTIME)
PLATFORM = "manylinux2014_x86_64"  # the functions' architecture (runtime.ARCHITECTURE)
# the recipe is part of the hash: changing how the layer is built rebuilds it
PIP_ARGS = ("install", "--quiet", "--no-compile", "--platform", PLATFORM, "--only-binary=:all:",
            "--python-version", LAYER_PYTHON_VERSION, "--implementation", "cp")
_NOT_SOURCES = ("__pycache__", ".pytest_cache", ".mypy_cache")
_NOT_SOURCE_SUFFIXES = (".pyc", ".pyo")


class LayerBuildError(RuntimeError):
    """The layer could not be built: synthesis stops with the reason."""


def _source_files(root: Path) -> list[Path]:
    package = root / "layers" / "core" / "python"
    files = [p for p in package.rglob("*") if p.is_file()
             and not any(part in _NOT_SOURCES or part.endswith(".egg-info") for part in p.relative_to(package).parts)
             and p.suffix not in _NOT_SOURCE_SUFFIXES]
    extra = [root / "pyproject.toml", root / "layers" / "requirements.lock"]
    return sorted(files) + [p for p in extra if p.is_file()]


def layer_asset_hash(root: Path = REPO_ROOT) -> str:
    """SHA-256 over the recipe and every input file (path and bytes) of the layer."""
    digest = hashlib.sha256("\0".join(PIP_ARGS).encode())
    for path in _source_files(root):
        digest.update(b"\0" + path.relative_to(root).as_posix().encode() + b"\0")
        digest.update(path.read_bytes())
    return digest.hexdigest()


def build_layer(output_dir: Path, root: Path = REPO_ROOT, pip: tuple[str, ...] | None = None) -> Path:
    """pip-install the project for the functions' runtime into ``output_dir``/python; raises
    LayerBuildError (with pip's output) when it cannot."""
    target = Path(output_dir) / "python"
    target.mkdir(parents=True, exist_ok=True)
    command = [*(pip or (sys.executable, "-m", "pip")), *PIP_ARGS, "--target", str(target)]
    lock = root / "layers" / "requirements.lock"
    if lock.is_file():
        command += ["--constraint", str(lock)]
    command.append(str(root))
    try:
        result = subprocess.run(command, capture_output=True, text=True, timeout=900)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise LayerBuildError(f"could not build the Lambda layer ({' '.join(command)}): {exc}") from exc
    if result.returncode != 0:
        tail = "\n".join((result.stderr or result.stdout).strip().splitlines()[-15:])
        raise LayerBuildError(
            f"could not build the Lambda layer: pip exited with {result.returncode}.\n{tail}\n"
            f"(command: {' '.join(command)}). Synthesis stops: a layer without its dependencies "
            "would fail every function on import.")
    if not (target / "clausewatch" / "__init__.py").is_file():
        raise LayerBuildError(f"the layer built in {target} has no clausewatch package")
    for cache in target.rglob("__pycache__"):
        shutil.rmtree(cache, ignore_errors=True)
    # setuptools leaves its build folder in the source tree: not part of the sources
    shutil.rmtree(root / "build" / "lib", ignore_errors=True)
    # which sources this layer was built from (a test checks `make layer`'s copy is current)
    (Path(output_dir) / "SOURCE_HASH").write_text(layer_asset_hash(root))
    return target


@jsii.implements(ILocalBundling)
class PipLayerBundler:
    """CDK local bundling: build the layer on this machine (no Docker)."""

    def __init__(self, root: Path = REPO_ROOT):
        self.root = root

    def try_bundle(self, output_dir: str, *, image=None, **_options) -> bool:
        build_layer(Path(output_dir), self.root)
        return True


def layer_code(root: Path = REPO_ROOT) -> lambda_.Code:
    """The layer's code asset: bundled by pip on synthesis, hashed from its sources."""
    return lambda_.Code.from_asset(
        str(root / "layers" / "core"),
        asset_hash=layer_asset_hash(root),
        asset_hash_type=AssetHashType.CUSTOM,
        bundling=BundlingOptions(
            local=PipLayerBundler(root),
            # CDK requires an image; it is never used: the local bundler builds or raises
            image=DockerImage.from_registry(f"public.ecr.aws/sam/build-python{LAYER_PYTHON_VERSION}"),
            command=["bash", "-c", "echo 'the clausewatch layer is built locally "
                                   "(infra/components/layer_build.py), not in Docker' >&2; exit 1"],
        ),
    )


def is_current(output_dir: Path, root: Path = REPO_ROOT) -> bool:
    """True when ``output_dir`` holds a layer built from today's sources (its SOURCE_HASH)."""
    stamp = Path(output_dir) / "SOURCE_HASH"
    return ((Path(output_dir) / "python" / "clausewatch").is_dir() and stamp.is_file()
            and stamp.read_text().strip() == layer_asset_hash(root))


if __name__ == "__main__":
    args = sys.argv[1:]
    if_stale = "--if-stale" in args
    args = [a for a in args if a != "--if-stale"]
    if len(args) != 1:
        raise SystemExit("usage: python -m infra.components.layer_build [--if-stale] OUTPUT_DIR")
    out = Path(args[0])
    if if_stale and is_current(out):
        print(f"{out}: the layer is current (asset hash {layer_asset_hash()})")
        raise SystemExit(0)
    shutil.rmtree(out, ignore_errors=True)
    print(build_layer(out))
    print(f"asset hash {layer_asset_hash()}")
