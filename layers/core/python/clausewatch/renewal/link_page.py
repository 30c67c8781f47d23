"""The decision link as a person meets it: a small self-contained HTML page (no script, no external
resource) when a browser opens the link from the email, instead of JSON.

Opening the page decides nothing (mail scanners follow links): it shows the contract, the term,
the notice deadline and the recommendation with its reasons, and one form whose buttons POST the
same link with their decision (``formaction``), the reason typed into the form travelling in the
body: one button per decision the link still takes (after a lapse, or in the final round after a
renegotiation, renew or terminate, the page saying why renegotiating is gone). The POST answers with a page saying what was recorded. Every value is HTML-escaped.
"""

from __future__ import annotations

from html import escape
from typing import Any
from urllib.parse import quote

DECISIONS = (("renew", "Renew"), ("terminate", "Terminate (send notice of non-renewal)"),
             ("renegotiate", "Renegotiate"))
CSP = "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
HEADERS = {"Content-Security-Policy": CSP, "X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer",
           "Cache-Control": "no-store"}

_STYLE = ("body{font:16px/1.5 system-ui,sans-serif;max-width:40rem;margin:2rem auto;padding:0 1rem;color:#1a1a1a}"
          "dt{font-weight:600}dd{margin:0 0 .6rem}textarea{width:100%;min-height:5rem}"
          "button{margin:.3rem .4rem .3rem 0;padding:.5rem .9rem;font-size:1rem}"
          ".recommended{outline:3px solid #2b6cb0}.note{color:#555;font-size:.9rem}")


def _page(title: str, body: str) -> str:
    return (f'<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" '
            f'content="width=device-width, initial-scale=1"><title>{escape(title)}</title>'
            f"<style>{_STYLE}</style></head><body>{body}</body></html>")


def _facts(rows: list[tuple[str, Any]]) -> str:
    return "<dl>" + "".join(f"<dt>{escape(label)}</dt><dd>{escape(str(value))}</dd>"
                            for label, value in rows if value not in (None, "")) + "</dl>"


def link_page(link: dict[str, Any], token: str) -> str:
    """The confirmation page of a decision link (``link``: the API's DecisionLink, as a dict)."""
    name = link.get("title") or link["contract_id"]
    rec = link.get("recommendation") or {}
    suggested = link.get("decision") or rec.get("decision")
    reasons = "".join(f"<li>{escape(r)}</li>" for r in rec.get("reasons") or [])
    offered = link.get("choices") or [value for value, _ in DECISIONS]
    # only the decisions the link still takes (after a lapse: renew or do not renew), why the others went
    buttons = "".join(
        f'<button type="submit" name="decision" value="{value}"'
        f' formaction="?token={quote(token, safe="")}&amp;decision={value}"'
        f'{" class=recommended" if value == suggested else ""}>{escape(label)}</button>'
        for value, label in DECISIONS if value in offered)
    why_not = f'<p class="why-not">{escape(link["why_not"])}</p>' if link.get("why_not") else ""
    body = (f"<h1>Renewal decision: {escape(name)}</h1>"
            + _facts([("Counterparty", link.get("counterparty")), ("Current term ends", link["term_end"]),
                      ("Notice deadline", link.get("notice_deadline")),
                      ("Recommendation", rec.get("decision")), ("Decide by", link.get("decide_by") or rec.get("owner_decides_by"))])
            + (f"<p>Why:</p><ul>{reasons}</ul>" if reasons else "")
            + why_not
            + '<form method="post"><label for="reason">Reason (kept with the decision)</label>'
              '<textarea id="reason" name="reason" maxlength="2000"></textarea>'
            + f"<p>{buttons}</p></form>"
            + f'<p class="note">Opening this page decided nothing. The link works once and expires '
              f'{escape(link["link_expires"])}.</p>')
    return _page(f"Renewal decision: {name}", body)


def decided_page(view: dict[str, Any]) -> str:
    """What a confirmed decision link recorded (``view``: the API's RenewalView, as a dict)."""
    decision = view.get("decision") or {}
    late = (f"yes: after the cut-off {decision.get('cutoff')} (lapsed {str(decision.get('lapsed_at') or '')[:10]}), "
            f"while notice could still be given until {decision.get('notice_open_until')}"
            if view.get("decided_late") else None)
    body = ("<h1>Decision recorded</h1>"
            + _facts([("Contract", view["contract_id"]), ("Term ends", view["term_end"]),
                      ("Decision", decision.get("decision")), ("Reason", decision.get("reason")),
                      ("Recorded by", decision.get("by")), ("At", decision.get("at")), ("Taken late", late),
                      ("State", view.get("state")), ("Outcome", view.get("outcome"))])
            + '<p class="note">The link is used: it cannot decide again.</p>')
    return _page("Decision recorded", body)


def refused_page(status: int, message: str) -> str:
    """A link that cannot decide (used, expired, forged): said in words, not JSON."""
    body = (f"<h1>This decision link cannot be used</h1><p>{escape(message)}</p>"
            f'<p class="note">HTTP {status}. Open the contract in clausewatch to see or make its renewal '
            "decision.</p>")
    return _page("Decision link", body)
