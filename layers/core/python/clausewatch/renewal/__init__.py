"""Renewal decisions (issue #10): one Step Functions workflow per contract term that renews or
expires: gather the evidence, recommend, ask the owner (task token), act on the decision.

``workflow.asl.json`` is the one definition (the CDK stack and the embedded default read it);
``recommend`` and ``schedule`` are pure; ``steps`` is what the renewal λ does in each state."""

from pathlib import Path

DEFINITION_PATH = Path(__file__).with_name("workflow.asl.json")
FUNCTION_PLACEHOLDER = "${RenewalFunctionArn}"


def definition(function_arn: str) -> str:
    """The ASL definition with the renewal function's ARN in place (the CDK stack passes the same
    placeholder as a definition substitution)."""
    return DEFINITION_PATH.read_text().replace(FUNCTION_PLACEHOLDER, function_arn)
