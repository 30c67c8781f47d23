"""The clause finder: which passages of a contract answer each of six questions.

A linear model trained on the clauses attorneys highlighted in CUAD (Agreement Date, Effective
Date, Expiration Date, Renewal Term, Notice Period To Terminate Renewal, Governing Law). It does
not read values: the rule-based readers still parse the value, its anchor and its arithmetic from
the clause; the finder says how much a clause looks like the one that answers the field, which is
the term's ``confidence``, and ``apply_finder`` abstains on a term whose clause scores below the
field's threshold (chosen by cross-validation so wrong values stay at or under 3%).

Inference is plain Python: the shipped parameters (``finder_params.json``: vocabulary with idf,
weights and intercept per field, thresholds) are built by ``make train``
(``python -m clausewatch.finder_train``, scikit-learn, a development dependency only).

Passages: the text is cut into sentences (at ". ", "; " or ":" followed by a capital, a digit or a
bracket, and at blank lines; single line breaks are ignored, so PDF text with a break at every
line and CUAD's plain text cut alike); a sentence longer than ``MAX_PASSAGE`` is cut at spaces.
Features of a passage: the tf-idf of its words and word pairs (numbers folded to "0"), the same
of its neighbours (the passage before and after, prefixed ``ctx:``), and its position in the
document (a tenth, ``pos:k``).
"""

from __future__ import annotations

import json
import math
import re
from collections import Counter
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any

# the term each finder category answers
CATEGORIES = {
    "agreement_date": "Agreement Date",
    "effective_date": "Effective Date",
    "expiration_date": "Expiration Date",
    "renewal_term": "Renewal Term",
    "notice_period": "Notice Period To Terminate Renewal",
    "governing_law": "Governing Law",
}
PARAMS_FILE = Path(__file__).with_name("finder_params.json")
MAX_PASSAGE = 600

_BOUNDARY = re.compile(r"[.;:](?=\s+[\"“(]?[A-Z0-9])|\n[ \t]*\n")
_WORD = re.compile(r"[a-z]+|\d+")


@dataclass(frozen=True)
class Passage:
    start: int
    end: int


def passages(text: str) -> list[Passage]:
    """The sentences of ``text`` as character ranges (whitespace-only ranges left out)."""
    out: list[Passage] = []
    start = 0
    for m in _BOUNDARY.finditer(text):
        _add(text, start, m.end(), out)
        start = m.end()
    _add(text, start, len(text), out)
    return out


