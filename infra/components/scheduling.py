"""From a table change to a reminder: table stream -> planner λ -> EventBridge Scheduler -> alert λ."""

from __future__ import annotations

from aws_cdk import Aws, Duration, Stack
from aws_cdk import aws_events as events
from aws_cdk import aws_events_targets as targets
from aws_cdk import aws_iam as iam
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_lambda_event_sources as sources
from aws_cdk import aws_scheduler as scheduler
from constructs import Construct

from clausewatch import config

from .permissions import grant_table_access
from .queues import QueueWithDeadLetter, standalone_queue, visibility_timeout_for
from .runtime import FunctionRuntime
from .storage import ContractStore

# the planner reads the sweep queue and the table stream (config.QUEUE_CONSUMERS and
# config.STREAM_CONSUMER, which the embedded default's pump reads too): one sweep page
# (config.SWEEP_PAGE_SIZE contracts) or a stream batch of 25 contracts within its timeout
_SWEEP = config.QUEUE_CONSUMERS[config.SWEEP_QUEUE]
assert (config.STREAM_CONSUMER.timeout_seconds, config.STREAM_CONSUMER.memory_mb) == \
    (_SWEEP.timeout_seconds, _SWEEP.memory_mb), "one planner function: one timeout and memory"
PLANNER_TIMEOUT_SECONDS = _SWEEP.timeout_seconds
# the sweep queue's pages: one per invocation, at most this many at once (Lambda's minimum is 2)
SWEEP_BATCH_SIZE = _SWEEP.batch_size
SWEEP_MAX_CONCURRENCY = 10
# CDK context key (cdk.json or -c) overriding config.REMINDER_HORIZON_DAYS
HORIZON_CONTEXT_KEY = "reminder_horizon_days"
PLANNER_MEMORY_MB = _SWEEP.memory_mb
PLANNER_BATCH_SIZE = config.STREAM_CONSUMER.batch_size  # the table stream's
# bounded: a poison record goes to the planner DLQ instead of blocking its shard
PLANNER_RETRY_ATTEMPTS = config.STREAM_CONSUMER.retry_attempts
PLANNER_MAX_RECORD_AGE = Duration.days(1)
# The planner's daily sweep ({"sweep": true}): rolls recurring duties forward and turns passed lead
# times into overdue alerts even when nothing in the table changed. An EventBridge rule, not a
# schedule in config.SCHEDULE_GROUP, so the planner never sees it among its own reminder schedules.
SWEEP_SCHEDULE = events.Schedule.cron(minute="0", hour="5")  # 05:00 UTC daily
SWEEP_EVENT = {"sweep": True}

# Scheduler actions the planner uses on schedules of its group (resource-level permissions apply).
SCHEDULE_ACTIONS = (
    "scheduler:CreateSchedule",
    "scheduler:UpdateSchedule",
    "scheduler:DeleteSchedule",
    "scheduler:GetSchedule",
)
# scheduler:ListSchedules has no resource type in the Service Authorization Reference: "*" only.
SCHEDULE_LIST_ACTION = "scheduler:ListSchedules"


