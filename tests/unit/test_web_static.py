"""The web dashboard's static files and the local sign-in (pure: no server, no AWS): what is served
under /app/ with which headers, what is not served, and how /login turns a token into a cookie
that the local API Gateway accepts as the bearer token."""

from __future__ import annotations

import contextlib
import io
import re
import time
from html.parser import HTMLParser

import pytest

from clausewatch import web
from clausewatch.cli import main
from clausewatch.local import server, tokens
from clausewatch.local.web import COOKIE, WebApp, cookie_token

SECRET = b"s" * 32


def verify(token: str) -> dict[str, str]:
    return tokens.verify(SECRET, token)


def headers_of(answer) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for name, value in answer[1]:
        out.setdefault(name, []).append(value)
    return out


class _Scan(HTMLParser):
    """Every script and stylesheet a page loads, and anything inline."""

    def __init__(self) -> None:
        super().__init__()
        self.scripts: list[str] = []
        self.inline: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "script":
            if attributes.get("src"):
                self.scripts.append(attributes["src"])
            else:
                self.inline.append("<script> without src")
        if tag == "style":
            self.inline.append("<style>")
        if "style" in attributes:
            self.inline.append(f"style= on <{tag}>")
        self.inline.extend(f"{name}= on <{tag}>" for name in attributes if name.startswith("on"))


@pytest.mark.parametrize("page", web.PAGES)
def test_every_page_loads_only_its_own_module_with_nothing_inline(page):
    data, content_type = web.asset(page)
    assert content_type.startswith("text/html")
    scan = _Scan()
    scan.feed(data.decode())
    assert scan.inline == []  # the CSP allows no inline script or style, so the pages have none
    assert scan.scripts == [page.replace(".html", ".js")]
    assert web.asset(scan.scripts[0]) is not None
    assert b'lang="en"' in data and b'id="main"' in data  # language and skip-link target


def test_every_label_names_a_control_on_the_page():
    for page in web.PAGES:
        html = web.asset(page)[0].decode()
        ids = set(re.findall(r'\sid="([^"]+)"', html))
        for target in re.findall(r'<label for="([^"]+)"', html):
            assert target in ids, (page, target)


def test_pdfjs_is_vendored_with_its_licence():
    names = web.files()
    for name in ("vendor/pdfjs/pdf.min.mjs", "vendor/pdfjs/pdf.worker.min.mjs", "vendor/pdfjs/LICENSE"):
        assert name in names
    assert b"Apache License" in web.asset("vendor/pdfjs/LICENSE")[0]
    assert web.content_type("pdf.min.mjs").startswith("text/javascript")


@pytest.mark.parametrize("path", ["../__init__.py", "/etc/passwd", "vendor/../../__init__.py", ".hidden",
                                  "missing.html", "", "vendor", "a\\..\\b"])
def test_nothing_outside_the_static_folder_is_served(path):
    assert web.asset(path) is None


def test_assets_are_served_under_app_with_the_security_headers():
    app = WebApp(verify, upload_origins=("http://127.0.0.1:45678",))
    status, _, body = answer = app.answer("GET", "/app/renewals.html", {})
    assert status == 200 and body.startswith(b"<!doctype html>")
    headers = headers_of(answer)
    csp = headers["Content-Security-Policy"][0]
    assert "script-src 'self';" in csp and "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert "frame-ancestors 'none'" in csp and "connect-src 'self' http://127.0.0.1:45678;" in csp
    assert headers["X-Content-Type-Options"] == ["nosniff"] and headers["X-Frame-Options"] == ["DENY"]
    assert app.answer("GET", "/app/app.js", {})[0] == 200
    assert app.answer("GET", "/app/../pyproject.toml", {})[0] == 404
    assert app.answer("GET", "/app/nothing.html", {})[0] == 404
    assert app.answer("POST", "/app/renewals.html", {})[0] == 405
    # the root and /app go to the landing page; the API's paths are not the web app's
    for path in ("/", "/app", "/app/"):
        status, headers, _ = app.answer("GET", path, {})
        assert status == 303 and ("Location", web.LANDING) in headers
    for path in ("/contracts", "/renewals?within=90", "/health", "/openapi.json", "/application"):
        assert app.answer("GET", path, {}) is None


