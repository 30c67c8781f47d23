"""The API: a Cognito user pool, a REST API (authorizer, access logs, throttling, validation,
tracing) and the api λ behind it, with only the permissions its routes use."""

from __future__ import annotations

import json

from aws_cdk import Aws, Duration, Fn, RemovalPolicy
from aws_cdk import aws_apigateway as apigw
from aws_cdk import aws_cognito as cognito
from aws_cdk import aws_iam as iam
from aws_cdk import aws_logs as logs
from constructs import Construct

from clausewatch import config

from . import table_access
from .permissions import grant_table_access
from .runtime import FunctionRuntime
from .storage import ContractStore

API_TIMEOUT_SECONDS = 29  # API Gateway's integration timeout
API_MEMORY_MB = 512
STAGE_NAME = "v1"
THROTTLE_RATE_PER_SECOND = 25  # steady requests per second, the whole API
THROTTLE_BURST = 50
ACCESS_LOG_RETENTION = logs.RetentionDays.ONE_YEAR
TEAM_ATTRIBUTE, ROLE_ATTRIBUTE = "team", "role"  # the token's custom:team and custom:role
ID_TOKEN_VALIDITY = Duration.hours(1)

# One JSON line per request: who (the token's e-mail and team), what, and how it went.
ACCESS_LOG_FIELDS = {
    "requestId": apigw.AccessLogField.context_request_id(),
    "requestTime": apigw.AccessLogField.context_request_time(),
    "sourceIp": apigw.AccessLogField.context_identity_source_ip(),
    "user": apigw.AccessLogField.context_authorizer_claims("email"),
    "team": apigw.AccessLogField.context_authorizer_claims(f"custom:{TEAM_ATTRIBUTE}"),
    "httpMethod": apigw.AccessLogField.context_http_method(),
    "resourcePath": apigw.AccessLogField.context_resource_path(),
    "status": apigw.AccessLogField.context_status(),
    "responseLength": apigw.AccessLogField.context_response_length(),
    "integrationLatency": apigw.AccessLogField.context_integration_latency(),
    "error": apigw.AccessLogField.context_error_message(),
}

# DynamoDB actions of the api λ (table_access.py): reads are GetItem and Query (never Scan: the
# issue's rule, which a test of the API enforces too); writes are the actions' items (obligation
# status and owner, contract owner, calendar feeds, webhooks, preferences) and DeleteItem for an
# admin's contract delete, on the partitions of WRITTEN_PARTITIONS, and PutItem alone on the date
# markers' partitions of PUT_PARTITIONS; audit lines: append only
TABLE_READ_ACTIONS = tuple(a for a in table_access.TABLE_ACTIONS["api"] if a in table_access.READ)
TABLE_WRITE_ACTIONS = tuple(a for a in table_access.TABLE_ACTIONS["api"] if a not in table_access.READ)
WRITTEN_PARTITIONS = table_access.WRITTEN_PARTITIONS["api"]
PUT_PARTITIONS = table_access.PUT_PARTITIONS["api"]


def api_url(rest_api: apigw.IRestApi) -> str:
    """The stage's base URL, without a trailing slash. Built from the API's id and the stage's
    name, not from the Stage resource, so a function the API invokes can have it in its
    environment without a dependency cycle (Stage -> Deployment -> Method -> Function)."""
    return Fn.join("", ["https://", rest_api.rest_api_id, ".execute-api.", Aws.REGION, ".",
                        Aws.URL_SUFFIX, "/", STAGE_NAME])


