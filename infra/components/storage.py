"""Where contracts live: the private, versioned bucket and the single DynamoDB table."""

from __future__ import annotations

from aws_cdk import Duration, RemovalPolicy
from aws_cdk import aws_dynamodb as dynamodb
from aws_cdk import aws_s3 as s3
from constructs import Construct

from clausewatch import config

# Key attributes of the single table (see clausewatch.store.models): base keys and three sparse GSIs.
TABLE_PARTITION_KEY = "pk"
TABLE_SORT_KEY = "sk"
GSI_KEYS: dict[str, tuple[str, str]] = {
    "GSI1": ("gsi1pk", "gsi1sk"),
    "GSI2": ("gsi2pk", "gsi2sk"),
    "GSI3": ("gsi3pk", "gsi3sk"),
}


class ContractStore(Construct):
    """The contracts bucket (inbox/, contracts/, quarantine/, text/) and the clausewatch table.

    Both are retained when the stack is deleted: they hold signed contracts and their audit trail.
    Physical names are left to CloudFormation; functions get the real names through environment
    variables (config.ENV_BUCKET, config.ENV_TABLE).
    """

    def __init__(self, scope: Construct, id: str) -> None:
        super().__init__(scope, id)
        self.bucket = s3.Bucket(
            self,
            "Contracts",
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
            partition_key=dynamodb.Attribute(name=TABLE_PARTITION_KEY, type=dynamodb.AttributeType.STRING),
            sort_key=dynamodb.Attribute(name=TABLE_SORT_KEY, type=dynamodb.AttributeType.STRING),
            billing_mode=dynamodb.BillingMode.PAY_PER_REQUEST,
            encryption=dynamodb.TableEncryption.AWS_MANAGED,
            point_in_time_recovery_specification=dynamodb.PointInTimeRecoverySpecification(
                point_in_time_recovery_enabled=True
            ),
            stream=dynamodb.StreamViewType.NEW_AND_OLD_IMAGES,
            deletion_protection=True,
            removal_policy=RemovalPolicy.RETAIN,
        )
        for index_name, (pk, sk) in GSI_KEYS.items():
            self.table.add_global_secondary_index(
                index_name=index_name,
                partition_key=dynamodb.Attribute(name=pk, type=dynamodb.AttributeType.STRING),
                sort_key=dynamodb.Attribute(name=sk, type=dynamodb.AttributeType.STRING),
                projection_type=dynamodb.ProjectionType.ALL,
            )
