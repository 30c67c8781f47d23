"""alert λ: the target of every reminder schedule (the event is the schedule's Input payload), of
every calendar change (``{"calendar": "update" | "cancel", ...}``) and of the hourly digest rule
(``{"digest": true, "at": <the run's scheduled time>}``)."""

from clausewatch import clock
from clausewatch.config import Settings
from clausewatch.observability import logger, tracer
from clausewatch.pipeline.calendar_changes import CALENDAR_EVENT, send_calendar_change
from clausewatch.pipeline.reminders import send_alert


@logger.inject_lambda_context(correlation_id_path="name")
@tracer.capture_lambda_handler
def handler(event: dict, context) -> dict:
    if event.get("digest"):  # the hourly rule: the digests of the readers whose Monday 07:00 it is
        from clausewatch.pipeline.digest import run_time, send_digests

        counts = send_digests(Settings.from_env(), run_time(event, clock.now()), sent_at=clock.now())
        logger.info("digests", extra=counts)
        return counts
    if event.get(CALENDAR_EVENT):  # a calendar entry mailed before moves or is withdrawn
        result = send_calendar_change(Settings.from_env(), event)
        logger.info("calendar change", extra={"schedule": event.get("name"), **result})
        return result
    decision = send_alert(Settings.from_env(), event)
    logger.info("alert", extra={"reminder": event.get("name"), "sent": decision.send,
                                "reason": decision.reason, "to": decision.to, "cc": decision.cc})
    return {"sent": decision.send, "reason": decision.reason, "to": decision.to, "cc": decision.cc,
            "escalated": decision.escalated}
