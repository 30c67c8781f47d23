"""Where contracts live: the private, versioned bucket and the single DynamoDB table."""

from __future__ import annotations

from aws_cdk import Duration, RemovalPolicy
from aws_cdk import aws_dynamodb as dynamodb
from aws_cdk import aws_s3 as s3
from constructs import Construct

from clausewatch import config, schema


class ContractStore(Construct):
    """The contracts bucket (inbox/, contracts/, quarantine/, text/), the clausewatch table and the
    audit table (append-only for every function).

    Both are retained when the stack is deleted: they hold signed contracts and their audit trail.
    Physical names are left to CloudFormation; functions get the real names through environment
    variables (config.ENV_BUCKET, config.ENV_TABLE).
    """

    def __init__(self, scope: Construct, id: str) -> None:
        super().__init__(scope, id)
        # S3 server access logs (who read which contract): a bucket of their own, private, a year
        self.access_logs = s3.Bucket(
            self,
            "AccessLogs",
            block_public_access=s3.BlockPublicAccess.BLOCK_ALL,
            encryption=s3.BucketEncryption.S3_MANAGED,
            enforce_ssl=True,
            object_ownership=s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
            removal_policy=RemovalPolicy.RETAIN,
            lifecycle_rules=[s3.LifecycleRule(id="expire-access-logs", expiration=Duration.days(365))],
        )
        self.bucket = s3.Bucket(
            self,
            "Contracts",
            server_access_logs_bucket=self.access_logs,
            server_access_logs_prefix="contracts/",
            block_public_access=s3.BlockPublicAccess.BLOCK_ALL,
            encryption=s3.BucketEncryption.S3_MANAGED,
            enforce_ssl=True,
            versioned=True,
            object_ownership=s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
            removal_policy=RemovalPolicy.RETAIN,
            lifecycle_rules=[
                s3.LifecycleRule(
                    id="abort-incomplete-uploads",
                    abort_incomplete_multipart_upload_after=Duration.days(7),
                ),
                # ingest copies every upload to contracts/ (or quarantine/) and deletes it from
                # inbox/, so old inbox/ versions are duplicates; keep them a while for forensics.
                s3.LifecycleRule(
                    id="expire-old-inbox-versions",
                    prefix=config.INBOX_PREFIX,
                    noncurrent_version_expiration=Duration.days(30),
                    expired_object_delete_marker=False,
                ),
            ],
        )
        self.table = dynamodb.Table(
            self,
            "Table",
            partition_key=dynamodb.Attribute(name=schema.PARTITION_KEY, type=dynamodb.AttributeType.STRING),
            sort_key=dynamodb.Attribute(name=schema.SORT_KEY, type=dynamodb.AttributeType.STRING),
            billing_mode=dynamodb.BillingMode.PAY_PER_REQUEST,
            encryption=dynamodb.TableEncryption.AWS_MANAGED,
            point_in_time_recovery_specification=dynamodb.PointInTimeRecoverySpecification(
                point_in_time_recovery_enabled=True
            ),
            stream=dynamodb.StreamViewType.NEW_AND_OLD_IMAGES,
            deletion_protection=True,
            removal_policy=RemovalPolicy.RETAIN,
        )
        # the table's indexes are declared once, in clausewatch.schema
        for index in schema.INDEXES:
            self.table.add_global_secondary_index(
                index_name=index.name,
                partition_key=dynamodb.Attribute(name=index.partition_key, type=dynamodb.AttributeType.STRING),
                sort_key=dynamodb.Attribute(name=index.sort_key, type=dynamodb.AttributeType.STRING),
                projection_type=dynamodb.ProjectionType.ALL,
            )
        # the audit trail (schema.py): its own table, which functions may only append to
        # (permissions.py: PutItem, conditional on a new key; Query to read); kept whatever happens
        # to the stack, recoverable to any second of the last 35 days, and never deleted by mistake
        self.audit_table = dynamodb.Table(
            self,
            "AuditTable",
            partition_key=dynamodb.Attribute(name=schema.PARTITION_KEY, type=dynamodb.AttributeType.STRING),
            sort_key=dynamodb.Attribute(name=schema.SORT_KEY, type=dynamodb.AttributeType.STRING),
            billing_mode=dynamodb.BillingMode.PAY_PER_REQUEST,
            encryption=dynamodb.TableEncryption.AWS_MANAGED,
            point_in_time_recovery_specification=dynamodb.PointInTimeRecoverySpecification(
                point_in_time_recovery_enabled=True
            ),
            deletion_protection=True,
            removal_policy=RemovalPolicy.RETAIN,
        )
        for index in schema.AUDIT_TABLE_INDEXES:  # none today; declared in schema.py like the others
            self.audit_table.add_global_secondary_index(
                index_name=index.name,
                partition_key=dynamodb.Attribute(name=index.partition_key, type=dynamodb.AttributeType.STRING),
                sort_key=dynamodb.Attribute(name=index.sort_key, type=dynamodb.AttributeType.STRING),
                projection_type=dynamodb.ProjectionType.ALL,
            )
