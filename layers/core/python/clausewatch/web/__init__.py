"""The web dashboard's static files (``static/``: plain HTML, small ES modules, one stylesheet and
the vendored pdf.js), and how they are served: content types, the security headers (a strict CSP:
scripts from the page's own origin only, no inline script or style) and safe path resolution.

The pages call the API with ``fetch`` on the same origin: the web layer has no data path of its
own. Locally ``clausewatch serve`` serves them under ``/app/`` (``clausewatch.local.web``);
deployed they are copied to an S3 bucket behind CloudFront (``infra/components/web.py``), which
sends the same headers.
"""

from __future__ import annotations

from pathlib import Path, PurePosixPath

STATIC_DIR = Path(__file__).parent / "static"
APP_PREFIX = "/app/"
LANDING = APP_PREFIX + "renewals.html"
PAGES = ("renewals.html", "obligations.html", "money.html", "contract.html", "upload.html", "attention.html")

CONTENT_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".mjs": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".json": "application/json",
    ".svg": "image/svg+xml",
    ".md": "text/plain; charset=utf-8",
    "": "text/plain; charset=utf-8",  # LICENSE
}

# no inline script or style anywhere; pdf.js runs its worker from this origin and paints into
# canvases (blob: for its images); connect-src 'self' is the API on the same origin. The S3 POST of
# an upload goes to the bucket's own origin (form-action/connect to it is allowed by UPLOAD_ORIGINS).
CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "
       "font-src 'self' data:; worker-src 'self' blob:; connect-src 'self'{upload}; object-src 'none'; "
       "base-uri 'none'; frame-ancestors 'none'; form-action 'self'")


def security_headers(upload_origins: tuple[str, ...] = ()) -> dict[str, str]:
    """The headers every page and asset is sent with."""
    upload = "".join(f" {origin}" for origin in upload_origins)
    return {
        "Content-Security-Policy": CSP.format(upload=upload),
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "no-referrer",
        "X-Frame-Options": "DENY",
        "Cross-Origin-Opener-Policy": "same-origin",
        "Cache-Control": "no-cache",
    }


def content_type(name: str) -> str:
    return CONTENT_TYPES.get(PurePosixPath(name).suffix, "application/octet-stream")


def asset(relative: str) -> tuple[bytes, str] | None:
    """The bytes and content type of ``static/<relative>``; None for anything outside ``static/``
    (``..``, absolute paths, hidden files) or missing."""
    parts = PurePosixPath(relative).parts
    if not parts or any(p in ("..", ".") or p.startswith(".") or "\\" in p for p in parts):
        return None
    path = STATIC_DIR.joinpath(*parts)
    try:
        path.resolve().relative_to(STATIC_DIR.resolve())
    except ValueError:
        return None
    if not path.is_file():
        return None
    return path.read_bytes(), content_type(path.name)


def files() -> list[str]:
    """Every static file, relative to ``static/`` (what the deployment copies)."""
    return sorted(str(p.relative_to(STATIC_DIR)) for p in STATIC_DIR.rglob("*") if p.is_file())