def test_login_sets_an_httponly_samesite_strict_cookie_and_opens_the_renewals_page():
    token = tokens.issue(SECRET, team="legal", user="omar@example.com", days=2)
    status, headers, _ = WebApp(verify).answer("GET", f"/login?token={token}", {})
    assert status == 303 and ("Location", web.LANDING) in headers
    [cookie] = [v for k, v in headers if k == "Set-Cookie"]
    name_value, *attributes = [part.strip() for part in cookie.split(";")]
    assert name_value == f"{COOKIE}={token}"
    assert {"HttpOnly", "SameSite=Strict", "Path=/"} <= set(attributes)
    max_age = int(next(a for a in attributes if a.startswith("Max-Age=")).split("=")[1])
    assert 2 * 86400 - 60 < max_age <= 2 * 86400  # as long as the token lives


@pytest.mark.parametrize("token", ["", "garbage", "cw1.a.b"])
def test_a_bad_sign_in_link_sets_no_cookie(token):
    status, headers, body = WebApp(verify).answer("GET", f"/login?token={token}", {})
    assert status == 401 and not [k for k, _ in headers if k == "Set-Cookie"]
    assert b"Not signed in" in body


def test_an_expired_or_foreign_token_signs_nobody_in():
    expired = tokens.issue(SECRET, team="legal", user="a@example.com", days=1, now=time.time() - 3 * 86400)
    foreign = tokens.issue(b"another state folder", team="legal", user="a@example.com")
    for token in (expired, foreign):
        assert WebApp(verify).answer("GET", f"/login?token={token}", {})[0] == 401


def test_logout_clears_the_cookie():
    status, headers, _ = WebApp(verify).answer("GET", "/logout", {})
    assert status == 303
    assert any(k == "Set-Cookie" and "Max-Age=0" in v for k, v in headers)


def test_the_cookie_is_the_bearer_token_when_there_is_no_authorization_header():
    token = tokens.issue(SECRET, team="legal", user="omar@example.com", role="editor")
    other = tokens.issue(SECRET, team="finance", user="fi@example.com")
    cookie = {"Cookie": f"theme=dark; {COOKIE}={token}"}
    assert cookie_token(cookie) == token
    assert server.claims_of(cookie, verify)["custom:team"] == "legal"
    # the header, when present, is what counts (the cookie is not a second credential)
    assert server.claims_of({**cookie, "Authorization": f"Bearer {other}"}, verify)["custom:team"] == "finance"
    assert server.claims_of({**cookie, "Authorization": "Bearer bad"}, verify) is None
    # the same validation: a forged or foreign cookie is no claims
    assert server.claims_of({"Cookie": f"{COOKIE}=cw1.forged.x"}, verify) is None
    assert server.claims_of({"Cookie": f"{COOKIE}={tokens.issue(b'other', team='t', user='u@x.io')}"},
                            verify) is None
    assert server.claims_of({"Cookie": "theme=dark"}, verify) is None
    assert cookie_token({"Cookie": "=;;;\x00"}) is None


def test_token_create_prints_the_sign_in_link(tmp_path):
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        assert main(["token", "create", "--team", "legal", "--user", "omar@example.com",
                     "--state", str(tmp_path), "--url", "http://127.0.0.1:8123/"]) == 0
    token = out.getvalue().strip()
    assert f"http://127.0.0.1:8123/login?token={token}" in err.getvalue()
    assert tokens.login_link("http://h:1", "a.b+c") == "http://h:1/login?token=a.b%2Bc"
