"""How the caller hears from clausewatch: the weekly digest, and which reminders still come one by
one (``clausewatch.digest``). Anyone signed in sets their own; escalations always go out."""

from __future__ import annotations

from typing import Annotated, Literal

from aws_lambda_powertools.event_handler.api_gateway import Router
from aws_lambda_powertools.event_handler.openapi.params import Body
from pydantic import Field

from ..store import preferences
from .auth import SECURED, Role, current_caller, requires
from .models import _Request, _Response, error_responses

router = Router()
TAGS = ["preferences"]


class PreferencesRequest(_Request):
    digest: Literal["weekly", "off"] = Field(description="a weekly email of what is overdue or due in 14 days")
    reminders: Literal["each", "urgent", "none"] = Field(
        description="each: every reminder; urgent: only within a week of the date, on it, or overdue; none: the "
                    "digest only (escalations still go out)")


class Preferences(_Response):
    email: str
    digest: str
    reminders: str
    teams: list[str]


@router.get("/me/preferences", tags=TAGS, security=SECURED, summary="How you hear from clausewatch",
            responses=error_responses(400, 401, 403))
@requires(Role.VIEWER)
def get_preferences() -> Preferences:
    caller = current_caller(router.context)
    item = preferences.get(caller.user)
    if item is None:
        return Preferences(email=caller.user.lower(), digest="off", reminders="each", teams=[caller.team])
    return Preferences(email=item.email, digest=item.digest, reminders=item.reminders, teams=list(item.teams or []))


@router.put("/me/preferences", tags=TAGS, security=SECURED, summary="Choose the weekly digest and your reminders",
            responses=error_responses(400, 401, 403, 409))
@requires(Role.VIEWER)
def put_preferences(body: Annotated[PreferencesRequest, Body()]) -> Preferences:
    caller = current_caller(router.context)
    item = preferences.put(caller.user, digest=body.digest, reminders=body.reminders, team=caller.team)
    return Preferences(email=item.email, digest=item.digest, reminders=item.reminders, teams=list(item.teams or []))
