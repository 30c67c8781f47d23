"""Customer-managed KMS keys for the stack's data, messages and logs (issue #13, section 3).

Off in the default profile (AWS-managed or service-managed encryption, as before); on when the
context says so:

    cdk deploy -c clausewatch:profile=production      # keys on (the production profile's default)
    cdk deploy -c clausewatch:profile=production -c clausewatch:kms=false   # that profile, without
    cdk deploy -c clausewatch:kms=true                 # keys on in the default profile

Two keys, both with yearly automatic rotation and retained when the stack is deleted (what they
encrypted stays readable): the data key (the contracts bucket, both tables and their stream, every
queue and topic, the functions' environment variables) and the logs key (every log group: CloudWatch Logs uses it as its own service
principal, for this account's log groups only). Applied after the whole stack is built
(``CustomerManagedKeys.apply``), to the L1 resources, so no component needs to know.

Left on S3-managed keys, with the reason: the access-log bucket (S3 server access logging
delivers only to SSE-S3 buckets) and the web dashboard's site bucket (the published static files of
the package, public by design through CloudFront; a KMS key there would need CloudFront's service
principal in the key policy for no secret).
"""

from __future__ import annotations

from collections.abc import Iterable

from aws_cdk import Aws, RemovalPolicy, Stack
from aws_cdk import aws_dynamodb as dynamodb
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_logs as logs
from aws_cdk import aws_s3 as s3
from aws_cdk import aws_sns as sns
from aws_cdk import aws_sqs as sqs
from constructs import Construct

PROFILE_CONTEXT = "clausewatch:profile"
KMS_CONTEXT = "clausewatch:kms"
PROFILES = ("default", "production")
# what each profile turns on unless the context sets it explicitly
PROFILE_KMS = {"default": False, "production": True}

# services that deliver into the stack's encrypted queues and topics on their own behalf: S3 event
# notifications (-> ingest and money queues), SNS (Textract's topic -> its queue), EventBridge (the
# digest rule's and the sweep's DLQs) and CloudWatch alarms (-> the operators' topic)
DELIVERING_SERVICES = ("s3.amazonaws.com", "sns.amazonaws.com", "events.amazonaws.com",
                       "cloudwatch.amazonaws.com")
KEY_USE = ("kms:Decrypt", "kms:GenerateDataKey*")
LOGS_KEY_USE = ("kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*")


def _flag(value: object, key: str) -> bool:
    text = str(value).strip().lower()
    if text in ("true", "1", "yes", "on"):
        return True
    if text in ("false", "0", "no", "off"):
        return False
    raise ValueError(f"context {key}={value!r}: expected true or false")


def profile(scope: Construct) -> str:
    """The deployment profile the context names (``default`` when none)."""
    value = scope.node.try_get_context(PROFILE_CONTEXT)
    name = str(value).strip().lower() if value not in (None, "") else "default"
    if name not in PROFILES:
        raise ValueError(f"context {PROFILE_CONTEXT}={value!r}: expected one of {', '.join(PROFILES)}")
    return name


def kms_enabled(scope: Construct) -> bool:
    """Customer-managed keys on? ``clausewatch:kms`` when set, else the profile's default."""
    value = scope.node.try_get_context(KMS_CONTEXT)
    if value not in (None, ""):
        return _flag(value, KMS_CONTEXT)
    return PROFILE_KMS[profile(scope)]


class CustomerManagedKeys(Construct):
    """The data key and the logs key, and ``apply`` which puts them on the stack's resources."""

    def __init__(self, scope: Construct, id: str) -> None:
        super().__init__(scope, id)
        self.data_key = kms.Key(
            self, "DataKey", enable_key_rotation=True, removal_policy=RemovalPolicy.RETAIN,
            description="clausewatch: contracts bucket, tables, queues and topics")
        self.logs_key = kms.Key(
            self, "LogsKey", enable_key_rotation=True, removal_policy=RemovalPolicy.RETAIN,
            description="clausewatch: log groups")
        self.data_key.add_to_resource_policy(iam.PolicyStatement(
            sid="DeliveringServicesOfThisAccount",
            actions=list(KEY_USE),
            principals=[iam.ServicePrincipal(s) for s in DELIVERING_SERVICES],
            resources=["*"],
            conditions={"StringEquals": {"aws:SourceAccount": Aws.ACCOUNT_ID}},
        ))
        self.logs_key.add_to_resource_policy(iam.PolicyStatement(
            sid="CloudWatchLogsOfThisAccount",
            actions=list(LOGS_KEY_USE),
            principals=[iam.ServicePrincipal(f"logs.{Aws.REGION}.amazonaws.com")],
            resources=["*"],
            conditions={"ArnLike": {"kms:EncryptionContext:aws:logs:arn":
                                    f"arn:{Aws.PARTITION}:logs:{Aws.REGION}:{Aws.ACCOUNT_ID}:log-group:*"}},
        ))

    def apply(self, stack: Stack, *, keep_s3_managed: Iterable[s3.IBucket],
              key_users: Iterable[iam.IRole]) -> None:
        """Encrypt every bucket (but ``keep_s3_managed``), table, queue, topic and log group of
        ``stack`` with the keys; let every function of the stack and ``key_users`` (roles that
        send to a queue or topic themselves: the Scheduler's, Textract's) use the data key."""
        kept = {b.node.path for b in keep_s3_managed}
        for construct in stack.node.find_all():
            if isinstance(construct, s3.CfnBucket) and construct.node.scope is not None \
                    and construct.node.scope.node.path not in kept:
                construct.bucket_encryption = s3.CfnBucket.BucketEncryptionProperty(
                    server_side_encryption_configuration=[s3.CfnBucket.ServerSideEncryptionRuleProperty(
                        bucket_key_enabled=True,
                        server_side_encryption_by_default=s3.CfnBucket.ServerSideEncryptionByDefaultProperty(
                            sse_algorithm="aws:kms", kms_master_key_id=self.data_key.key_arn))])
            elif isinstance(construct, dynamodb.CfnTable):
                construct.sse_specification = dynamodb.CfnTable.SSESpecificationProperty(
                    sse_enabled=True, sse_type="KMS", kms_master_key_id=self.data_key.key_arn)
            elif isinstance(construct, sqs.CfnQueue):
                construct.add_property_deletion_override("SqsManagedSseEnabled")
                construct.kms_master_key_id = self.data_key.key_arn
            elif isinstance(construct, sns.CfnTopic):
                construct.kms_master_key_id = self.data_key.key_arn
            elif isinstance(construct, logs.CfnLogGroup):
                construct.kms_key_id = self.logs_key.key_arn
            elif isinstance(construct, lambda_.Function) and construct.role is not None \
                    and str(getattr(construct.node.default_child, "description", "")).startswith("clausewatch "):
                self.data_key.grant_encrypt_decrypt(construct.role)  # a clausewatch function
                # its environment (names and settings, never secrets) under the key too
                construct.node.default_child.kms_key_arn = self.data_key.key_arn  # type: ignore[union-attr]
        for role in key_users:
            self.data_key.grant(role, *KEY_USE)
