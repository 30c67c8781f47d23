"""Assertions on the API part of the CDK app (infra/components/api.py): the Cognito user pool, the
REST API (authorizer on every method but the public ones, access logs, throttling, request
validation, tracing), the api λ's least privilege, and the API URL the alert λ's links use.

The app is synthesized once per session for this module (on the layered tests/, moving this file
to tests/infra/ would share that folder's session-wide template instead); the helpers are
tests/test_infra.py's.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

pytest.importorskip("aws_cdk", reason="aws-cdk-lib not installed (pip install -e '.[cdk]')")

from clausewatch import config, schema
from infra.components import api
from tests.infra.test_infra import (
    as_list,
    function_id,
    get_att_arn,
    output_ref,
    resources,
    role_of,
    star_violations,
    statements_of_role,
)


def the_one(template: dict[str, Any], type_: str) -> tuple[str, dict[str, Any]]:
    (found,) = resources(template, type_).items()
    return found


def method_paths(template: dict[str, Any]) -> dict[tuple[str, str], dict[str, Any]]:
    """Every API Gateway method by (path, HTTP method), its path rebuilt from the resource tree."""
    rest_api_id, _ = the_one(template, "AWS::ApiGateway::RestApi")
    root = {"Fn::GetAtt": [rest_api_id, "RootResourceId"]}

    def path_of(resource_ref: dict[str, Any]) -> str:
        if resource_ref == root:
            return ""
        props = template["Resources"][resource_ref["Ref"]]["Properties"]
        return f"{path_of(props['ParentId'])}/{props['PathPart']}"

    return {(path_of(m["Properties"]["ResourceId"]) or "/", m["Properties"]["HttpMethod"]): m["Properties"]
            for m in resources(template, "AWS::ApiGateway::Method").values()}


# --- users ---------------------------------------------------------------------------------------------


def test_users_are_invited_sign_in_by_email_and_carry_a_team_and_role_they_cannot_change(template):
    pool_id, pool = the_one(template, "AWS::Cognito::UserPool")
    props = pool["Properties"]
    assert props["AdminCreateUserConfig"]["AllowAdminCreateUserOnly"] is True  # no self sign-up
    assert props["UsernameAttributes"] == ["email"]
    custom = {a["Name"]: a for a in props["Schema"] if a.get("AttributeDataType") == "String"}
    assert {"team", "role"} <= set(custom)
    assert pool["DeletionPolicy"] == "Retain"
    _, client = the_one(template, "AWS::Cognito::UserPoolClient")
    client = client["Properties"]
    assert client["UserPoolId"] == {"Ref": pool_id}
    assert {"custom:team", "custom:role"} <= set(client["ReadAttributes"])
    assert not [a for a in client["WriteAttributes"] if a.startswith("custom:")]
    assert client["GenerateSecret"] is False and client["AllowedOAuthFlows"] == ["code"]
    _, domain = the_one(template, "AWS::Cognito::UserPoolDomain")
    assert domain["Properties"]["UserPoolId"] == {"Ref": pool_id}
    assert {"UserPoolId", "UserPoolClientId", "HostedUiDomain", "ApiUrl"} <= set(template["Outputs"])


# --- the REST API --------------------------------------------------------------------------------------


def test_every_method_but_the_public_paths_needs_a_cognito_token(template):
    pool_id, _ = the_one(template, "AWS::Cognito::UserPool")
    authorizer_id, authorizer = the_one(template, "AWS::ApiGateway::Authorizer")
    assert authorizer["Properties"]["Type"] == "COGNITO_USER_POOLS"
    assert authorizer["Properties"]["ProviderARNs"] == [get_att_arn(pool_id)]
    assert authorizer["Properties"]["IdentitySource"] == "method.request.header.Authorization"
    methods = method_paths(template)
    public = {path for (path, _), m in methods.items() if m["AuthorizationType"] == "NONE"}
    assert public == set(config.API_PUBLIC_PATHS)
    for (path, verb), method in methods.items():
        if path in config.API_PUBLIC_PATHS:
            assert (verb == "GET" or path in config.API_PUBLIC_POST_PATHS) and "AuthorizerId" not in method, path
        else:
            assert (method["AuthorizationType"], method["AuthorizerId"]) == \
                ("COGNITO_USER_POOLS", {"Ref": authorizer_id}), path
    # the rest of the API is reached through the greedy proxy, any method, with a token
    assert {("/", "ANY"), ("/{proxy+}", "ANY")} <= set(methods)
    api_function = get_att_arn(function_id(template, "api"))
    for method in methods.values():
        assert method["Integration"]["Type"] == "AWS_PROXY"
        assert api_function in method["Integration"]["Uri"]["Fn::Join"][1]


def test_only_this_api_may_invoke_the_api_function(template):
    rest_api_id, _ = the_one(template, "AWS::ApiGateway::RestApi")
    api_function = get_att_arn(function_id(template, "api"))
    permissions = [p["Properties"] for p in resources(template, "AWS::Lambda::Permission").values()
                   if p["Properties"]["Principal"] == "apigateway.amazonaws.com"]
    assert len(permissions) == len(method_paths(template))  # one per method, no test-invoke ones
    for permission in permissions:
        assert permission["FunctionName"] == api_function
        assert {"Ref": rest_api_id} in permission["SourceArn"]["Fn::Join"][1]


def test_every_method_has_the_request_validator_and_the_feed_needs_its_token(template):
    validator_id, validator = the_one(template, "AWS::ApiGateway::RequestValidator")
    assert validator["Properties"]["ValidateRequestParameters"] is True
    assert validator["Properties"]["ValidateRequestBody"] is True
    methods = method_paths(template)
    assert all(m["RequestValidatorId"] == {"Ref": validator_id} for m in methods.values())
    assert methods[("/calendar.ics", "GET")]["RequestParameters"] == {"method.request.querystring.feed": True}


def test_the_stage_logs_each_request_as_json_to_a_log_group_kept_a_year(template):
    _, stage = the_one(template, "AWS::ApiGateway::Stage")
    setting = stage["Properties"]["AccessLogSetting"]
    log_group_id = setting["DestinationArn"]["Fn::GetAtt"][0]
    log_group = template["Resources"][log_group_id]
    assert log_group["Type"] == "AWS::Logs::LogGroup"
    assert log_group["Properties"]["RetentionInDays"] == 365
    fields = json.loads(setting["Format"])
    assert fields["requestId"] == "$context.requestId"
    assert fields["user"] == "$context.authorizer.claims.email"
    assert fields["team"] == "$context.authorizer.claims.custom:team"
    assert {"sourceIp", "httpMethod", "resourcePath", "status", "integrationLatency", "error"} <= set(fields)
    # API Gateway writes logs with the account's CloudWatch role, which the stack declares
    (account,) = resources(template, "AWS::ApiGateway::Account").values()
    assert account["Properties"]["CloudWatchRoleArn"]["Fn::GetAtt"][1] == "Arn"


def test_the_stage_is_throttled_traced_and_keeps_bodies_out_of_logs(template):
    _, stage = the_one(template, "AWS::ApiGateway::Stage")
    props = stage["Properties"]
    assert props["StageName"] == api.STAGE_NAME
    assert props["TracingEnabled"] is True
    (settings,) = props["MethodSettings"]
    assert (settings["ResourcePath"], settings["HttpMethod"]) == ("/*", "*")
    assert settings["ThrottlingRateLimit"] == api.THROTTLE_RATE_PER_SECOND
    assert settings["ThrottlingBurstLimit"] == api.THROTTLE_BURST
    assert 0 < api.THROTTLE_RATE_PER_SECOND <= api.THROTTLE_BURST
    assert settings["DataTraceEnabled"] is False


# --- the api λ -----------------------------------------------------------------------------------------


def _granted(template, name: str) -> dict[str, list[tuple[Any, Any]]]:
    """action -> [(resource, condition)] the function's role allows."""
    granted: dict[str, list[tuple[Any, Any]]] = {}
    for statement in statements_of_role(template, role_of(template, function_id(template, name))):
        assert statement["Effect"] == "Allow"
        for action in as_list(statement["Action"]):
            for resource in as_list(statement["Resource"]):
                granted.setdefault(action, []).append((resource, statement.get("Condition")))
    return granted