class Api(Construct):
    """Users (a Cognito pool whose ID tokens carry the team and role), the REST API and the api λ.

    Every method needs a valid ID token (the user-pool authorizer) except the public paths of
    config.API_PUBLIC_PATHS: the health check, the OpenAPI document and its Swagger UI, and the
    calendar feed (its URL carries a feed token the handler checks). The handler authorizes each
    request from the claims the authorizer passes (team, role).
    """

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        store: ContractStore,
        runtime: FunctionRuntime,
        auth_domain_prefix: str,
        callback_urls: list[str],
    ) -> None:
        super().__init__(scope, id)
        self._users(auth_domain_prefix, callback_urls)
        self.function = runtime.function(
            self,
            "api",
            timeout_seconds=API_TIMEOUT_SECONDS,
            memory_mb=API_MEMORY_MB,
            description="clausewatch api: queries, actions, uploads and calendar feeds (REST API)",
        )
        self._grant(store)
        self._rest_api()
        self.url = api_url(self.rest_api)

    # --- users -----------------------------------------------------------------------------------
    def _users(self, auth_domain_prefix: str, callback_urls: list[str]) -> None:
        self.user_pool = cognito.UserPool(
            self,
            "Users",
            self_sign_up_enabled=False,  # an admin invites people and sets their team and role
            sign_in_aliases=cognito.SignInAliases(email=True),
            auto_verify=cognito.AutoVerifiedAttrs(email=True),
            standard_attributes=cognito.StandardAttributes(
                email=cognito.StandardAttribute(required=True, mutable=True)
            ),
            custom_attributes={
                TEAM_ATTRIBUTE: cognito.StringAttribute(min_len=1, max_len=64, mutable=True),
                ROLE_ATTRIBUTE: cognito.StringAttribute(min_len=4, max_len=16, mutable=True),
            },
            password_policy=cognito.PasswordPolicy(min_length=12),
            mfa=cognito.Mfa.OPTIONAL,
            mfa_second_factor=cognito.MfaSecondFactor(sms=False, otp=True),
            account_recovery=cognito.AccountRecovery.EMAIL_ONLY,
            removal_policy=RemovalPolicy.RETAIN,
        )
        self.domain = self.user_pool.add_domain(
            "HostedUi", cognito_domain=cognito.CognitoDomainOptions(domain_prefix=auth_domain_prefix)
        )
        # people read their team and role but may not write them: only an admin (AdminUpdateUserAttributes)
        readable = cognito.ClientAttributes().with_standard_attributes(email=True, email_verified=True) \
            .with_custom_attributes(TEAM_ATTRIBUTE, ROLE_ATTRIBUTE)
        writable = cognito.ClientAttributes().with_standard_attributes(email=True)
        self.web_client = self.user_pool.add_client(
            "WebClient",
            generate_secret=False,
            auth_flows=cognito.AuthFlow(user_srp=True, admin_user_password=True),
            o_auth=cognito.OAuthSettings(
                flows=cognito.OAuthFlows(authorization_code_grant=True),
                scopes=[cognito.OAuthScope.OPENID, cognito.OAuthScope.EMAIL, cognito.OAuthScope.PROFILE],
                callback_urls=callback_urls,
                logout_urls=callback_urls,
            ),
            read_attributes=readable,
            write_attributes=writable,
            prevent_user_existence_errors=True,
            id_token_validity=ID_TOKEN_VALIDITY,
            access_token_validity=ID_TOKEN_VALIDITY,
        )

    # --- permissions -----------------------------------------------------------------------------
    def _grant(self, store: ContractStore) -> None:
        bucket, fn = store.bucket, self.function
        grant_table_access(store, fn, "api")  # by key and index; writes on WRITTEN_PARTITIONS, puts on PUT_PARTITIONS
        # presigned downloads of contracts' PDFs, and the check that an obligation's evidence object
        # exists (HeadObject needs s3:GetObject) under the contract's folder or its evidence folder
        fn.add_to_role_policy(iam.PolicyStatement(
            sid="ReadContractsAndEvidence",
            actions=["s3:GetObject"],
            resources=[bucket.arn_for_objects(f"{config.CONTRACTS_PREFIX}*"),
                       bucket.arn_for_objects(f"{config.EVIDENCE_PREFIX}*")],
        ))
        # the web dashboard's viewer: the stored text's geometry (GET /contracts/{id}/evidence)
        fn.add_to_role_policy(iam.PolicyStatement(
            sid="ReadStoredTextForEvidenceBoxes",
            actions=["s3:GetObject"],
            resources=[bucket.arn_for_objects(f"{config.TEXT_PREFIX}*")],
        ))
        # without it S3 answers a HeadObject of a missing key with 403 instead of 404, and a
        # complete-with-evidence naming a missing object would fail instead of being refused (400)
        fn.add_to_role_policy(iam.PolicyStatement(
            sid="TellMissingObjectsFromForbiddenOnes",
            actions=["s3:ListBucket"],
            resources=[bucket.bucket_arn],
        ))
        # a "do not renew" decided after the renewal decision lapsed (its workflow ended) writes the
        # non-renewal letter in the request (renewal/decide.decide_after_lapse): its notices folder only
        fn.add_to_role_policy(iam.PolicyStatement(
            sid="WriteTheLetterOfALateDecision",
            actions=["s3:PutObject"],
            resources=[bucket.arn_for_objects(f"{config.CONTRACTS_PREFIX}*/notices/*")],
        ))
        # POST /uploads and POST /contracts/{id}/evidence-uploads hand out presigned POSTs signed
        # with this role: it may put into inbox/ and evidence/ only
        fn.add_to_role_policy(iam.PolicyStatement(
            sid="PresignedUploadsIntoTheInboxAndEvidence",
            actions=["s3:PutObject"],
            resources=[bucket.arn_for_objects(f"{config.INBOX_PREFIX}*"),
                       bucket.arn_for_objects(f"{config.EVIDENCE_PREFIX}*")],
        ))

    # --- the REST API ----------------------------------------------------------------------------
    def _rest_api(self) -> None:
        self.access_logs = logs.LogGroup(self, "AccessLogs", retention=ACCESS_LOG_RETENTION)
        self.rest_api = apigw.RestApi(
            self,
            "RestApi",
            description="clausewatch API",
            endpoint_types=[apigw.EndpointType.REGIONAL],
            # GET /contracts/{id}/original.pdf (the web viewer asks with Accept: application/pdf)
            binary_media_types=["application/pdf"],
            cloud_watch_role=True,  # the account's API Gateway logging role (access logs need it)
            cloud_watch_role_removal_policy=RemovalPolicy.RETAIN,
            deploy_options=apigw.StageOptions(
                stage_name=STAGE_NAME,
                access_log_destination=apigw.LogGroupLogDestination(self.access_logs),
                access_log_format=apigw.AccessLogFormat.custom(json.dumps(ACCESS_LOG_FIELDS)),
                throttling_rate_limit=THROTTLE_RATE_PER_SECOND,
                throttling_burst_limit=THROTTLE_BURST,
                tracing_enabled=True,
                metrics_enabled=True,
                logging_level=apigw.MethodLoggingLevel.ERROR,
                data_trace_enabled=False,  # request bodies and tokens stay out of the logs
            ),
        )
        self.validator = self.rest_api.add_request_validator(
            "Validator", validate_request_parameters=True, validate_request_body=True
        )
        self.authorizer = apigw.CognitoUserPoolsAuthorizer(
            self, "Authorizer", cognito_user_pools=[self.user_pool],
            identity_source=apigw.IdentitySource.header("Authorization"),
        )
        # one invoke permission per method, each scoped to its method and path; none for the console's
        # test-invoke
        integration = apigw.LambdaIntegration(self.function, proxy=True, allow_test_invoke=False)
        # everything but the public paths needs a token; the handler routes it (404 for no route)
        for resource in (self.rest_api.root, self.rest_api.root.add_resource("{proxy+}")):
            resource.add_method("ANY", integration, authorizer=self.authorizer,
                                authorization_type=apigw.AuthorizationType.COGNITO,
                                request_validator=self.validator)
        for path in config.API_PUBLIC_PATHS:
            self.rest_api.root.resource_for_path(path).add_method(
                "GET", integration, authorization_type=apigw.AuthorizationType.NONE,
                request_validator=self.validator, request_parameters=PUBLIC_REQUIRED_PARAMETERS.get(path))
        # a renewal decision link is confirmed by a POST to the same public path (its token decides)
        for path in config.API_PUBLIC_POST_PATHS:
            self.rest_api.root.resource_for_path(path).add_method(
                "POST", integration, authorization_type=apigw.AuthorizationType.NONE,
                request_validator=self.validator, request_parameters=PUBLIC_REQUIRED_PARAMETERS.get(path))


# Required request parameters API Gateway checks before the λ runs (the request validator); the
# handler validates everything else from its pydantic models.
PUBLIC_REQUIRED_PARAMETERS = {"/calendar.ics": {"method.request.querystring.feed": True},
                              "/renewal-decision": {"method.request.querystring.token": True}}
