"""The renewal workflow in the embedded default: moto runs the real ASL definition
(``execute_state_machine``), its Lambda tasks call functions/renewal/handler.py in-process, and
the waits follow the simulated clock: ``tick`` times a wait out (SendTaskFailure DecisionTimeout)
when the deadline kept in the table has passed. Executions live in moto's memory; after a restart
the waiting ones are rebuilt from the table (same question, new task token)."""

from __future__ import annotations

import json
import os
import time
import urllib.request
from datetime import UTC, datetime

from .. import config
from ..aws import stepfunctions as sfn
from ..aws.clients import client
from ..schema import RenewalState
from . import definition, store
from .schedule import START_TARGET_ARN, execution_name

FUNCTION_NAME = f"{config.APP}-renewal"
SETTLE_SECONDS = 60.0  # an execution's Lambda steps (in moto's thread) finish well within this


def state_machine_arn(region: str, account: str) -> str:
    return f"arn:aws:states:{region}:{account}:stateMachine:{config.RENEWAL_STATE_MACHINE}"


def function_arn(region: str, account: str) -> str:
    return f"arn:aws:lambda:{region}:{account}:function:{FUNCTION_NAME}"


def install_lambda_dispatch() -> None:
    """moto's Lambda ``invoke`` of the renewal function calls its handler in-process (moto runs
    no Lambda code); other functions keep moto's behaviour. Idempotent."""
    from moto.awslambda.models import LambdaBackend
    from moto.awslambda_simple.models import LambdaSimpleBackend

    for backend in (LambdaBackend, LambdaSimpleBackend):
        original = backend.invoke
        if getattr(original, "_clausewatch", False):
            continue

        def invoke(self, function_name, qualifier, body, headers, response_headers, _original=original):
            if function_name.rsplit(":", 1)[-1] != FUNCTION_NAME and not function_name.endswith(
                    f":function:{FUNCTION_NAME}"):
                return _original(self, function_name, qualifier, body, headers, response_headers)
            from ..local.handlers import invoke as invoke_handler

            try:
                result = invoke_handler("renewal", json.loads(body or "{}"))
            except Exception as exc:  # the Task fails with the error, as Lambda reports it
                response_headers["x-amz-function-error"] = "Unhandled"
                return json.dumps({"errorType": type(exc).__name__, "errorMessage": str(exc)}).encode()
            return json.dumps(result).encode()

        invoke._clausewatch = True  # type: ignore[attr-defined]
        backend.invoke = invoke  # type: ignore[method-assign]


def provision(endpoint: str, region: str, account: str, role_arn: str) -> str:
    """Let moto execute state machines and create the renewal one from the package's definition."""
    install_lambda_dispatch()
    request = urllib.request.Request(f"{endpoint}/moto-api/config", method="POST",
                                     data=json.dumps({"stepfunctions": {"execute_state_machine": True}}).encode(),
                                     headers={"Content-Type": "application/json"})
    urllib.request.urlopen(request)
    return client("stepfunctions").create_state_machine(
        name=config.RENEWAL_STATE_MACHINE, definition=definition(function_arn(region, account)),
        roleArn=role_arn, type="STANDARD")["stateMachineArn"]


# --- waiting for moto's execution thread ---------------------------------------------------------

def history_length(execution_arn: str) -> int:
    """How many events the execution's history has now: given to `settle` as ``beyond`` after a
    task's result is sent, so the wait answered is not taken for the next one."""
    return len(client("stepfunctions").get_execution_history(executionArn=execution_arn)["events"])


def settle(execution_arn: str, timeout: float | None = None, beyond: int = 0) -> str:
    """Wait until the execution has ended or waits for a person (its last event is the callback
    task's TaskSubmitted, after the first ``beyond`` events: a task's result sent to moto is taken
    up by its thread later, and until then the history still ends with the wait it answers):
    its steps run in moto's thread. Returns the status, or "WAITING"."""
    stepfunctions = client("stepfunctions")
    timeout = SETTLE_SECONDS if timeout is None else timeout
    give_up = time.monotonic() + timeout
    while True:
        status = stepfunctions.describe_execution(executionArn=execution_arn)["status"]
        if status != "RUNNING":
            return status
        events = stepfunctions.get_execution_history(executionArn=execution_arn)["events"]
        if len(events) > beyond and events[-1]["type"] == "TaskSubmitted":
            return "WAITING"
        if time.monotonic() > give_up:
            raise TimeoutError(f"execution {execution_arn} still running after {timeout:.0f} s")
        time.sleep(0.01)


