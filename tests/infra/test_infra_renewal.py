"""The renewal decision workflow in the CDK stack: the state machine from the package's definition
file, logging and X-Ray, least-privilege roles, the Scheduler role that may start only it."""

from __future__ import annotations

import json
from typing import Any

import pytest

from clausewatch import config
from clausewatch.renewal import DEFINITION_PATH
from tests.infra.test_infra import (
    as_list,
    function_id,
    get_att_arn,
    resources,
    role_of,
    star_violations,
    statements_of_role,
)


def the_state_machine(template: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    (found,) = resources(template, "AWS::StepFunctions::StateMachine").items()
    return found


def actions_of(statements: list[dict[str, Any]]) -> set[str]:
    return {a for s in statements if s.get("Effect") == "Allow" for a in as_list(s["Action"])}


def test_the_state_machine_is_the_packages_definition_with_the_renewal_function(template):
    lid, machine = the_state_machine(template)
    props = machine["Properties"]
    assert props["StateMachineName"] == config.RENEWAL_STATE_MACHINE and props["StateMachineType"] == "STANDARD"
    definition = props["DefinitionString"]
    text = definition if isinstance(definition, str) else "".join(
        part if isinstance(part, str) else "" for part in definition["Fn::Join"][1])
    assert json.loads(text) == json.loads(DEFINITION_PATH.read_text())
    assert props["DefinitionSubstitutions"] == {"RenewalFunctionArn": get_att_arn(function_id(template, "renewal"))}


def test_logging_all_to_its_own_group_and_tracing(template):
    _, machine = the_state_machine(template)
    props = machine["Properties"]
    assert props["TracingConfiguration"] == {"Enabled": True}
    logging = props["LoggingConfiguration"]
    assert logging["Level"] == "ALL" and logging["IncludeExecutionData"] is False
    [destination] = logging["Destinations"]
    group = destination["CloudWatchLogsLogGroup"]["LogGroupArn"]["Fn::GetAtt"][0]
    assert template["Resources"][group]["Type"] == "AWS::Logs::LogGroup"


def test_the_state_machine_role_invokes_only_the_renewal_function(template):
    _, machine = the_state_machine(template)
    role = machine["Properties"]["RoleArn"]["Fn::GetAtt"][0]
    statements = statements_of_role(template, role)
    invoke = [s for s in statements if "lambda:InvokeFunction" in as_list(s["Action"])]
    renewal = get_att_arn(function_id(template, "renewal"))
    assert invoke and all(r in (renewal, {"Fn::Join": ["", [renewal, ":*"]]}) for s in invoke
                          for r in as_list(s["Resource"]))
    assert not star_violations(statements)
    assert not {a for a in actions_of(statements) if a.startswith(("dynamodb:", "s3:", "ses:", "states:Start"))}


def test_the_scheduler_start_role_may_start_only_this_state_machine(template):
    machine_id, _ = the_state_machine(template)
    [start_role] = [lid for lid, r in resources(template, "AWS::IAM::Role").items()
                    if "renewal decisions" in r["Properties"].get("Description", "")]
    role = template["Resources"][start_role]["Properties"]
    [trust] = role["AssumeRolePolicyDocument"]["Statement"]
    assert trust["Principal"] == {"Service": "scheduler.amazonaws.com"}
    assert "aws:SourceArn" in trust["Condition"]["ArnEquals"]
    statements = statements_of_role(template, start_role)
    start = [s for s in statements if "states:StartExecution" in as_list(s["Action"])]
    assert [r for s in start for r in as_list(s["Resource"])] == [{"Ref": machine_id}]
    assert actions_of(statements) == {"states:StartExecution", "sqs:SendMessage"}


def test_the_planner_passes_the_start_role_and_knows_the_state_machine(template):
    machine_id, _ = the_state_machine(template)
    planner = function_id(template, "planner")
    env = template["Resources"][planner]["Properties"]["Environment"]["Variables"]
    assert env[config.ENV_RENEWAL_STATE_MACHINE_ARN] == {"Ref": machine_id}
    statements = statements_of_role(template, role_of(template, planner))
    [start_role] = [lid for lid, r in resources(template, "AWS::IAM::Role").items()
                    if "renewal decisions" in r["Properties"].get("Description", "")]
    pass_role = [s for s in statements if "iam:PassRole" in as_list(s["Action"])
                 and get_att_arn(start_role) in as_list(s["Resource"])]
    assert pass_role and all(s["Condition"] == {"StringEquals": {"iam:PassedToService": "scheduler.amazonaws.com"}}
                             for s in pass_role)
    assert env[config.ENV_RENEWAL_START_ROLE_ARN] == get_att_arn(start_role)
    heartbeat = [s for s in statements if "states:SendTaskHeartbeat" in as_list(s["Action"])]
    assert heartbeat and all(as_list(s["Resource"]) == [{"Ref": machine_id}] for s in heartbeat)


def test_the_planner_may_withdraw_only_notice_letters(template):
    """A decision superseded because its term moved: the planner deletes its letter (notices only)."""
    statements = statements_of_role(template, role_of(template, function_id(template, "planner")))
    deletes = [s for s in statements if "s3:DeleteObject*" in as_list(s["Action"])
               or "s3:DeleteObject" in as_list(s["Action"])]
    assert deletes and all("notices/*" in json.dumps(s["Resource"]) for s in deletes)


def test_the_api_completes_tasks_of_this_state_machine_only(template):
    machine_id, _ = the_state_machine(template)
    statements = statements_of_role(template, role_of(template, function_id(template, "api")))
    task = [s for s in statements if "states:SendTaskSuccess" in as_list(s["Action"])]
    assert task and all(as_list(s["Resource"]) == [{"Ref": machine_id}] for s in task)


def test_the_renewal_function_reads_text_writes_notices_and_mails(template):
    fn = function_id(template, "renewal")
    statements = statements_of_role(template, role_of(template, fn))
    assert not star_violations(statements)
    actions = actions_of(statements)
    assert {"ses:SendRawEmail", "ses:SendEmail"} & actions and "s3:PutObject" in actions
    puts = [s for s in statements if "s3:PutObject" in as_list(s["Action"])]
    assert all("notices/*" in json.dumps(s["Resource"]) for s in puts)


def test_the_decision_link_is_public_for_get_and_post_and_needs_its_token(template):
    methods = [r["Properties"] for r in resources(template, "AWS::ApiGateway::Method").values()
               if r["Properties"].get("RequestParameters") == {"method.request.querystring.token": True}]
    assert sorted(m["HttpMethod"] for m in methods) == ["GET", "POST"]
    assert all(m["AuthorizationType"] == "NONE" and "AuthorizerId" not in m for m in methods)
    assert "/renewal-decision" in config.API_PUBLIC_PATHS and config.API_PUBLIC_POST_PATHS == ("/renewal-decision",)


@pytest.mark.parametrize("name", ["api", "planner"])
def test_the_api_and_the_planner_may_mail_only_as_the_sender_identity(template, name):
    """An owner changed while a decision waits: the API asks the new owner; a notice deadline moved
    earlier: the planner asks the person asked again (renewal/steps.ask_again)."""
    (identity_id, _), = resources(template, "AWS::SES::EmailIdentity").items()
    statements = statements_of_role(template, role_of(template, function_id(template, name)))
    ses = [s for s in statements if any(str(a).startswith("ses:") for a in as_list(s["Action"]))]
    assert ses and all(sorted(as_list(s["Action"])) == ["ses:SendEmail", "ses:SendRawEmail"] for s in ses)
    assert all({"Ref": identity_id} in s["Resource"]["Fn::Join"][1] for s in ses)


def test_the_timeout_role_may_only_invoke_the_planner_which_passes_it(template):
    """A wait whose notice deadline moved earlier ends at the new deadline: a one-time schedule
    invokes the planner (renewal/planning.sync_wait_timeout) with this role, and nothing else."""
    [timeout_role] = [lid for lid, r in resources(template, "AWS::IAM::Role").items()
                      if "renewal waits" in r["Properties"].get("Description", "")]
    role = template["Resources"][timeout_role]["Properties"]
    [trust] = role["AssumeRolePolicyDocument"]["Statement"]
    assert trust["Principal"] == {"Service": "scheduler.amazonaws.com"}
    assert "aws:SourceArn" in trust["Condition"]["ArnEquals"]
    planner = function_id(template, "planner")
    statements = statements_of_role(template, timeout_role)
    assert actions_of(statements) == {"lambda:InvokeFunction", "sqs:SendMessage"}
    invoked = [r for s in statements if "lambda:InvokeFunction" in as_list(s["Action"]) for r in as_list(s["Resource"])]
    assert invoked == [get_att_arn(planner)]  # not its versions or aliases
    planner_statements = statements_of_role(template, role_of(template, planner))
    assert [s for s in planner_statements if "iam:PassRole" in as_list(s["Action"])
            and get_att_arn(timeout_role) in as_list(s["Resource"])
            and s["Condition"] == {"StringEquals": {"iam:PassedToService": "scheduler.amazonaws.com"}}]
    env = template["Resources"][planner]["Properties"]["Environment"]["Variables"]
    assert env[config.ENV_RENEWAL_TIMEOUT_ROLE_ARN] == get_att_arn(timeout_role)
    prefix = json.dumps(env[config.ENV_FUNCTION_ARN_PREFIX])
    assert ":lambda:" in prefix and prefix.endswith(':function:"]]}') and "AWS::AccountId" in prefix
