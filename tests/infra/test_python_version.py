"""One Python for the suite and the functions (issue #13 section 2): the venv `make` creates runs
on Lambda's runtime version, and every place that names that version names the same one."""

from __future__ import annotations

import glob
import re
import shutil
import subprocess
import sys
import tomllib

import pytest

pytest.importorskip("aws_cdk", reason="aws-cdk-lib not installed (pip install -e '.[cdk]')")

from infra.components import layer_build, runtime
from tests.paths import REPO_ROOT


def _functions_version() -> tuple[int, int]:
    match = re.fullmatch(r"python(\d+)\.(\d+)", runtime.RUNTIME.name)
    assert match, runtime.RUNTIME.name
    return int(match[1]), int(match[2])


def _dotted(version: tuple[int, ...]) -> str:
    return ".".join(map(str, version[:2]))


def test_every_place_names_the_functions_python_version() -> None:
    version = _dotted(_functions_version())
    assert layer_build.LAYER_PYTHON_VERSION == version
    makefile = (REPO_ROOT / "Makefile").read_text()
    assert re.search(r"^FUNCTIONS_PYTHON := (\S+)$", makefile, re.M)[1] == version  # type: ignore[index]
    pyproject = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text())
    assert pyproject["tool"]["mypy"]["python_version"] == version


def _interpreters(version: str) -> list[str]:
    """The working python<version> interpreters the Makefile looks for: on PATH, then under pyenv."""
    found = [shutil.which(f"python{version}") or ""]
    pyenv = shutil.which("pyenv")
    if pyenv:
        root = subprocess.run([pyenv, "root"], capture_output=True, text=True).stdout.strip()
        found += sorted(glob.glob(f"{root}/versions/{version}.*/bin/python{version}"))
    return [p for p in found if p and subprocess.run([p, "-c", ""], capture_output=True).returncode == 0]


def test_the_suite_runs_on_the_functions_python() -> None:
    """Fails when the machine has the functions' Python and the suite still runs on another; skips,
    saying so, on a machine that has none (the Makefile then falls back to python3)."""
    expected = _functions_version()
    version = _dotted(expected)
    if sys.version_info[:2] != expected and not _interpreters(version):
        pytest.skip(f"no python{version} (the functions' {runtime.RUNTIME.name}) on PATH or under pyenv: the "
                    f"suite runs on {_dotted(sys.version_info)}")
    assert sys.version_info[:2] == expected, (
        f"python{version} is on this machine but the suite runs on {_dotted(sys.version_info)}: "
        "`make clean test` makes .venv with it")
