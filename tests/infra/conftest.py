"""The CDK app, synthesized once per test session; every infra test reads the same template."""

from __future__ import annotations

import os
from typing import Any

import pytest

# before jsii starts (the first aws_cdk import): Node 20 works but is past its end of life
os.environ.setdefault("JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION", "20")
os.environ.setdefault("JSII_SILENCE_WARNING_UNTESTED_NODE_VERSION", "1")


@pytest.fixture(scope="session")
def template(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The stack's CloudFormation template as JSON (a few seconds to synthesize)."""
    from aws_cdk.assertions import Template

    from infra.app import build_app
    from tests.infra.deploy_context import test_context

    outdir = tmp_path_factory.mktemp("cdk.out")
    _, stack = build_app(context=test_context(), outdir=str(outdir))
    return Template.from_stack(stack).to_json()