class Scheduling(Construct):
    """The schedule group (named config.SCHEDULE_GROUP), the scheduler DLQ, the execution role
    schedules run with, and the planner that keeps one schedule per upcoming reminder (on every
    table change, and once a day for all contracts).

    The execution role may only invoke the alert function and send to the scheduler DLQ. The planner
    may manage schedules in its group, pass only that role (only to Scheduler), and use the table actions of table_access.py;
    its stream batches are bisected on error, retried a bounded number of times and then described
    in the planner DLQ (config.PLANNER_DLQ; the record itself stays in the table/stream).
    """

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        store: ContractStore,
        runtime: FunctionRuntime,
    ) -> None:
        super().__init__(scope, id)
        self.schedule_group = scheduler.ScheduleGroup(
            self, "Group", schedule_group_name=config.SCHEDULE_GROUP
        )
        self.scheduler_dlq = standalone_queue(self, "SchedulerDeadLetter")
        self.planner_dlq = standalone_queue(self, "PlannerDeadLetter")
        # the daily sweep's invocation that EventBridge gave up on (after its retries)
        self.sweep_dlq = standalone_queue(self, "SweepDeadLetter")
        # the daily sweep's pages (issue #11 part 3): one message per page of contracts due for
        # planning (GSI5), each a bounded planner invocation; a page failing
        # config.QUEUE_MAX_RECEIVES times lands in its DLQ
        self.sweep_pages = QueueWithDeadLetter(
            self, "SweepPages", visibility_timeout_seconds=visibility_timeout_for(PLANNER_TIMEOUT_SECONDS))
        horizon = self.node.try_get_context(HORIZON_CONTEXT_KEY)
        self.horizon_days = config.reminder_horizon_days(
            {config.ENV_REMINDER_HORIZON_DAYS: str(horizon)} if horizon is not None else {})

        partition = Stack.of(self).partition
        schedules_in_group = (
            f"arn:{partition}:scheduler:{Aws.REGION}:{Aws.ACCOUNT_ID}:schedule/{config.SCHEDULE_GROUP}/*"
        )
        self.execution_role = iam.Role(
            self,
            "ExecutionRole",
            description="Assumed by EventBridge Scheduler to deliver clausewatch reminders",
            assumed_by=iam.ServicePrincipal(
                "scheduler.amazonaws.com",
                # Scheduler's confused-deputy guidance: SourceArn must be the schedule *group* ARN
                # (not a schedule or name pattern), else every invocation is refused.
                conditions={
                    "StringEquals": {"aws:SourceAccount": Aws.ACCOUNT_ID},
                    "ArnEquals": {"aws:SourceArn": self.schedule_group.schedule_group_arn},
                },
            ),
        )

        self.planner_function = runtime.function(
            self,
            "planner",
            timeout_seconds=PLANNER_TIMEOUT_SECONDS,
            memory_mb=PLANNER_MEMORY_MB,
            description="clausewatch planner: keep one schedule per upcoming reminder",
            environment={
                config.ENV_SCHEDULER_ROLE_ARN: self.execution_role.role_arn,
                config.ENV_SCHEDULER_DLQ_ARN: self.scheduler_dlq.queue_arn,
                config.ENV_REMINDER_HORIZON_DAYS: str(self.horizon_days),
                config.ENV_SWEEP_QUEUE_URL: self.sweep_pages.queue.queue_url,
                config.ENV_SWEEP_PAGE_SIZE: str(config.SWEEP_PAGE_SIZE),
            },
        )
        self.planner_function.add_event_source(
            sources.SqsEventSource(
                self.sweep_pages.queue,
                batch_size=SWEEP_BATCH_SIZE,
                report_batch_item_failures=True,
                max_concurrency=SWEEP_MAX_CONCURRENCY,
            )
        )
        # the daily invocation sends the first page of each shard; a page sends the next one
        self.sweep_pages.queue.grant_send_messages(self.planner_function)
        self.planner_function.add_event_source(
            sources.DynamoEventSource(
                store.table,
                # from the oldest record still in the stream: nothing written before the mapping
                # is enabled is lost
                starting_position=lambda_.StartingPosition.TRIM_HORIZON,
                batch_size=PLANNER_BATCH_SIZE,
                bisect_batch_on_error=config.STREAM_CONSUMER.bisect_on_error,
                retry_attempts=PLANNER_RETRY_ATTEMPTS,
                max_record_age=PLANNER_MAX_RECORD_AGE,
                report_batch_item_failures=True,
                parallelization_factor=1,  # changes to one contract stay in order
                on_failure=sources.SqsDlq(self.planner_dlq),
            )
        )
        self.sweep_rule = events.Rule(
            self,
            "DailySweep",
            description="clausewatch planner daily sweep",
            schedule=SWEEP_SCHEDULE,
            targets=[
                targets.LambdaFunction(
                    self.planner_function,
                    event=events.RuleTargetInput.from_object(SWEEP_EVENT),
                    retry_attempts=2,
                    dead_letter_queue=self.sweep_dlq,
                )
            ],
        )
        fn = self.planner_function
        # re-planning refreshes rolled deadlines (Put/Update), the sweep scans, audit items are appended
        grant_table_access(store, fn, "planner")
        fn.add_to_role_policy(
            iam.PolicyStatement(actions=list(SCHEDULE_ACTIONS), resources=[schedules_in_group])
        )
        fn.add_to_role_policy(
            iam.PolicyStatement(
                sid="ListSchedulesHasNoResourceLevelPermissions",
                actions=[SCHEDULE_LIST_ACTION],
                resources=["*"],
            )
        )
        fn.add_to_role_policy(
            iam.PolicyStatement(
                actions=["iam:PassRole"],
                resources=[self.execution_role.role_arn],
                conditions={"StringEquals": {"iam:PassedToService": "scheduler.amazonaws.com"}},
            )
        )

    def allow_schedules_to_invoke(self, alert_function: lambda_.IFunction) -> None:
        """Let schedules invoke `alert_function` (and nothing else) and dead-letter to the scheduler
        DLQ; tell the planner which function its schedules target."""
        self.execution_role.add_to_policy(
            iam.PolicyStatement(
                actions=["lambda:InvokeFunction"],
                resources=[alert_function.function_arn, f"{alert_function.function_arn}:*"],
            )
        )
        self.execution_role.add_to_policy(
            iam.PolicyStatement(actions=["sqs:SendMessage"], resources=[self.scheduler_dlq.queue_arn])
        )
        self.planner_function.add_environment(config.ENV_ALERT_FUNCTION_ARN, alert_function.function_arn)