def settle_all() -> None:
    for item in running_executions():
        settle(item)


def running_executions() -> list[str]:
    arn = _state_machine_arn()
    pages = client("stepfunctions").get_paginator("list_executions").paginate(
        stateMachineArn=arn, statusFilter="RUNNING")
    return [e["executionArn"] for page in pages for e in page["executions"]]


def _state_machine_arn() -> str:
    return os.environ[config.ENV_RENEWAL_STATE_MACHINE_ARN]


# --- what tick does ------------------------------------------------------------------------------

def is_start_schedule(schedule: dict) -> bool:
    return schedule.get("Target", {}).get("Arn") == START_TARGET_ARN


def fire_start(schedule: dict) -> dict:
    """Scheduler's universal target sfn:startExecution: the Input is the StartExecution request."""
    request = json.loads(schedule["Target"]["Input"])
    arn = sfn.start_execution(request["StateMachineArn"], request["Name"], request["Input"])
    if arn is None:
        return {"started": False, "name": request["Name"], "reason": "already started (same name)"}
    return {"started": True, "name": request["Name"], "execution": arn, "status": settle(arn)}


def due_timeouts(until: datetime) -> list[tuple[datetime, store.RenewalItem]]:
    """Waiting decisions whose deadline is at or before ``until``, earliest first."""
    out = []
    for item in store.waiting():
        if store.wait_over(item, until):
            out.append((datetime.fromisoformat(str(item.wait_deadline)).astimezone(UTC), item))
    return sorted(out, key=lambda pair: (pair[0], pair[1].contract_id))


def time_out(item: store.RenewalItem) -> dict:
    """What TimeoutSeconds does deployed: the waiting task fails with DecisionTimeout (caught by
    the definition: escalate, or lapse after the escalation)."""
    token, arn = item.task_token, item.execution_arn
    if not token:
        return {"timed_out": False, "reason": "no task token"}
    seen = history_length(arn) if arn else 0
    try:
        sfn.send_task_failure(token, "DecisionTimeout", store.timeout_cause(item))
    except sfn.TaskGone as gone:
        store.update(item, actor="tick", action="timeout.lost", state=RenewalState.WAITING.value,
                     task_token=None, detail={"reason": str(gone)})
        return {"timed_out": False, "reason": str(gone)}
    status = settle(arn, beyond=seen) if arn else "?"
    return {"timed_out": True, "round": item.waiting_round, "status": status}


def resume_waiting() -> list[str]:
    """After a restart: one new execution per decision the table says is waiting, entering the same
    wait (the ask step stores the new task token and sends no second email)."""
    started: list[str] = []
    arn = os.environ.get(config.ENV_RENEWAL_STATE_MACHINE_ARN)
    if not arn:
        return started
    for item in store.waiting():
        recommendation = item.recommendation or {}
        seconds = {"owner_timeout_seconds": config.LOCAL_WAIT_SECONDS,
                   "final_timeout_seconds": config.LOCAL_WAIT_SECONDS}
        payload = {"contract_id": item.contract_id, "term_end": item.term_end, "resume": item.waiting_round,
                   "recommendation": {"result": {**recommendation, **seconds}},
                   "steps": {"renegotiate": {"result": seconds}, "escalate": {"result": seconds}}}
        name = f"{execution_name(item.contract_id, item.term_end)[:60]}-r{time.time_ns()}"
        execution = sfn.start_execution(arn, name, json.dumps(payload))
        if execution:
            settle(execution)
            started.append(execution)
    return started


def fire_due_starts(schedules: list[dict], until: datetime) -> list[dict]:
    """Fire only the renewal start schedules due by ``until`` (the demo starts what is due before
    it saves; ``fire_until`` fires them among the reminders)."""
    from .. import clock

    results = []
    for schedule in schedules:
        if is_start_schedule(schedule) and schedule["fire_at"] <= until:
            clock.set_now(max(schedule["fire_at"], clock.now()))
            client("scheduler").delete_schedule(Name=schedule["Name"], GroupName=schedule.get("GroupName")
                                                or config.SCHEDULE_GROUP)
            results.append(fire_start(schedule))
    return results
