"""EventBridge Scheduler: one one-time schedule per reminder, in the clausewatch group."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Protocol

from botocore.exceptions import ClientError

from ..config import Settings
from .clients import client

RETRY_ATTEMPTS = 3
MAX_EVENT_AGE_SECONDS = 24 * 3600  # an alert a day late is still worth sending


class ScheduledReminder(Protocol):
    @property
    def name(self) -> str: ...

    @property
    def schedule_name(self) -> str: ...

    @property
    def time_zone(self) -> str: ...

    @property
    def schedule_expression(self) -> str: ...

    def payload(self) -> dict: ...


def schedule_names(settings: Settings, prefix: str) -> set[str]:
    """Names of the schedules in the group that start with ``prefix``."""
    names: set[str] = set()
    paginator = client("scheduler").get_paginator("list_schedules")
    for page in paginator.paginate(GroupName=settings.schedule_group, NamePrefix=prefix):
        names.update(s["Name"] for s in page.get("Schedules", []))
    return names


def create_schedule(settings: Settings, reminder: ScheduledReminder, description: str = "") -> None:
    """A one-time ``at(...)`` schedule that invokes the alert function with the reminder's payload
    and deletes itself after it ran; failed deliveries retry, then land in the DLQ."""
    target = {
        "Arn": settings.alert_function_arn,
        "RoleArn": settings.scheduler_role_arn,
        "Input": json.dumps(reminder.payload(), sort_keys=True),
        "RetryPolicy": {"MaximumRetryAttempts": RETRY_ATTEMPTS,
                        "MaximumEventAgeInSeconds": MAX_EVENT_AGE_SECONDS},
    }
    if settings.scheduler_dlq_arn:
        target["DeadLetterConfig"] = {"Arn": settings.scheduler_dlq_arn}
    try:
        client("scheduler").create_schedule(
            Name=reminder.schedule_name, GroupName=settings.schedule_group,
            ScheduleExpression=reminder.schedule_expression,
            ScheduleExpressionTimezone=reminder.time_zone,
            FlexibleTimeWindow={"Mode": "OFF"}, Target=target, State="ENABLED",
            ActionAfterCompletion="DELETE", Description=description[:512])
    except ClientError as exc:
        if exc.response["Error"]["Code"] != "ConflictException":  # already there: same name, same reminder
            raise


def delete_schedules(settings: Settings, names: Iterable[str]) -> None:
    for name in names:
        try:
            client("scheduler").delete_schedule(Name=name, GroupName=settings.schedule_group)
        except ClientError as exc:
            if exc.response["Error"]["Code"] != "ResourceNotFoundException":
                raise


def get_schedule(settings: Settings, name: str) -> dict:
    return client("scheduler").get_schedule(Name=name, GroupName=settings.schedule_group)


def create_target_schedule(settings: Settings, *, name: str, expression: str, time_zone: str, target_arn: str,
                           role_arn: str, payload: dict, description: str = "") -> bool:
    """A one-time schedule with any target (e.g. the universal ``aws-sdk:sfn:startExecution``,
    whose Input is the API request), deleted after it ran; failed deliveries retry, then DLQ.
    False when a schedule of that name was there already (nothing created)."""
    target: dict = {"Arn": target_arn, "RoleArn": role_arn, "Input": json.dumps(payload, sort_keys=True),
                    "RetryPolicy": {"MaximumRetryAttempts": RETRY_ATTEMPTS,
                                    "MaximumEventAgeInSeconds": MAX_EVENT_AGE_SECONDS}}
    if settings.scheduler_dlq_arn:
        target["DeadLetterConfig"] = {"Arn": settings.scheduler_dlq_arn}
    try:
        client("scheduler").create_schedule(
            Name=name, GroupName=settings.schedule_group, ScheduleExpression=expression,
            ScheduleExpressionTimezone=time_zone, FlexibleTimeWindow={"Mode": "OFF"}, Target=target,
            State="ENABLED", ActionAfterCompletion="DELETE", Description=description[:512])
    except ClientError as exc:
        if exc.response["Error"]["Code"] != "ConflictException":
            raise
        return False
    return True
