"""Bearer tokens for `clausewatch serve`: what Cognito's ID tokens are when deployed.

A token is ``cw1.<payload>.<signature>``: the payload (team, user, role, expiry) as base64url JSON,
signed with HMAC-SHA256 under a random secret kept in the state folder (``token-secret``, created
on first use, readable by its owner only). ``verify`` gives back the claims in the shape API
Gateway's Cognito user-pool authorizer passes them (``requestContext.authorizer.claims``), so the
API handler has one auth code path for both. Expiry is on the real clock (a token is a credential,
not part of a simulation).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import os
import secrets
import time
import uuid
from datetime import UTC
from pathlib import Path

PREFIX = "cw1"
SECRET_FILE = "token-secret"
SECRET_BYTES = 32
ROLES = ("viewer", "editor", "admin")
DEFAULT_DAYS = 30
MAX_DAYS = 366
SERVE_URL = "http://127.0.0.1:8000"  # `clausewatch serve`'s default address


class InvalidToken(ValueError):
    """Not a token this state folder signed, or no longer valid; the message says which."""


def load_secret(state_dir: Path) -> bytes:
    """The state folder's signing secret, created (mode 0600) on first use."""
    path = state_dir / SECRET_FILE
    try:
        return bytes.fromhex(path.read_text().strip())
    except FileNotFoundError:
        pass
    state_dir.mkdir(parents=True, exist_ok=True)
    try:
        # O_EXCL: two commands creating it at once agree on one secret (the loser reads the winner's)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return bytes.fromhex(path.read_text().strip())
    with os.fdopen(fd, "w") as out:
        out.write(secrets.token_hex(SECRET_BYTES) + "\n")
    return bytes.fromhex(path.read_text().strip())


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _sign(secret: bytes, payload: str) -> str:
    return _b64(hmac.new(secret, f"{PREFIX}.{payload}".encode(), hashlib.sha256).digest())


def issue(secret: bytes, *, team: str, user: str, role: str = "viewer", days: float = DEFAULT_DAYS,
          now: float | None = None) -> str:
    """A token for ``user`` of ``team`` with ``role``, valid for ``days``."""
    team, user, role = team.strip(), user.strip(), role.strip().lower()
    if not team or not user:
        raise ValueError("a token needs a team and a user")
    if role not in ROLES:
        raise ValueError(f"role must be one of {', '.join(ROLES)}, not {role!r}")
    if not 0 < days <= MAX_DAYS:
        raise ValueError(f"days must be more than 0 and at most {MAX_DAYS}")
    issued = int(time.time() if now is None else now)
    claims = {"team": team, "user": user, "role": role, "iat": issued, "exp": issued + int(days * 86400)}
    payload = _b64(json.dumps(claims, separators=(",", ":"), sort_keys=True).encode())
    return f"{PREFIX}.{payload}.{_sign(secret, payload)}"


def verify(secret: bytes, token: str, *, now: float | None = None) -> dict[str, str]:
    """The claims a valid token carries, as the Cognito authorizer passes an ID token's:
    ``sub``, ``email``, ``custom:team``, ``custom:role`` (strings). InvalidToken otherwise."""
    parts = token.strip().split(".")
    if len(parts) != 3 or parts[0] != PREFIX:
        raise InvalidToken("not a clausewatch token")
    payload, signature = parts[1], parts[2]
    if not hmac.compare_digest(_sign(secret, payload), signature):
        raise InvalidToken("bad signature (tampered, or signed for another state folder)")
    try:
        claims = json.loads(_unb64(payload))
        team, user, role, expires = claims["team"], claims["user"], claims["role"], int(claims["exp"])
    except (ValueError, KeyError, TypeError, binascii.Error) as exc:
        raise InvalidToken("malformed payload") from exc
    if expires <= (time.time() if now is None else now):
        raise InvalidToken("expired")
    # a Cognito `sub` is a stable UUID, not the e-mail: derive one from team and user
    sub = str(uuid.UUID(hashlib.sha256(f"{team}\0{user}".encode()).hexdigest()[:32]))
    return {"sub": sub, "email": str(user), "custom:team": str(team), "custom:role": str(role)}


def command(argv: list[str]) -> int:
    """`clausewatch token create --team T --user EMAIL [--role R] [--days N] [--state DIR]`: print
    a token (alone on stdout, so ``TOKEN=$(clausewatch token create ...)`` works)."""
    import argparse
    import sys
    from datetime import datetime

    from .cli import DEFAULT_STATE

    parser = argparse.ArgumentParser(
        prog="clausewatch token",
        description="Bearer tokens for `clausewatch serve` (deployed, Cognito issues them).")
    sub = parser.add_subparsers(dest="action", required=True)
    create = sub.add_parser("create", help="print a signed, expiring token for a user of a team")
    create.add_argument("--team", required=True)
    create.add_argument("--user", required=True, metavar="EMAIL")
    create.add_argument("--role", choices=ROLES, default="viewer",
                        help="viewer reads; editor also acts and uploads; admin also deletes and "
                             "manages calendar feeds (default: %(default)s)")
    create.add_argument("--days", type=float, default=DEFAULT_DAYS, help="valid for (default: %(default)s)")
    create.add_argument("--state", type=Path, default=DEFAULT_STATE)
    create.add_argument("--url", default=None,
                        help="where `clausewatch serve` runs, for the web sign-in link (default: the address "
                             f"of the serve running on --state, else {SERVE_URL})")
    args = parser.parse_args(argv)
    try:
        token = issue(load_secret(args.state), team=args.team, user=args.user, role=args.role, days=args.days)
    except ValueError as exc:
        parser.error(str(exc))
    expires = datetime.fromtimestamp(json.loads(_unb64(token.split(".")[1]))["exp"], UTC)
    print(token)
    print(f"{args.user} ({args.role}) of team {args.team}, valid until {expires:%Y-%m-%d %H:%M}Z, for "
          f"`clausewatch serve --state {args.state}`: send it as 'Authorization: Bearer <token>'",
          file=sys.stderr)
    print(f"sign in to the web dashboard: {login_link(args.url or serving_url(args.state), token)}",
          file=sys.stderr)
    return 0


def serving_url(state_dir: Path) -> str:
    """The address of the `clausewatch serve` running on ``state_dir`` (its lock says it), else the
    default one."""
    from .statelock import holder

    serving = holder(state_dir)
    return serving.url if serving is not None and serving.command == "serve" and serving.url else SERVE_URL


def login_link(url: str, token: str) -> str:
    """The link that signs a browser in to the dashboard of `clausewatch serve` at ``url``."""
    from urllib.parse import quote

    return f"{url.rstrip('/')}/login?token={quote(token, safe='')}"