def _add(text: str, start: int, end: int, out: list[Passage]) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end - start < 2:
        return
    while end - start > MAX_PASSAGE:
        cut = text.rfind(" ", start + MAX_PASSAGE // 2, start + MAX_PASSAGE)
        cut = cut if cut > start else start + MAX_PASSAGE
        out.append(Passage(start, cut))
        start = cut
        while start < end and text[start].isspace():
            start += 1
    if end > start:
        out.append(Passage(start, end))


def tokens(text: str) -> list[str]:
    """Words and word pairs, lower case, every number folded to "0"."""
    words = ["0" if w.isdigit() else w for w in _WORD.findall(text.lower())]
    return words + [f"{a} {b}" for a, b in zip(words, words[1:])]


def _tfidf(counts: Counter, idf: dict[str, float], prefix: str = "") -> dict[str, float]:
    vec = {prefix + t: (1.0 + math.log(c)) * idf[t] for t, c in counts.items() if t in idf}
    norm = math.sqrt(sum(v * v for v in vec.values()))
    return {k: v / norm for k, v in vec.items()} if norm else {}


def _weighted_tfidf(counts: dict[str, int], idf: dict[str, float],
                    weighted: dict[str, tuple[float, ...]]) -> list[tuple[float, tuple[float, ...]]]:
    """The tf-idf values (as ``_tfidf`` computes them, normed) of the tokens some category weighs,
    each with its weights, in ``_tfidf``'s order; ``counts`` holds only tokens that have an idf."""
    log = _LOG
    values = [(t, (1.0 + (log[c] if c < _LOGGED else math.log(c))) * idf[t]) for t, c in counts.items()]
    norm = math.sqrt(sum([v * v for _, v in values]))
    if not norm:
        return []
    return [(v / norm, weighted[t]) for t, v in values if t in weighted]


_LOGGED = 256
_LOG = [0.0] + [math.log(c) for c in range(1, _LOGGED)]  # the same floats math.log gives


def features(text: str, spans: list[Passage], idf: dict[str, float]) -> list[dict[str, float]]:
    """The feature vector (feature name -> value) of each passage."""
    counts = [Counter(tokens(text[p.start:p.end])) for p in spans]
    own = [_tfidf(c, idf) for c in counts]
    out = []
    n = len(spans)
    for i in range(n):
        around: Counter = Counter()
        if i > 0:
            around.update(counts[i - 1])
        if i + 1 < n:
            around.update(counts[i + 1])
        vec = dict(own[i])
        vec.update(_tfidf(around, idf, "ctx:"))
        vec[f"pos:{min(9, int(10 * i / n))}"] = 1.0
        out.append(vec)
    return out


@dataclass(frozen=True)
class Finder:
    """Fitted parameters: idf per token, and per category the weights, intercept and threshold."""
    idf: dict[str, float]
    weights: dict[str, dict[str, float]]
    intercepts: dict[str, float]
    thresholds: dict[str, float]
    # the fewest passages of a contract it was fitted on: a shorter text (a fragment, a test
    # snippet) is outside what its scores were calibrated on, and the finder leaves it alone
    min_passages: int = 0

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Finder:
        return cls(idf=data["idf"], weights=data["weights"], intercepts=data["intercepts"],
                   thresholds=data.get("thresholds") or {}, min_passages=int(data.get("min_passages") or 0))

    def scores(self, text: str) -> tuple[list[Passage], dict[str, list[float]]]:
        """Every passage, and per category each passage's probability of being the answer clause.

        The same numbers as the sigmoid of each category's intercept plus its weights dotted with
        ``features()`` (`reference_scores`), bit for bit: the same products, added in the same
        order. But the features are not built: a passage's tf-idf values are computed once, only
        the tokens some category weighs are multiplied (about 900 of the 6,000 possible features),
        and all categories at once."""
        spans = passages(text)
        fields = list(self.weights)
        own_weights, ctx_weights, pos_weights = self._weights_by_token
        idf = self.idf
        # tokens without an idf have no feature: left out at once (most word pairs)
        counts = [Counter([t for t in tokens(text[p.start:p.end]) if t in idf]) for p in spans]
        own = [_weighted_tfidf(c, idf, own_weights) for c in counts]
        columns: list[list[float]] = [[] for _ in fields]
        n, k = len(spans), len(fields)
        for i in range(n):
            # the neighbours' counts in Counter.update's order: the one before's tokens, then the
            # one after's new ones; a token in both counted twice
            before = counts[i - 1] if i > 0 else {}
            after = counts[i + 1] if i + 1 < n else {}
            around = {**before, **after}
            for t in before.keys() & after.keys():
                around[t] = before[t] + after[t]
            weighted = own[i] + _weighted_tfidf(around, idf, ctx_weights)
            position = pos_weights.get(min(9, int(10 * i / n)))
            if position:
                weighted.append((1.0, position))
            # every entry's products, a category's every k-th; each summed with sum() in the
            # features' order, as the reference does (Python's float sum is compensated)
            products = [value * w for value, weights in weighted for w in weights]
            for j, field in enumerate(fields):
                columns[j].append(_sigmoid(self.intercepts[field] + sum(products[j::k])))
        return spans, dict(zip(fields, columns))

    def reference_scores(self, text: str) -> dict[str, list[float]]:
        """``scores``' probabilities computed from ``features()`` as training sees them (slow; for
        tests)."""
        vecs = features(text, passages(text), self.idf)
        return {field: [_sigmoid(self.intercepts[field] + sum(v * w.get(k, 0.0) for k, v in vec.items()))
                        for vec in vecs]
                for field, w in self.weights.items()}

    @cached_property
    def _weights_by_token(self) -> tuple[dict, dict, dict]:
        """Each weighed feature's weights in all categories (0.0 where one does not weigh it): a
        passage's own tokens, its neighbours' tokens (``ctx:`` removed), its tenth (``pos:k``)."""
        fields = list(self.weights)
        names = {name for weights in self.weights.values() for name, w in weights.items() if w}
        own: dict[str, tuple[float, ...]] = {}
        ctx: dict[str, tuple[float, ...]] = {}
        pos: dict[int, tuple[float, ...]] = {}
        for name in names:
            row = tuple(self.weights[f].get(name, 0.0) for f in fields)
            if name.startswith("pos:"):
                pos[int(name[4:])] = row
            elif name.startswith("ctx:"):
                ctx[name[4:]] = row
            else:
                own[name] = row
        return own, ctx, pos


def _sigmoid(x: float) -> float:
    if x >= 0:
        return 1.0 / (1.0 + math.exp(-x))
    e = math.exp(x)
    return e / (1.0 + e)


@lru_cache(maxsize=1)
def load_finder() -> Finder | None:
    """The shipped finder, or None when its parameter file is absent (the readers then run alone)."""
    if not PARAMS_FILE.is_file():
        return None
    return Finder.from_dict(json.loads(PARAMS_FILE.read_text(encoding="utf-8")))


def clause_score(spans: list[Passage], probs: list[float], start: int, end: int) -> float | None:
    """The highest probability among the passages a clause [start, end) overlaps (None: none).
    (Taking the passages either side as well was tried: on the tuning part's cross-validation it
    keeps 41 fewer correct agreement dates at the same wrong rate.)"""
    best = None
    for p, prob in zip(spans, probs):
        if p.end > start and p.start < end:
            best = prob if best is None else max(best, prob)
    return best


# terms computed from a gated term: dropped with it
_DEPENDENTS = {"expiration_date": ("notice_deadline",), "notice_period": ("notice_deadline",)}


def gate_terms(spans: list[Passage], scores: dict[str, list[float]], page_starts: list[int], terms: dict,
               finder: Finder) -> dict[str, str]:
    """Score the clause of each of the six terms with the finder: the score becomes the term's
    ``confidence`` (the lower of it and the reader's own); a term whose clause scores below its
    field's threshold is dropped (with the terms computed from it). Returns what was dropped and
    why (field -> reason)."""
    from dataclasses import replace

    dropped: dict[str, str] = {}
    for field in CATEGORIES:
        term = terms.get(field)
        if term is None or term.evidence is None or field not in scores:
            continue
        ev = term.evidence
        start = page_starts[ev.page - 1] + ev.start
        end = max(start + 1, page_starts[ev.page - 1] + ev.end)
        score = round(clause_score(spans, scores[field], start, end) or 0.0, 3)
        threshold = finder.thresholds.get(field, 0.0)
        if score < threshold:
            dropped[field] = f"clause finder score {score} below the threshold {threshold}"
            terms[field] = None
            for dependent in _DEPENDENTS.get(field, ()):
                if terms.get(dependent) is not None:
                    terms[dependent] = None
                    dropped[dependent] = f"computed from {field}, which was dropped"
        else:
            own = term.confidence
            terms[field] = replace(term, confidence=score if own is None else min(own, score))
    return dropped


# --- reading a value from the clause the finder ranks first (when the readers abstained) ----------
# Each field's value is parsed by the readers' own building blocks (dates, durations, jurisdiction
# names), and only when the clause holds exactly one candidate: an ambiguous clause is left alone.
FILLABLE = ("agreement_date", "effective_date", "renewal_term", "notice_period", "governing_law")
_RENEW = re.compile(r"\brenew", re.IGNORECASE)
_NOTICE = re.compile(r"\bnotice|\bnotif|\bin\s+writing", re.IGNORECASE)


def value_from_clause(field: str, text: str, date_order: str = "US") -> tuple[Any, str] | None:
    """The one value of ``field`` written in the clause ``text`` and how it was read, or None
    when there is none or more than one."""
    from .datetext import find_dates
    from .jurisdictions import JURISDICTION_RE, canonical
    from .numbers import DURATION_RE, duration_of

    if field in ("agreement_date", "effective_date"):
        found = {d.value.isoformat() for d in find_dates(text, date_order=date_order)}
        return (found.pop(), "the only date in the clause") if len(found) == 1 else None
    if field == "governing_law":
        names = {canonical(m.group("name")) for m in JURISDICTION_RE.finditer(text)}
        return (names.pop(), "the only jurisdiction named in the clause") if len(names) == 1 else None
    if field == "renewal_term":
        # the renewal reader's own rules on the clause alone (a renewal word before the period,
        # not a notice period; "one further year"; "from year to year")
        from .renewal import renewal_period_in_clause

        period = renewal_period_in_clause(text)
        return (period.iso(), "the renewal period of the clause") if period is not None else None
    if field == "notice_period":
        from .renewal import is_notice_duration

        if not _NOTICE.search(text):
            return None
        found_durations = set()
        for m in DURATION_RE.finditer(text):
            # "ninety (90) days prior", "sixty days' written notice", "notice ... of not less than
            # six (6) months": the readers' own test
            if not is_notice_duration(text, m.start(), m.end()):
                continue
            d = duration_of(m)
            if d is not None:
                found_durations.add(d.iso())
        if len(found_durations) == 1:
            return found_durations.pop(), "the only notice period in the clause"
    return None


def fill_from_finder(doc_text: str, terms: dict, make_term, spans: list[Passage],
                     scores: dict[str, list[float]], finder: Finder, date_order: str = "US") -> list[str]:
    """For each fillable field the readers left empty: the clause the finder ranks first, when it
    scores at least the field's ``fill`` threshold and holds exactly one value, gives the value
    (evidence: that clause; derivation: its score and how the value was read). ``make_term(value,
    (start, end), derivation, confidence)`` builds the term. Returns the fields filled."""
    filled = []
    for field in FILLABLE:
        threshold = finder.thresholds.get(f"{field}:fill")
        if terms.get(field) is not None or threshold is None or field not in scores or not spans:
            continue
        probs = scores[field]
        best = max(range(len(spans)), key=lambda i: probs[i])
        if probs[best] < threshold:
            continue
        span = spans[best]
        read = value_from_clause(field, doc_text[span.start:span.end], date_order)
        if read is None:
            continue
        value, how = read
        score = round(probs[best], 3)
        terms[field] = make_term(value, (span.start, span.end),
                                 f"clause finder: the clause most like a {field} clause (score {score}); {how}",
                                 score)
        filled.append(field)
    return filled


def expiration_from_clause(ctx: Any, start: int, end: int) -> tuple[Any, Any] | None:
    """The term reader run on one clause the finder chose, [start, end) of ``ctx.doc.text``:
    (expiration_date, initial_term) when it computes an expiration date from it (with the
    reader's own arithmetic, anchors and abstentions: a term from an event gives none), else
    None. ``ctx.terms`` is left as it was."""
    from .document import Span
    from .term import read_term_clause

    saved = dict(ctx.terms)
    try:
        read_term_clause(ctx, Span(start, end))
        expiration, initial = ctx.terms.get("expiration_date"), ctx.terms.get("initial_term")
    finally:
        ctx.terms.clear()
        ctx.terms.update(saved)
    if expiration is None or expiration is saved.get("expiration_date"):
        return None
    return expiration, initial
