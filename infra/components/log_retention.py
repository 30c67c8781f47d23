"""A retention on every log group of the stack (issue #13, section 3), including those of CDK's own
provider functions (the bucket notification handler, the site deployment), which otherwise log to
an implicit ``/aws/lambda/<name>`` group kept forever. Each such function is given a log group of
the stack (Lambda's LoggingConfig), created with the same retention as the clausewatch functions'.
"""

from __future__ import annotations

from aws_cdk import CfnResource, Stack
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_logs as logs

PROVIDER_LOG_RETENTION = logs.RetentionDays.THREE_MONTHS


def give_every_function_a_log_group(stack: Stack) -> list[logs.LogGroup]:
    """A log group with a retention for each function of ``stack`` that has none; returns them."""
    created = []
    for construct in stack.node.find_all():
        # CDK's bucket notification handler is a plain CfnResource of the function type
        if not isinstance(construct, CfnResource) or construct.cfn_resource_type != "AWS::Lambda::Function":
            continue
        if isinstance(construct, lambda_.CfnFunction) and construct.logging_config is not None:
            continue
        scope = construct.node.scope
        assert scope is not None
        group = logs.LogGroup(scope, "LogGroupWithRetention", retention=PROVIDER_LOG_RETENTION)
        if isinstance(construct, lambda_.CfnFunction):
            construct.logging_config = lambda_.CfnFunction.LoggingConfigProperty(log_group=group.log_group_name)
        else:
            construct.add_property_override("LoggingConfig.LogGroup", group.log_group_name)
        created.append(group)
    return created
