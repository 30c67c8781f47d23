"""Renewal decisions (issue #10): the state machine from the package's one ASL definition, the
renewal λ its Task states call, and the Scheduler role that may start this state machine and
nothing else (the planner creates one start schedule per current term)."""

from __future__ import annotations

from aws_cdk import Aws, RemovalPolicy
from aws_cdk import aws_iam as iam
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_logs as logs
from aws_cdk import aws_ses as ses
from aws_cdk import aws_stepfunctions as sfn
from constructs import Construct

from clausewatch import config
from clausewatch.renewal import DEFINITION_PATH, FUNCTION_PLACEHOLDER

from .permissions import grant_table_access
from .runtime import FunctionRuntime
from .scheduling import Scheduling
from .storage import ContractStore

RENEWAL_TIMEOUT_SECONDS = 60
RENEWAL_MEMORY_MB = 512
SUBSTITUTION = FUNCTION_PLACEHOLDER[2:-1]  # "${RenewalFunctionArn}" -> "RenewalFunctionArn"


class Renewal(Construct):
    """The renewal λ (its table actions: table_access.py; the contract's stored text, the notices folder, mail from
    the SES identity), the state machine (STANDARD, logging ALL to its own log group, X-Ray tracing,
    a role that may invoke only the renewal λ), the start role Scheduler assumes (only
    states:StartExecution on this state machine, and the scheduler DLQ), and the timeout role
    (only invoking the planner, and the scheduler DLQ). The planner passes those roles, heartbeats
    and ends waiting decisions, and mails the person asked when a notice deadline moved (as the
    sender identity); the API completes them (task responses only)."""

    def __init__(self, scope: Construct, id: str, *, store: ContractStore, runtime: FunctionRuntime,
                 scheduling: Scheduling, sender_identity: ses.IEmailIdentity,
                 api_function: lambda_.IFunction) -> None:
        super().__init__(scope, id)
        self.function = runtime.function(
            self, "renewal", timeout_seconds=RENEWAL_TIMEOUT_SECONDS, memory_mb=RENEWAL_MEMORY_MB,
            description="clausewatch renewal: the renewal decision workflow's steps")
        grant_table_access(store, self.function, "renewal")
        store.bucket.grant_read(self.function, f"{config.TEXT_PREFIX}*")
        store.bucket.grant_put(self.function, f"{config.CONTRACTS_PREFIX}*/notices/*")
        store.bucket.grant_read(self.function, f"{config.CONTRACTS_PREFIX}*/notices/*")
        sender_identity.grant_send_email(self.function)

        self.log_group = logs.LogGroup(self, "Logs", retention=logs.RetentionDays.THREE_MONTHS,
                                       removal_policy=RemovalPolicy.RETAIN)
        self.state_machine = sfn.StateMachine(
            self, "StateMachine", state_machine_name=config.RENEWAL_STATE_MACHINE,
            state_machine_type=sfn.StateMachineType.STANDARD,
            definition_body=sfn.DefinitionBody.from_string(DEFINITION_PATH.read_text()),  # inline: the same file
            definition_substitutions={SUBSTITUTION: self.function.function_arn},
            logs=sfn.LogOptions(destination=self.log_group, level=sfn.LogLevel.ALL, include_execution_data=False),
            tracing_enabled=True)
        # a definition from a file grants nothing by itself: the one function it calls
        self.state_machine.add_to_role_policy(iam.PolicyStatement(
            actions=["lambda:InvokeFunction"],
            resources=[self.function.function_arn, f"{self.function.function_arn}:*"]))

        self.start_role = iam.Role(
            self, "StartRole", description="Assumed by EventBridge Scheduler to start clausewatch renewal decisions",
            assumed_by=iam.ServicePrincipal("scheduler.amazonaws.com", conditions={
                "StringEquals": {"aws:SourceAccount": Aws.ACCOUNT_ID},
                "ArnEquals": {"aws:SourceArn": scheduling.schedule_group.schedule_group_arn}}))
        self.start_role.add_to_policy(iam.PolicyStatement(
            actions=["states:StartExecution"], resources=[self.state_machine.state_machine_arn]))
        self.start_role.add_to_policy(iam.PolicyStatement(
            actions=["sqs:SendMessage"], resources=[scheduling.scheduler_dlq.queue_arn]))

        planner = scheduling.planner_function
        planner.add_environment(config.ENV_RENEWAL_STATE_MACHINE_ARN, self.state_machine.state_machine_arn)
        planner.add_environment(config.ENV_RENEWAL_START_ROLE_ARN, self.start_role.role_arn)
        planner.add_to_role_policy(iam.PolicyStatement(
            actions=["iam:PassRole"], resources=[self.start_role.role_arn],
            conditions={"StringEquals": {"iam:PassedToService": "scheduler.amazonaws.com"}}))
        # heartbeats of waiting decisions, the timeout of one whose notice deadline moved earlier,
        # and the end of one whose notice deadline moved into the past (NoticeDeadlinePassed)
        self.state_machine.grant_task_response(planner)
        # a wait whose deadline moved earlier ends at the new deadline: a one-time schedule invokes
        # the planner then (renewal/planning.sync_wait_timeout), with a role that may do only that
        self.timeout_role = iam.Role(
            self, "TimeoutRole",
            description="Assumed by EventBridge Scheduler to end clausewatch renewal waits at a moved deadline",
            assumed_by=iam.ServicePrincipal("scheduler.amazonaws.com", conditions={
                "StringEquals": {"aws:SourceAccount": Aws.ACCOUNT_ID},
                "ArnEquals": {"aws:SourceArn": scheduling.schedule_group.schedule_group_arn}}))
        self.timeout_role.add_to_policy(iam.PolicyStatement(
            # the function itself, never one of its versions or aliases (the schedule targets its ARN)
            actions=["lambda:InvokeFunction"], resources=[planner.function_arn]))
        self.timeout_role.add_to_policy(iam.PolicyStatement(
            actions=["sqs:SendMessage"], resources=[scheduling.scheduler_dlq.queue_arn]))
        planner.add_environment(config.ENV_RENEWAL_TIMEOUT_ROLE_ARN, self.timeout_role.role_arn)
        planner.add_environment(config.ENV_FUNCTION_ARN_PREFIX,
                                f"arn:{Aws.PARTITION}:lambda:{Aws.REGION}:{Aws.ACCOUNT_ID}:function:")
        planner.add_to_role_policy(iam.PolicyStatement(
            actions=["iam:PassRole"], resources=[self.timeout_role.role_arn],
            conditions={"StringEquals": {"iam:PassedToService": "scheduler.amazonaws.com"}}))
        # the person asked hears of a moved notice deadline: the planner asks again (a new link)
        sender_identity.grant_send_email(planner)
        # a notice deadline that moved after "do not renew": the prepared letter is written again
        # with the new date (renewal/planning.py)
        store.bucket.grant_read(planner, f"{config.TEXT_PREFIX}*")
        store.bucket.grant_put(planner, f"{config.CONTRACTS_PREFIX}*/notices/*")
        # a decision superseded because its term's end moved: its letter is withdrawn (the bucket is
        # versioned: the letter as prepared stays among the object's versions)
        store.bucket.grant_delete(planner, f"{config.CONTRACTS_PREFIX}*/notices/*")
        self.state_machine.grant_task_response(api_function)  # the decision: SendTaskSuccess
        # a contract's owner changed while its decision waits: the API asks the new owner (a new link)
        sender_identity.grant_send_email(api_function)
        api_function.add_environment(config.ENV_RENEWAL_STATE_MACHINE_ARN, self.state_machine.state_machine_arn)

    @property
    def state_machine_arn(self) -> str:
        return self.state_machine.state_machine_arn



