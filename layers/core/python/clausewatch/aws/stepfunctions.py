"""Step Functions: start a renewal execution, and complete, fail or heartbeat a waiting task."""

from __future__ import annotations

import json

from botocore.exceptions import ClientError

from .clients import client


class TaskGone(RuntimeError):
    """The task token is no longer waiting (decided, timed out, or its execution ended)."""


def start_execution(state_machine_arn: str, name: str, execution_input: str) -> str | None:
    """Start a named execution; None when that name was already used (a second start of the same
    term is a no-op)."""
    try:
        return client("stepfunctions").start_execution(stateMachineArn=state_machine_arn, name=name,
                                                        input=execution_input)["executionArn"]
    except ClientError as exc:
        if exc.response["Error"]["Code"] == "ExecutionAlreadyExists":
            return None
        raise


def _task_call(method: str, **kwargs) -> None:
    try:
        getattr(client("stepfunctions"), method)(**kwargs)
    except ClientError as exc:
        if exc.response["Error"]["Code"] in ("TaskTimedOut", "TaskDoesNotExist", "InvalidToken"):
            raise TaskGone(exc.response["Error"].get("Message") or exc.response["Error"]["Code"]) from exc
        raise


def send_task_success(task_token: str, output: dict) -> None:
    _task_call("send_task_success", taskToken=task_token, output=json.dumps(output, sort_keys=True))


def send_task_failure(task_token: str, error: str, cause: str) -> None:
    _task_call("send_task_failure", taskToken=task_token, error=error, cause=cause[:32768])


def send_task_heartbeat(task_token: str) -> None:
    _task_call("send_task_heartbeat", taskToken=task_token)


def describe_execution(execution_arn: str) -> dict:
    return client("stepfunctions").describe_execution(executionArn=execution_arn)
