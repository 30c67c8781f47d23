"""How the caller hears from clausewatch: the weekly digest, and which reminders still come one by
one (``clausewatch.digest``). Anyone signed in sets their own; escalations always go out."""

from __future__ import annotations

from typing import Annotated, Literal

from aws_lambda_powertools.event_handler.api_gateway import Router
from aws_lambda_powertools.event_handler.openapi.params import Body
from pydantic import Field, field_validator

from .. import dates
from ..pipeline.digest import reader_zone
from ..store import preferences
from ..store.models import PreferenceItem
from .auth import SECURED, Role, current_caller, requires
from .models import _Request, _Response, error_responses

router = Router()
TAGS = ["preferences"]


TIME_ZONE_DESCRIPTION = ("the IANA time zone (e.g. America/Los_Angeles) the weekly digest is sent in, Monday 07:00 "
                         "there, and dated by: that Monday")


class PreferencesRequest(_Request):
    digest: Literal["weekly", "off"] = Field(description="a weekly email of what is overdue or due in 14 days")
    reminders: Literal["each", "urgent", "none"] = Field(
        description="each: every reminder; urgent: only within a week of the date, on it, or overdue; none: the "
                    "digest only (escalations still go out)")
    time_zone: str | None = Field(default=None, min_length=1, max_length=64, examples=["America/Los_Angeles"],
                                  description=f"{TIME_ZONE_DESCRIPTION}; omitted: the one set before (UTC at first)")

    @field_validator("time_zone")
    @classmethod
    def _known_time_zone(cls, value: str | None) -> str | None:
        if value is not None and not dates.is_place_time_zone(value):
            raise ValueError("not an IANA time zone name such as America/Los_Angeles, Europe/Berlin or UTC")
        return value


class Preferences(_Response):
    email: str
    digest: str
    reminders: str
    time_zone: str = Field(description=TIME_ZONE_DESCRIPTION)
    teams: list[str]


@router.get("/me/preferences", tags=TAGS, security=SECURED, summary="How you hear from clausewatch",
            responses=error_responses(400, 401, 403))
@requires(Role.VIEWER)
def get_preferences() -> Preferences:
    caller = current_caller(router.context)
    item = preferences.get(caller.user)
    if item is None:
        return Preferences(email=caller.user.lower(), digest="off", reminders="each", time_zone="UTC",
                           teams=[caller.team])
    return _preferences(item)


@router.put("/me/preferences", tags=TAGS, security=SECURED,
            summary="Choose the weekly digest, its time zone and your reminders",
            responses=error_responses(400, 401, 403, 409))
@requires(Role.VIEWER)
def put_preferences(body: Annotated[PreferencesRequest, Body()]) -> Preferences:
    caller = current_caller(router.context)
    item = preferences.put(caller.user, digest=body.digest, reminders=body.reminders, team=caller.team,
                           time_zone=body.time_zone)
    return _preferences(item)


def _preferences(item: PreferenceItem) -> Preferences:
    return Preferences(email=item.email, digest=item.digest, reminders=item.reminders,
                       time_zone=reader_zone(item), teams=list(item.teams or []))
