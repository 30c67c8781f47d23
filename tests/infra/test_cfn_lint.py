"""cfn-lint over the synthesized templates (issue #13, section 3): no error, no warning. The only
rules ignored are in IGNORED, each with its reason."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("aws_cdk", reason="aws-cdk-lib not installed (pip install -e '.[cdk]')")
pytest.importorskip("cfnlint", reason="cfn-lint not installed (pip install -e '.[dev]')")

from cfnlint.api import ManualArgs, lint_file

# rule -> why it does not apply to this stack (kept short; nothing here hides a real finding)
IGNORED: dict[str, str] = {
    # "dependency already enforced by a GetAtt": CDK itself writes an explicit DependsOn on each
    # function's role (and on the queues of the bucket notification) beside the GetAtt that already
    # implies it; redundant, not wrong: it states the order CloudFormation follows anyway (14 such)
    "W3005": "CDK's redundant DependsOn beside a GetAtt",
}
REGIONS = ["us-east-1", "eu-west-1"]  # where clausewatch is documented to deploy (SES, Textract)


def _lint(template: dict[str, Any], folder: Path) -> list[str]:
    path = folder / "template.json"
    path.write_text(json.dumps(template, indent=1))
    matches = lint_file(path, ManualArgs(regions=REGIONS, ignore_checks=list(IGNORED)))
    return [f"{m.rule.id} {m.message} ({'/'.join(map(str, m.path or []))})" for m in matches]


def test_the_default_template_is_cfn_lint_clean(template: dict[str, Any], tmp_path: Path) -> None:
    assert _lint(template, tmp_path) == []


def test_the_production_template_is_cfn_lint_clean(production_template: dict[str, Any], tmp_path: Path) -> None:
    assert _lint(production_template, tmp_path) == []


def test_the_linter_reports_a_broken_template(template: dict[str, Any], tmp_path: Path) -> None:
    """The check can fail: an unknown property on the table is an error."""
    broken = json.loads(json.dumps(template))
    table = next(r for r in broken["Resources"].values() if r["Type"] == "AWS::DynamoDB::Table")
    table["Properties"]["NoSuchProperty"] = True
    assert any(line.startswith("E3002") for line in _lint(broken, tmp_path))
