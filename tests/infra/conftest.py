"""The CDK app, synthesized once per test session; every infra test reads the same template."""

from __future__ import annotations

import os
from typing import Any

import pytest

# before jsii starts (the first aws_cdk import): Node 20 works but is past its end of life
os.environ.setdefault("JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION", "20")
os.environ.setdefault("JSII_SILENCE_WARNING_UNTESTED_NODE_VERSION", "1")


@pytest.fixture(scope="session")
def synthesized(tmp_path_factory: pytest.TempPathFactory) -> tuple[Any, Any, Any]:
    """(app, stack, Template), synthesized once with cdk-nag's AwsSolutions checks applied (their
    findings are the stack's error annotations: tests/infra/test_nag.py)."""
    from aws_cdk import Aspects
    from aws_cdk.assertions import Template

    from infra.app import build_app
    from tests.infra.deploy_context import test_context

    outdir = tmp_path_factory.mktemp("cdk.out")
    app, stack = build_app(context=test_context(), outdir=str(outdir))
    try:
        from cdk_nag import AwsSolutionsChecks

        Aspects.of(app).add(AwsSolutionsChecks())
    except ImportError:  # cdk-nag not installed: test_nag.py skips
        pass
    return app, stack, Template.from_stack(stack)


@pytest.fixture(scope="session")
def template(synthesized: tuple[Any, Any, Any]) -> dict[str, Any]:
    """The stack's CloudFormation template as JSON (a few seconds to synthesize)."""
    return synthesized[2].to_json()


@pytest.fixture(scope="session")
def production_template(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The stack in the production profile (customer-managed KMS keys: infra/components/
    encryption.py) as JSON, synthesized once per session like ``template``."""
    from aws_cdk.assertions import Template

    from infra.app import build_app
    from infra.components.encryption import PROFILE_CONTEXT
    from tests.infra.deploy_context import test_context

    outdir = tmp_path_factory.mktemp("cdk.out.production")
    _, stack = build_app(context=test_context(**{PROFILE_CONTEXT: "production"}), outdir=str(outdir))
    return Template.from_stack(stack).to_json()
