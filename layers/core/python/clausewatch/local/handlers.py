"""Load the Lambda handlers from functions/<name>/handler.py and call them as Lambda would."""

from __future__ import annotations

import importlib.util
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType

import clausewatch

from .. import config

# layers/core/python/clausewatch/__init__.py -> the repository root
REPO_ROOT = Path(clausewatch.__file__).resolve().parents[4]
FUNCTIONS_DIR = REPO_ROOT / "functions"


@dataclass
class FakeLambdaContext:
    """The attributes powertools and our handlers read from a Lambda context."""

    function_name: str
    memory_limit_in_mb: int = 512
    aws_request_id: str = field(default_factory=lambda: str(uuid.uuid4()))
    invoked_function_arn: str = ""
    log_group_name: str = ""
    log_stream_name: str = ""

    def __post_init__(self) -> None:
        self.invoked_function_arn = self.invoked_function_arn or \
            f"arn:aws:lambda:us-east-1:123456789012:function:{self.function_name}"

    @staticmethod
    def get_remaining_time_in_millis() -> int:
        return 300_000


_loaded: dict[str, ModuleType] = {}


def load_handler(name: str) -> ModuleType:
    """Import functions/<name>/handler.py (each folder is one Lambda; the modules share a name)."""
    if name not in config.FUNCTIONS:
        raise ValueError(f"unknown function {name!r}; known: {config.FUNCTIONS}")
    if name not in _loaded:
        path = FUNCTIONS_DIR / name / "handler.py"
        if not path.exists():
            raise FileNotFoundError(f"{path} not found: run clausewatch from a clone of the repository")
        spec = importlib.util.spec_from_file_location(f"clausewatch_functions.{name}", path)
        if spec is None or spec.loader is None:
            raise ImportError(f"cannot load {path}")
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        _loaded[name] = module
    return _loaded[name]


def invoke(name: str, event: dict) -> dict:
    """Call a function's handler with an event, as the Lambda service would."""
    return load_handler(name).handler(event, FakeLambdaContext(function_name=f"clausewatch-{name}"))
