"""Calendar feeds: an iCalendar of a team's (or one person's) open deadlines that Google, Outlook
and Apple calendars subscribe to. Calendar apps send no headers, so the feed is addressed by an
unguessable token in its URL; only the token's SHA-256 is stored, and an admin can revoke it."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime
from typing import Annotated

from aws_lambda_powertools.event_handler.api_gateway import Response, Router
from aws_lambda_powertools.event_handler.openapi.params import Body, Path, Query

from .. import clock, config, dates
from ..notify import calendar_feed, invite_uid
from ..pipeline import actions
from ..pipeline.record import contract_info
from ..pipeline.reminders import deadline_of
from ..plan import ContractInfo, Deadline
from ..store import invites, queries
from ..store import repository as repo
from . import views
from .auth import SECURED, Role, current_caller, public, requires
from .models import FEED_ID_PATTERN, Feed, FeedCreated, FeedList, FeedRequest, ObligationState, error_responses

router = Router()
TAGS = ["calendar"]
CALENDAR_PATH = "/calendar.ics"
FeedId = Annotated[str, Path(pattern=FEED_ID_PATTERN)]


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@router.post("/feeds", status_code=201, tags=TAGS, security=SECURED,
             summary="A calendar feed of the team's (or one owner's) open deadlines; the token is shown once",
             responses=error_responses(400, 401, 403, 409))
@requires(Role.ADMIN)
def create_feed(body: Annotated[FeedRequest, Body()]) -> FeedCreated:
    caller = current_caller(router.context)
    token = secrets.token_urlsafe(32)
    digest = token_hash(token)
    item = repo.create_feed(digest, feed_id=digest[:16], team=caller.team, owner=body.owner, label=body.label,
                            actor=caller.user)
    return FeedCreated(**views.feed(item).model_dump(), token=token, path=f"{CALENDAR_PATH}?feed={token}")


@router.get("/feeds", summary="The team's calendar feeds", tags=TAGS, security=SECURED,
            responses=error_responses(400, 401, 403))
@requires(Role.ADMIN)
def list_feeds() -> FeedList:
    caller = current_caller(router.context)
    feeds = sorted(queries.team_feeds(caller.team), key=lambda f: f.created_at)
    return FeedList(items=[views.feed(f) for f in feeds])


@router.delete("/feeds/<feed_id>", summary="Revoke a calendar feed", tags=TAGS, security=SECURED,
               responses=error_responses(400, 401, 403, 404, 409))
@requires(Role.ADMIN)
def revoke_feed(feed_id: FeedId) -> Feed:
    caller = current_caller(router.context)
    item = queries.team_feed(caller.team, feed_id)
    if item is None:
        raise actions.NotFound(f"no feed {feed_id!r}")
    return views.feed(repo.revoke_feed(item, actor=caller.user))


RECORDED_PER_SERVE = 200  # feed entries recorded by one request at most (each a conditional PutItem)


def entry_uids(entries: list[tuple[ContractInfo, Deadline]], now: datetime) -> dict[tuple[str, str], str]:
    """The UID of each deadline's entry, by the invites' rule (``notify.invite_uid``) from the entry
    the feeds served last (what subscribers' calendars hold): the same entry while its day has not
    passed in its contract's time zone (a date moved: its UID), a later term's deadline once it has
    (a UID of its own, from its date). A deadline served before entries were recorded keeps the UID
    every feed served then (``event_uid(contract, obligation)``). What changed is recorded."""
    held = invites.feed_entries([(c.contract_id, d.obligation_id) for c, d in entries])
    uids = {}
    changed = []
    for contract, deadline in entries:
        key = (contract.contract_id, deadline.obligation_id)
        was = held.get(key)
        today = now.astimezone(dates.zone(contract.time_zone)).date()
        uids[key] = uid = invite_uid(*key, deadline.due, was, today)
        if was != (deadline.due, uid):
            changed.append((deadline.due, key, uid, was))
    # at most RECORDED_PER_SERVE conditional writes in one request, the nearest days first (a team's
    # first poll after the upgrade has every deadline to record): one not recorded yet is served by
    # the rule for none (every feed's UID until then) and recorded on a later poll
    for due, key, uid, was in sorted(changed, key=lambda change: (change[0], change[1]))[:RECORDED_PER_SERVE]:
        invites.record_feed_entry(*key, due, uid, was)
    return uids


@router.get(CALENDAR_PATH, tags=TAGS, summary="The feed's open deadlines as iCalendar (subscribe to its URL)",
            responses={200: {"description": "text/calendar (RFC 5545)",
                             "content": {"text/calendar": {"schema": {"type": "string"}}}},
                       **error_responses(400, 404)})
@public
def calendar(feed: Annotated[str, Query(min_length=16, max_length=128, description="the feed's token")]
             ) -> Response[str]:
    item = repo.feed_of_token(token_hash(feed))
    if item is None or item.revoked:
        raise actions.NotFound("no such calendar feed (revoked, or never issued)")
    contracts = views.Contracts()
    # what is still to do: an expiration whose day has passed in its contract's time zone is no one's
    # duty any more (the API lists it as "expired"), so it leaves the feed as a done deadline does
    entries = [(contract_info(c), deadline_of(o)) for o in queries.open_obligations(item.team, item.owner)
               if (c := contracts.get(o.contract_id)) is not None
               and views.obligation_state(o, c.time_zone) != ObligationState.EXPIRED]
    name = f"clausewatch: {item.label or item.owner or item.team}"
    now = clock.now()
    body = calendar_feed(entries, name=name, api_base_url=config.Settings.from_env().api_base_url,
                         stamp=now, uids=entry_uids(entries, now))
    return Response(status_code=200, content_type="text/calendar; charset=utf-8", body=body.decode(),
                    headers={"Cache-Control": "private, max-age=900"})
