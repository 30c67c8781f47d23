"""Who is calling, and may they: the caller's team, user and role from the request's claims.

Deployed, API Gateway's Cognito user-pool authorizer puts the verified token's claims at
``requestContext.authorizer.claims``; locally, ``clausewatch serve`` checks its bearer token and
puts the same claims in the same place. This module is the one code path for both:

* ``email`` (else ``sub``) is the user, the actor in the audit trail;
* ``custom:team`` is the team: every contract, obligation and feed of another team is not found;
* ``custom:role`` is ``viewer`` (reads), ``editor`` (also acts: complete, waive, owners, uploads)
  or ``admin`` (also deletes contracts and manages calendar feeds).

No claims, or no user or team in them: 401. A role below the route's, or none: 403.
Each route declares what it needs with ``@requires(Role...)`` or ``@public``; a route that says
nothing needs a viewer (closed by default).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, TypeVar

USER_CLAIMS = ("email", "sub")  # the first present names the user
TEAM_CLAIM = "custom:team"
ROLE_CLAIM = "custom:role"

# the OpenAPI security requirement of every route but the public ones (see app.SECURITY_SCHEMES)
SECURED: list[dict[str, list[str]]] = [{"bearerAuth": []}]


class Role(StrEnum):
    VIEWER = "viewer"
    EDITOR = "editor"
    ADMIN = "admin"


_RANK = {Role.VIEWER: 0, Role.EDITOR: 1, Role.ADMIN: 2}


class Unauthorized(Exception):
    """No credentials, or not usable ones (401)."""


class Forbidden(Exception):
    """Known caller, not allowed (403)."""


@dataclass(frozen=True)
class Caller:
    team: str
    user: str
    role: Role

    def may(self, role: Role) -> bool:
        return _RANK[self.role] >= _RANK[role]


def caller_from_claims(claims: Mapping[str, Any] | None) -> Caller:
    """The caller the claims describe; Unauthorized without a user or team, Forbidden without a
    known role."""
    if not claims:
        raise Unauthorized("authentication required")
    user = next((str(claims[c]).strip() for c in USER_CLAIMS if str(claims.get(c) or "").strip()), None)
    team = str(claims.get(TEAM_CLAIM) or "").strip()
    if not user or not team:
        raise Unauthorized("the token names no user or no team")
    try:
        role = Role(str(claims.get(ROLE_CLAIM) or "").strip().lower())
    except ValueError:
        raise Forbidden("the token grants no role (viewer, editor or admin)") from None
    return Caller(team=team, user=user, role=role)


# --- what each route needs -----------------------------------------------------------------------

_NEEDS = "__clausewatch_role__"
_PUBLIC = "public"
F = TypeVar("F", bound=Callable[..., Any])


def requires(role: Role) -> Callable[[F], F]:
    """Mark a route function as needing at least ``role`` (place it under the route decorator)."""
    def mark(func: F) -> F:
        setattr(func, _NEEDS, role)
        return func
    return mark


def public(func: F) -> F:
    """Mark a route function as open to anyone (health, the OpenAPI document, calendar feeds)."""
    setattr(func, _NEEDS, _PUBLIC)
    return func


def is_public(func: Callable[..., Any]) -> bool:
    return getattr(func, _NEEDS, None) == _PUBLIC


def required_role(func: Callable[..., Any]) -> Role | None:
    """The role a route needs; None for a public one; a viewer when it says nothing."""
    needs = getattr(func, _NEEDS, Role.VIEWER)
    return None if needs == _PUBLIC else needs


def is_declared(func: Callable[..., Any]) -> bool:
    return hasattr(func, _NEEDS)


def authorize(func: Callable[..., Any], claims: Mapping[str, Any] | None) -> Caller | None:
    """The caller of a route (None on a public one); Unauthorized / Forbidden when not allowed."""
    role = required_role(func)
    if role is None:
        return None
    caller = caller_from_claims(claims)
    if not caller.may(role):
        raise Forbidden(f"this needs the {role} role; the token grants {caller.role}")
    return caller


CONTEXT_KEY = "caller"  # where the resolver's middleware leaves the authorized caller


def current_caller(context: Mapping[str, Any]) -> Caller:
    """The caller the middleware authorized for this request (a route's ``router.context``)."""
    caller = context.get(CONTEXT_KEY)
    if not isinstance(caller, Caller):
        raise Unauthorized("authentication required")
    return caller
