"""One construct per concern of the deployed flow.

storage    -> the contracts bucket and the single DynamoDB table
queues     -> an SQS queue with its dead-letter queue (shared shape of every queue)
runtime    -> the shared Lambda layer and the common function settings
ingestion  -> inbox/ upload -> ingest queue -> ingest λ -> Textract -> SNS -> textract queue -> textract_done λ
alerting   -> SES sender identity and the alert λ
scheduling -> table stream -> planner λ -> EventBridge Scheduler group -> (execution role) -> alert λ

(Named `components`, not `constructs`, so it never shadows the `constructs` library aws_cdk imports.)
"""
