"""The web dashboard on `clausewatch serve`: the static pages under ``/app/`` with their security
headers, and the local sign-in.

``GET /login?token=<token from clausewatch token create>`` checks the token exactly as an API
request's bearer token is checked, sets it as an ``HttpOnly; SameSite=Strict`` cookie and redirects
to the renewals page; the local API Gateway (``server.claims_of``) then accepts that cookie as the
bearer token when a request has no ``Authorization`` header, with the same validation. The pages
themselves only call the API: this module serves files and the cookie, never data.
"""

from __future__ import annotations

import html
import json
import time
from collections.abc import Mapping
from http.cookies import CookieError, SimpleCookie
from urllib.parse import parse_qsl, urlsplit

from .. import web

COOKIE = "clausewatch_session"
LOGIN_PATH, LOGOUT_PATH = "/login", "/logout"

Answer = tuple[int, list[tuple[str, str]], bytes]


def cookie_token(headers: Mapping[str, str]) -> str | None:
    """The session cookie's token, if the request carries one."""
    raw = "; ".join(v for k, v in headers.items() if k.lower() == "cookie")
    if not raw:
        return None
    try:
        jar: SimpleCookie = SimpleCookie(raw)
    except CookieError:
        return None
    morsel = jar.get(COOKIE)
    return morsel.value.strip() or None if morsel else None


def is_web_path(path: str) -> bool:
    return path in ("/", LOGIN_PATH, LOGOUT_PATH) or path.startswith(web.APP_PREFIX) or path == "/app"


class WebApp:
    """Answers the dashboard's paths (None for every other path: the API's)."""

    def __init__(self, verify, *, upload_origins: tuple[str, ...] = ()):
        self.verify = verify  # token -> claims, raises on a bad one (the API's own check)
        self.upload_origins = upload_origins

    def answer(self, method: str, target: str, headers: Mapping[str, str]) -> Answer | None:
        split = urlsplit(target)
        path = split.path or "/"
        if not is_web_path(path):
            return None
        if method not in ("GET", "HEAD"):
            return self._page(405, "Method not allowed", "The dashboard's pages are read with GET.",
                              extra=[("Allow", "GET, HEAD")])
        if path in ("/", "/app", web.APP_PREFIX):
            return self._redirect(web.LANDING)
        if path == LOGIN_PATH:
            return self._login(dict(parse_qsl(split.query)).get("token", ""))
        if path == LOGOUT_PATH:
            return self._redirect(web.APP_PREFIX + "signed-out.html",
                                  cookie=f"{COOKIE}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0")
        found = web.asset(path[len(web.APP_PREFIX):])
        if found is None:
            return self._page(404, "Not found", "There is no such page.")
        data, content_type = found
        return 200, [("Content-Type", content_type), *self._headers()], data

    def _headers(self) -> list[tuple[str, str]]:
        return list(web.security_headers(self.upload_origins).items())

    def _login(self, token: str) -> Answer:
        try:
            self.verify(token.strip())
        except Exception as exc:  # the same check as an API request's: any failure is "not signed in"
            return self._page(401, "Not signed in",
                              f"This sign-in link is not valid ({exc}). Create a new one with "
                              "`clausewatch token create --team TEAM --user EMAIL`.")
        max_age = _seconds_left(token)
        cookie = f"{COOKIE}={token.strip()}; Path=/; HttpOnly; SameSite=Strict; Max-Age={max_age}"
        return self._redirect(web.LANDING, cookie=cookie)

    def _redirect(self, location: str, *, cookie: str | None = None) -> Answer:
        headers = [("Location", location), *self._headers()]
        if cookie:
            headers.append(("Set-Cookie", cookie))
        return 303, headers, b""

    def _page(self, status: int, title: str, text: str, extra: list[tuple[str, str]] | None = None) -> Answer:
        body = (f"<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{html.escape(title)}"
                f" - clausewatch</title><link rel=\"stylesheet\" href=\"{web.APP_PREFIX}style.css\"></head>"
                f"<body><main><h1>{html.escape(title)}</h1><p>{html.escape(text)}</p></main></body></html>")
        return status, [("Content-Type", "text/html; charset=utf-8"), *self._headers(), *(extra or [])], \
            body.encode()


def _seconds_left(token: str) -> int:
    """The cookie lives as long as the token (whose payload the check above accepted)."""
    from .tokens import _unb64

    try:
        expires = int(json.loads(_unb64(token.strip().split(".")[1]))["exp"])
    except (IndexError, KeyError, TypeError, ValueError):
        return 3600
    return max(1, expires - int(time.time()))