def test_the_api_function_reads_by_key_writes_action_items_and_presigns_only_its_keys(template):
    granted = _granted(template, "api")
    table = get_att_arn(output_ref(template, "TableName"))
    bucket_id = output_ref(template, "BucketName")
    bucket = get_att_arn(bucket_id)

    def objects(prefix: str) -> dict[str, Any]:
        return {"Fn::Join": ["", [bucket, f"/{prefix}*"]]}

    assert set(granted) == {
        "dynamodb:GetItem", "dynamodb:Query", "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem",
        "dynamodb:BatchGetItem",  # a page's contracts in one read (api/views.Contracts.prefetch)
        "s3:GetObject", "s3:ListBucket", "s3:PutObject", "xray:PutTraceSegments", "xray:PutTelemetryRecords",
        # renewal decisions: the task responses of the renewal state machine (test_infra_renewal.py)
        "states:SendTaskSuccess", "states:SendTaskFailure", "states:SendTaskHeartbeat",
        # a new owner asked while a decision waits (test_infra_renewal.py: as the sender identity only)
        "ses:SendEmail", "ses:SendRawEmail"}
    # the audit table (issue #13): append and read the trail, nothing else (tests/infra/test_permissions.py)
    audit = get_att_arn(output_ref(template, "AuditTableName"))
    on_audit = {a for a, places in granted.items() for resource, _ in places if resource == audit}
    assert on_audit == {"dynamodb:PutItem", "dynamodb:Query"}
    granted = {a: [p for p in places if p[0] != audit] for a, places in granted.items()}
    # reads: the table and its indexes; never a Scan
    for action in ("dynamodb:GetItem", "dynamodb:Query"):
        assert granted[action] == [(table, None), ({"Fn::Join": ["", [table, "/index/*"]]}, None)]
    # writes: the table only, on contracts' and feeds' partitions (never an upload hash)
    # (webhook subscriptions, people's preferences and a contract's date markers, written when a
    # person enters its agreement or effective date, a deleted contract's deletion item, and the team's
    # running totals at stake, moved when a claim is waived, are the API's to write too)
    leading_keys = {"ForAllValues:StringLike": {"dynamodb:LeadingKeys": [
        f"{schema.CONTRACT_PREFIX}*", f"{schema.FEED_PREFIX}*", f"{schema.WEBHOOK_PREFIX}*",
        f"{schema.PREFERENCE_PREFIX}*", schema.team_stake_pk("*")]}}
    for action in ("dynamodb:UpdateItem", "dynamodb:DeleteItem"):
        assert granted[action] == [(table, leading_keys)], action
    markers = {"ForAllValues:StringLike": {"dynamodb:LeadingKeys": ["T#*#DATED", "T#*#DELETED"]}}
    assert sorted(map(str, granted["dynamodb:PutItem"])) == sorted(map(str, [(table, leading_keys),
                                                                          (table, markers)]))
    assert sorted(map(str, granted["s3:GetObject"])) == sorted(
        str((objects(p), None)) for p in (config.CONTRACTS_PREFIX, config.EVIDENCE_PREFIX,
                                          config.TEXT_PREFIX))  # text/: the web viewer's evidence boxes
    # uploads into the inbox and proof files into evidence/; metrics and invoice files sent
    # through the API (the money routes); the notice letter of a renewal decision taken after the
    # lapse (the branch step runs in the request), under a contract's notices/ only
    assert sorted(map(str, granted["s3:PutObject"])) == sorted(
        str((objects(p), None)) for p in (config.INBOX_PREFIX, config.EVIDENCE_PREFIX, *config.MONEY_PREFIXES,
                                          f"{config.CONTRACTS_PREFIX}*/notices/"))
    assert granted["s3:ListBucket"] == [(bucket, None)]
    assert star_violations(statements_of_role(template, role_of(template, function_id(template, "api")))) == []


def test_alert_links_and_the_api_use_the_deployed_api_url(template):
    rest_api_id, _ = the_one(template, "AWS::ApiGateway::RestApi")
    expected = {"Fn::Join": ["", ["https://", {"Ref": rest_api_id}, ".execute-api.", {"Ref": "AWS::Region"}, ".",
                                  {"Ref": "AWS::URLSuffix"}, f"/{api.STAGE_NAME}"]]}
    # the planner mails a renewal decision's links when its notice deadline moved (renewal/planning.py)
    for name in ("alert", "api", "planner"):
        env = template["Resources"][function_id(template, name)]["Properties"]["Environment"]["Variables"]
        assert env[config.ENV_API_BASE_URL] == expected, name
    assert template["Outputs"]["ApiUrl"]["Value"] == expected
    for name in ("ingest", "textract_done"):  # nothing of theirs links to the API
        env = template["Resources"][function_id(template, name)]["Properties"]["Environment"]["Variables"]
        assert config.ENV_API_BASE_URL not in env, name
