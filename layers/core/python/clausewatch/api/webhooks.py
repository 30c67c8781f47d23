"""A team's webhooks (admins): Slack and Microsoft Teams incoming webhooks and generic signed
webhooks, for reminders due, obligations overdue, SLA breaches and invoice findings, renewal
decisions. A generic webhook's signing secret is shown once, at creation."""

from __future__ import annotations

from typing import Annotated, Literal

from aws_lambda_powertools.event_handler.api_gateway import Router
from aws_lambda_powertools.event_handler.openapi.params import Body, Path
from pydantic import Field

from ..config import Settings
from ..pipeline import actions
from ..pipeline import webhooks as pipeline
from ..store import webhooks as store
from ..store.models import WebhookItem
from ..webhooks import EVENT_TYPES, SIGNATURE_HEADER
from .auth import SECURED, Role, current_caller, requires
from .models import _Request, _Response, error_responses

router = Router()
TAGS = ["webhooks"]
WebhookId = Annotated[str, Path(pattern=r"^[0-9a-f]{16}$")]
EventType = Literal["reminder.due", "obligation.overdue", "sla.breach", "invoice.finding",
                    "renewal.decision_needed", "renewal.decided"]
assert set(EventType.__args__) == set(EVENT_TYPES)  # type: ignore[attr-defined]  # one list of event types


class WebhookRequest(_Request):
    kind: Literal["slack", "teams", "generic"]
    url: str = Field(min_length=8, max_length=2000, description="https (Slack/Teams incoming webhook URL, or yours)")
    events: list[EventType] | None = Field(default=None, min_length=1,
                                           description="default (left out): every event type; an empty list is refused")
    label: str | None = Field(default=None, max_length=100)


class FailedDelivery(_Response):
    event_id: str
    event_type: str
    at: str = Field(description="when the last try failed (ISO time)")
    attempts: int
    error: str = Field(description="the last try's reason: HTTP <status>, or no answer within the timeout, ...")
    contract_id: str | None


class Webhook(_Response):
    id: str
    kind: str
    url: str
    events: list[str]
    label: str | None
    created_by: str
    created_at: str
    disabled: bool
    disabled_reason: str | None
    consecutive_failures: int
    failing_since: str | None = Field(default=None, description="when the failures in a row began (ISO time)")
    last_error: str | None
    delivered: int
    given_up: int = Field(default=0, description="events whose every try failed since the last delivery")
    failed_deliveries: list[FailedDelivery] = Field(
        default_factory=list, description="the latest events given up after their last try (kept in the DLQ), "
                                          "newest first; each is also a webhook.failed line in its contract's audit trail")


class WebhookCreated(Webhook):
    secret: str | None = Field(description=f"generic webhooks: the HMAC key of the {SIGNATURE_HEADER} header, "
                                           "shown only now")


class WebhookList(_Response):
    items: list[Webhook]


def _view(item: WebhookItem) -> Webhook:
    return Webhook(id=item.webhook_id, kind=item.kind, url=item.url, events=list(item.events or []), label=item.label,
                   created_by=item.created_by, created_at=item.created_at, disabled=bool(item.disabled),
                   disabled_reason=item.disabled_reason, consecutive_failures=int(item.consecutive_failures or 0),
                   failing_since=item.failing_since, last_error=item.last_error, delivered=int(item.delivered or 0),
                   given_up=int(item.given_up or 0),
                   failed_deliveries=[FailedDelivery(event_id=f.event_id, event_type=f.event_type, at=f.sent_at,
                                                     attempts=int(f.attempts or 0), error=f.error or "",
                                                     contract_id=f.contract_id)
                                      for f in store.failures(item.webhook_id)])


def _team_webhook(webhook_id: str, team: str) -> WebhookItem:
    item = store.get(webhook_id)
    if item is None or item.team != team:
        raise actions.NotFound(f"no webhook {webhook_id!r}")
    return item


@router.post("/webhooks", status_code=201, tags=TAGS, security=SECURED,
             summary="Send the team's events to Slack, Teams or a signed generic webhook",
             responses=error_responses(400, 401, 403, 409))
@requires(Role.ADMIN)
def create_webhook(body: Annotated[WebhookRequest, Body()]) -> WebhookCreated:
    caller = current_caller(router.context)
    try:
        item, secret = pipeline.subscribe(Settings.from_env(), team=caller.team, kind=body.kind, url=body.url,
                                          events=[str(e) for e in body.events] if body.events else None,
                                          label=body.label, actor=caller.user)
    except ValueError as exc:
        raise actions.InvalidInput(str(exc)) from None
    return WebhookCreated(**_view(item).model_dump(), secret=secret)


@router.get("/webhooks", tags=TAGS, security=SECURED, summary="The team's webhooks, with their delivery state",
            responses=error_responses(400, 401, 403))
@requires(Role.ADMIN)
def list_webhooks() -> WebhookList:
    caller = current_caller(router.context)
    return WebhookList(items=[_view(i) for i in sorted(store.of_team(caller.team), key=lambda i: i.created_at)])


@router.post("/webhooks/<webhook_id>/enable", tags=TAGS, security=SECURED,
             summary="Enable a disabled webhook again (then redrive its DLQ for what it missed)",
             responses=error_responses(400, 401, 403, 404, 409))
@requires(Role.ADMIN)
def enable_webhook(webhook_id: WebhookId) -> Webhook:
    item = _team_webhook(webhook_id, current_caller(router.context).team)
    pipeline.enable(item)
    return _view(item)


@router.delete("/webhooks/<webhook_id>", tags=TAGS, security=SECURED, summary="Delete a webhook",
               responses=error_responses(400, 401, 403, 404, 409))
@requires(Role.ADMIN)
def delete_webhook(webhook_id: WebhookId) -> Webhook:
    item = _team_webhook(webhook_id, current_caller(router.context).team)
    view = _view(item)
    store.delete(item)
    return view
