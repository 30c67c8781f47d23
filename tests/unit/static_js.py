"""Run one function of a web page's module (web/static) under node, beside a stub of app.js (the
page's DOM helpers): the module and the stub are copied to a folder of their own, with a script
that prints what the function returns for one JSON argument."""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

STATIC = Path(__file__).resolve().parents[2] / "layers/core/python/clausewatch/web/static"
NODE = shutil.which("node")


def node_runner(folder: Path, module: str, stub: str, run: str) -> Callable[[Any], Any]:
    """A function that runs ``run`` (reading its argument as JSON from argv[2], printing JSON) beside
    ``module`` and ``stub`` (as app.js) in ``folder``, and returns what it printed; skipped without node."""
    if NODE is None:
        pytest.skip("node is not installed")
    shutil.copy(STATIC / module, folder / module)
    (folder / "app.js").write_text(stub)
    (folder / "run.mjs").write_text(run)

    def call(argument: Any) -> Any:
        out = subprocess.run([str(NODE), str(folder / "run.mjs"), json.dumps(argument)], capture_output=True,
                             text=True, check=True, timeout=60)
        return json.loads(out.stdout)
    return call
