"""cdk-nag's AwsSolutions findings that are decisions, not defects: each suppressed here with its
reason (tests/infra/test_nag.py runs the checks on the synthesized app and fails on any finding not
fixed or suppressed). Fixed rather than suppressed: S1 (server access logs to their own bucket)."""

from __future__ import annotations

from aws_cdk import Stack
from cdk_nag import NagPackSuppression, NagSuppressions

REASONS = {
    "AwsSolutions-IAM4": "AWSLambdaBasicExecutionRole only (CloudWatch Logs for the function's own log "
                         "group); CDK attaches it to every function, including its own custom resources.",
    "AwsSolutions-IAM5": "Wildcards are prefix-scoped object grants (s3:GetObject* on contracts/*, text/*; CDK "
                         "grant helpers), the alert function's versions (<arn>:*), and actions AWS does not "
                         "scope to a resource (Textract Start/GetDocumentTextDetection, scheduler:ListSchedules, "
                         "dynamodb:ListStreams, X-Ray); tests/infra/test_infra.py fails on any other '*'.",
    "AwsSolutions-L1": "Pinned to python3.12 on purpose: the layer is built and import-tested for exactly "
                       "this runtime (layer_build.py); moving runtime is a change of its own, tested.",
    "AwsSolutions-SQS3": "These queues are themselves failure destinations (Scheduler's DLQ, the stream's and "
                         "the rule's on-failure queues, a subscription's redrive queue); cdk-nag only recognises "
                         "DLQs attached to another queue. Each has a depth alarm (monitoring.py).",
    "AwsSolutions-APIG4": "Only the public paths have no authorizer by design: /health, /openapi.json, "
                          "/swagger and /calendar.ics (its URL carries a revocable feed token); every other "
                          "method uses the Cognito authorizer (tests/infra/test_infra_api.py).",
    "AwsSolutions-COG4": "Same public paths as APIG4 (health check, API document, calendar feed with its token).",
    "AwsSolutions-COG1": "Password policy is length (12+) without composition rules, following NIST SP "
                         "800-63B; TOTP MFA is available.",
    "AwsSolutions-COG2": "MFA is optional (TOTP) rather than required: invited users of one organisation; "
                         "an operator who wants it required sets Mfa.REQUIRED on the pool.",
    "AwsSolutions-APIG3": "No WAF web ACL by default (a cost and rule-set decision for the operator); the stage "
                          "has throttling, request validation and the Cognito authorizer.",
    "AwsSolutions-COG8": "The Plus feature plan (threat protection) is a cost decision for the operator; users "
                         "are invited only, no self sign-up.",
    "AwsSolutions-CFR1": "The web dashboard is for the operator's own staff wherever they are; a geo "
                         "restriction is the operator's decision (the API behind it needs a Cognito sign-in).",
    "AwsSolutions-CFR2": "No WAF web ACL by default on the dashboard's distribution either (as APIG3): the pages "
                         "are static, every data request goes to the throttled, authorized API.",
    "AwsSolutions-CFR3": "CloudFront standard logs need an ACL-enabled bucket; the reads that matter are logged "
                         "where they happen: S3 server access logs of the site bucket and API Gateway access logs.",
    "AwsSolutions-CFR4": "The distribution uses the default *.cloudfront.net certificate, for which CloudFront "
                         "cannot enforce a minimum protocol; with a custom domain set TLSv1.2_2021 on it.",
}


def suppress(stack: Stack) -> None:
    NagSuppressions.add_stack_suppressions(
        stack, [NagPackSuppression(id=rule, reason=reason) for rule, reason in REASONS.items()], True)
