"""The unit layer stays pure: a run of tests/unit alone (`make unit`) must not load moto or the CDK."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

UNIT = Path(__file__).resolve().parent
HEAVY = ("moto", "aws_cdk")  # the embedded AWS and the CDK: seconds to import, and not pure


@pytest.fixture(scope="session", autouse=True)
def _unit_run_loads_neither_moto_nor_cdk(request):
    """Checked when the session ends, so an import anywhere in the run (a test, a fixture, the code
    under test) counts; only when every collected test is a unit test."""
    yield
    if all(Path(item.path).is_relative_to(UNIT) for item in request.session.items):
        loaded = [name for name in HEAVY if name in sys.modules]
        assert not loaded, (f"the unit tests imported {', '.join(loaded)}: the test that needs it "
                            "belongs in tests/integration or tests/infra")
