"""`clausewatch eval [--corpus DIR] [--limit N] [--json OUT] [--txt]`: measure extraction on CUAD.

Runs the extractor on the CUAD contracts (the PDFs, read through the same local text path as
the product; ``--txt`` reads CUAD's plain-text conversions instead, for debugging only) and
compares six fields with the attorneys' normalised answers.

Outcomes per field and contract:

* ``correct``: our value equals the answer (after the normalisation below);
* ``wrong``: we gave a value and it differs from the answer, or the contract has no answer
  (``""``) and we gave one anyway;
* ``missing``: the contract has an answer and we abstained;
* ``correctly_absent``: no answer and we abstained (or "perpetual" expiration and we gave no date);
* ``unverifiable``: the answer is a date with blanks (``[]/[]/2020``) and our full date agrees
  with every known part: it cannot be confirmed nor refuted. A date with blanks for which we
  abstain is ``missing``; one whose known parts we contradict is ``wrong``.

Dates written with blanks: the extractor reports the parts that are filled in, as ISO 8601
reduced precision ("2004" for "this ___ day of ______, 2004", "2018-03" for "March __, 2018").
Such a value is ``correct`` when the answer has exactly those parts filled in with the same
values, ``wrong`` when a part contradicts the answer, ``missing`` when the answer gives more of
the date than we did, and ``unverifiable`` when we give more than the answer.

``% correct`` = (correct + correctly_absent) / contracts, ``% wrong`` = wrong / contracts. The
JSON also gives ``pct_correct_excluding_blanks`` (the same over the contracts whose answer has no
blanks), ``pct_found_when_answered`` (correct / contracts with an answer) and
``wrong_where_no_answer`` (values we gave where the attorneys wrote none: often a label omission
rather than an extraction error; they still count as wrong).

Normalisation:

* dates: CUAD writes M/D/YYYY (a first number above 12 is a day: "31/01/2025"); expiration dates
  mostly follow the anniversary convention, so the extractor runs with
  ``TermEndConvention.ANNIVERSARY`` here (the product default is the day before); some labels use
  the day before the anniversary instead, so an expiration we computed from a duration also counts
  as correct when it is one day after the answer;
* expiration "perpetual": the right output is no date (``correctly_absent``); a date is wrong;
* durations ("successive 1 year", "12 months", "0.5 year", "4 years, 6 months", "2 successive
  5 years"): words like successive are dropped, each alternative ("; " or " / ") is parsed to
  (months, days) with years = 12 months and weeks = 7 days, and our ISO duration is correct when
  it equals any alternative; renewal "perpetual" is correct when we report an evergreen
  continuation (``auto_renewal`` with ``evergreen``) and no renewal period;
* governing law: lower case, "State/Commonwealth/Province/Republic of", "Federal", "the" and
  country qualifiers (", Canada", "United Kingdom", "U.S.A.") dropped; the answer's alternatives (split at ";") are
  compared with ours ("England and Wales" also matches "England" and "Wales").

Evidence overlap: for a field where we gave a value and the attorneys highlighted spans, does our
quoted clause share text with a highlighted span (one contains the other, or they share a run of
at least 40 characters, letters and digits only)? PDF and txt offsets differ, so text is compared.

The corpus is ``../shared/cuad`` next to the repository (env ``CLAUSEWATCH_CUAD_DIR`` overrides).
Extracted PDF text is cached (by file content) under ``~/.cache/clausewatch/eval-text``
(env ``CLAUSEWATCH_EVAL_CACHE``; ``--no-cache`` to bypass) so a re-run takes seconds.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import sys
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from datetime import date, timedelta
from pathlib import Path

import clausewatch
from clausewatch.extract.context import evidence_text
from clausewatch.extract.datetext import PartialDate

FIELDS = {
    "agreement_date": "Agreement Date",
    "effective_date": "Effective Date",
    "expiration_date": "Expiration Date",
    "renewal_term": "Renewal Term",
    "notice_period": "Notice Period To Terminate Renewal",
    "governing_law": "Governing Law",
}
OUTCOMES = ("correct", "wrong", "missing", "correctly_absent", "unverifiable")

# --- the tuning / validation split ---------------------------------------------------------------
# Fixed once: a contract is in the validation part when the hash of the seed and its id falls in
# the first VALIDATION_SHARE of the range. A function of the id alone, so no list of corpus files is
# kept in the repository, and a contract never changes part when others are added or removed.
# (seed -1 put 138 contracts in validation, too far from the ~110 wanted; -2 puts 111: the seed was
# chosen on those counts alone, before any figure was computed on either part)
SPLIT_SEED = "clausewatch-cuad-split-2"
VALIDATION_SHARE = 0.27  # about 110 of the 410 contracts
PARTS = ("tuning", "validation")


def split_of(contract_id: str, seed: str = SPLIT_SEED) -> str:
    """"tuning" or "validation" for a CUAD contract id: deterministic in (seed, id)."""
    digest = hashlib.sha256(f"{seed}|{contract_id}".encode()).digest()
    fraction = int.from_bytes(digest[:8], "big") / 2**64
    return "validation" if fraction < VALIDATION_SHARE else "tuning"



def default_corpus() -> Path:
    env = os.environ.get("CLAUSEWATCH_CUAD_DIR")
    if env:
        return Path(env)
    return Path(clausewatch.__file__).resolve().parents[4].parent / "shared" / "cuad"


def _cache_dir() -> Path:
    return Path(os.environ.get("CLAUSEWATCH_EVAL_CACHE", Path.home() / ".cache" / "clausewatch" / "eval-text"))


# --- normalising answers ------------------------------------------------------------------------

_BLANK = re.compile(r"^\s*(?:\[\s*\]|_+|)\s*$")


def parse_answer_date(answer: str) -> tuple[int | None, int | None, int | None] | None:
    """CUAD "6/21/1999" -> (1999, 6, 21); blanks are None ("[]/[]/2004" -> (2004, None, None));
    None when the answer is not a date at all."""
    parts = answer.strip().split("/")
    if len(parts) != 3:
        return None
    values: list[int | None] = []
    for p in parts:
        p = p.strip()
        if _BLANK.match(p) or "[" in p or "_" in p:
            m = re.match(r"^(\d\d)\[\s*\]$", p)  # "19[]": a year with a known century only
            values.append(None if not m else -int(m.group(1)))
            continue
        if not p.isdigit():
            return None
        values.append(int(p))
    a, b, y = values
    if y is not None and y >= 0 and y < 100:
        y += 2000 if y < 50 else 1900
    if a is not None and a > 12 and (b is None or b <= 12):
        a, b = b, a  # day first
    return y, a, b


def compare_date(answer: str, ours: str | None, from_duration: bool = False) -> str:
    """``from_duration``: our date ends a term given as a duration (anniversary convention);
    the labels mix conventions, so the day before the anniversary also counts as correct."""
    answer = answer.strip()
    if answer.lower() == "perpetual":
        return "correctly_absent" if ours is None else "wrong"
    if not answer:
        return "correctly_absent" if ours is None else "wrong"
    parsed = parse_answer_date(answer)
    if parsed is None:
        return "missing" if ours is None else "unverifiable"
    if ours is None:
        return "missing"
    year, month, day = parsed
    blank = PartialDate.fromisoformat(ours)
    if blank is not None:  # ours was written with blanks too: "2004" or "2004-06"
        return _compare_blank_date(parsed, blank)
    got = date.fromisoformat(ours)
    if year is not None and year >= 0 and month is not None and day is not None:
        if (got.year, got.month, got.day) == (year, month, day):
            return "correct"
        if from_duration and (got - timedelta(days=1)) == date(year, month, day):
            return "correct"
        return "wrong"
    if year is not None:
        if year < 0 and got.year // 100 != -year:
            return "wrong"
        if year >= 0 and got.year != year:
            return "wrong"
    if month is not None and got.month != month:
        return "wrong"
    if day is not None and got.day != day:
        return "wrong"
    return "unverifiable"


def _compare_blank_date(parsed: tuple[int | None, int | None, int | None], ours: PartialDate) -> str:
    """Our date written with blanks ("2004", "2004-06") against the answer: correct when the same
    parts are filled in with the same values; wrong when a part contradicts; missing when the
    answer fills in more than we did (we did not find the whole date); unverifiable when we fill
    in more than the answer does."""
    our = (ours.year, ours.month, None)
    for theirs, mine in zip(parsed, our):
        if theirs is None or mine is None:
            continue
        if theirs < 0:  # "19[]": only the century is known
            if mine // 100 != -theirs:
                return "wrong"
        elif theirs != mine:
            return "wrong"
    known_theirs = [p is not None and p >= 0 for p in parsed]
    known_ours = [p is not None for p in our]
    if known_theirs == known_ours:
        return "correct"
    if any(t and not o for t, o in zip(known_theirs, known_ours)):
        return "missing"
    return "unverifiable"


_DURATION_PART = re.compile(r"(?P<n>\d+(?:\.\d+)?)\s*(?P<unit>years?|months?|weeks?|days?)", re.IGNORECASE)
_WORDS = {"one": "1", "two": "2", "three": "3", "four": "4", "five": "5", "six": "6", "seven": "7",
          "eight": "8", "nine": "9", "ten": "10", "twelve": "12"}


def answer_durations(answer: str) -> list[tuple[int, int]] | None:
    """Alternatives of a duration answer as (months, days); None when none can be read."""
    text = answer.lower()
    for w, d in _WORDS.items():
        text = re.sub(rf"\b{w}\b", d, text)
    text = re.sub(r"\b\d+\s*\(\s*(\d+)\s*\)", r"\1", text)  # "3 (3) years" -> "3 years"
    text = re.sub(r"\(\s*(\d+)\s*\)", r"\1", text)  # "(6) months" -> "6 months"
    out: list[tuple[int, int]] = []
    for alternative in re.split(r";|/|\bor\b", text):
        months = days = 0
        seen = False
        for m in _DURATION_PART.finditer(alternative):
            n, unit = float(m.group("n")), m.group("unit")
            seen = True
            if unit.startswith("year"):
                months += round(n * 12)
            elif unit.startswith("month"):
                months += round(n)
            elif unit.startswith("week"):
                days += round(n * 7)
            else:
                days += round(n)
        if seen:
            out.append((months, days))
    return out or None


def duration_key(iso: str) -> tuple[int, int] | None:
    from clausewatch.dates import Duration

    try:
        d = Duration.parse(iso)
    except ValueError:
        return None
    if d.business_days:
        return None
    return d.years * 12 + d.months, d.weeks * 7 + d.days


def compare_duration(answer: str, ours: str | None, evergreen: bool = False) -> str:
    answer = answer.strip()
    if not answer:
        return "correctly_absent" if ours is None else "wrong"
    if answer.lower() == "perpetual":
        if ours is None:
            return "correct" if evergreen else "missing"
        return "wrong"
    options = answer_durations(answer)
    if options is None:
        return "missing" if ours is None else "unverifiable"
    if ours is None:
        return "missing"
    return "correct" if duration_key(ours) in options else "wrong"


_LAW_DROP = re.compile(
    r"\b(?:the|state|commonwealth|province|republic|federal|of|laws?|u\.?s\.?a?\.?|usa|"
    r"united\s+states(?:\s+of\s+america)?|"
    r"canada|united\s+kingdom|uk|australia)\b|[^a-z' ]", re.IGNORECASE)


def _law_names(text: str) -> set[str]:
    names = set()
    for part in re.split(r";|,|\band\b", text):
        key = " ".join(_LAW_DROP.sub(" ", part.lower()).split())
        if key:
            names.add(key)
    return names


def compare_law(answer: str, ours: str | None) -> str:
    answer = answer.strip()
    if not answer:
        return "correctly_absent" if ours is None else "wrong"
    if answer in ("[]",):
        return "missing" if ours is None else "unverifiable"
    if ours is None:
        return "missing"
    theirs, mine = _law_names(answer), _law_names(ours)
    if not mine:
        # "United States" on its own: keep the country name
        mine = {" ".join(ours.lower().split())}
        theirs = theirs | {" ".join(answer.lower().split())}
    return "correct" if mine & theirs else "wrong"


# --- evidence overlap ----------------------------------------------------------------------------

def _letters(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", text.lower())


def evidence_overlaps(evidence: str, spans: list[str], run: int = 40) -> bool:
    ours = _letters(evidence)
    if not ours:
        return False
    for span in spans:
        theirs = _letters(span)
        if not theirs:
            continue
        if theirs in ours or ours in theirs:
            return True
        shorter, longer = (ours, theirs) if len(ours) < len(theirs) else (theirs, ours)
        need = min(run, len(shorter))
        for i in range(0, len(shorter) - need + 1, max(1, need // 4)):
            if shorter[i:i + need] in longer:
                return True
    return False


# --- running the corpus --------------------------------------------------------------------------

# bump when clausewatch.text.local changes what it extracts, so cached text is not reused
# (2: PDFium with real geometry replaced pypdf's layout mode)
_TEXT_VERSION = 2


def _pages_for(path: Path, use_cache: bool) -> list[str]:
    if path.suffix == ".txt":
        return [path.read_text(encoding="utf-8", errors="replace")]
    data = path.read_bytes()
    # keyed by content (a copied or re-mounted corpus keeps its cache) and by the text extractor's version
    key = hashlib.sha256(data + f"|{_TEXT_VERSION}".encode()).hexdigest()[:24]
    cache = _cache_dir() / f"{key}.json"
    if use_cache and cache.is_file():
        try:
            return json.loads(cache.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            pass
    from clausewatch.text.local import document_from_pdf

    pages = document_from_pdf(data).page_texts
    if use_cache:
        try:
            cache.parent.mkdir(parents=True, exist_ok=True)
            tmp = cache.with_suffix(".tmp")
            tmp.write_text(json.dumps(pages), encoding="utf-8")
            tmp.replace(cache)
        except OSError:
            pass
    return pages


def evaluate_contract(row: dict, corpus: Path, use_txt: bool, use_cache: bool, apply_finder: bool = True) -> dict:
    """Extract one contract and compare each field; never raises (errors are reported)."""
    from clausewatch.dates import TermEndConvention
    from clausewatch.extract import ExtractOptions, extract_contract

    path = corpus / (row["text"] if use_txt else row["pdf"])
    started = time.perf_counter()
    out: dict = {"id": row["id"], "fields": {}}
    try:
        pages = _pages_for(path, use_cache)
        result = extract_contract(pages, source=path.name,
                                  options=ExtractOptions(term_end_convention=TermEndConvention.ANNIVERSARY,
                                                         clause_finder=apply_finder))
    except Exception as exc:  # an unreadable file is a finding, not a crash
        out["error"] = f"{type(exc).__name__}: {exc}"
        pages, result = [], None
    for field, category in FIELDS.items():
        answer = row["answers"].get(category, "") or ""
        term = None if result is None else result.terms.get(field)
        ours = None if term is None else term.value
        if field in ("agreement_date", "effective_date", "expiration_date"):
            from_duration = bool(term is not None and term.derivation and " + P" in term.derivation)
            outcome = compare_date(answer, ours, from_duration)
        elif field == "renewal_term":
            auto = None if result is None else result.terms.get("auto_renewal")
            evergreen = bool(auto is not None and auto.extra.get("evergreen"))
            outcome = compare_duration(answer, ours, evergreen)
        elif field == "notice_period":
            outcome = compare_duration(answer, ours)
        else:
            outcome = compare_law(answer, ours)
        spans = row["labels"].get(category) or []
        overlap = None
        if term is not None and spans:
            overlap = evidence_overlaps(evidence_text(term), spans)
        at = None
        if term is not None and term.evidence is not None and 0 < term.evidence.page <= len(pages):
            base = sum(len(p) + 1 for p in pages[:term.evidence.page - 1])  # Document's global offsets
            at = [base + term.evidence.start, base + term.evidence.end]
        out["fields"][field] = {"answer": answer, "ours": ours, "outcome": outcome, "evidence_overlap": overlap,
                                "evidence": None if term is None else evidence_text(term)[:300],
                                "evidence_at": at, "confidence": None if term is None else term.confidence}
    out["parties"] = compare_parties(row["labels"].get("Parties") or [],
                                     [] if result is None else [p.name for p in result.parties])
    out["seconds"] = round(time.perf_counter() - started, 3)
    out["pages"] = len(pages)
    return out


def compare_parties(highlights: list[str], ours: list[str]) -> dict:
    """Parties are not one of the six scored fields (CUAD highlights names, roles and nicknames
    alike): what is reported is whether we found any, and whether each name we found is one the
    attorneys highlighted (letters and digits compared, one containing the other)."""
    labels = [_letters(h) for h in highlights if len(_letters(h)) > 3]
    matched = sum(1 for name in ours if any(_letters(name) in label or label in _letters(name) for label in labels))
    return {"found": len(ours), "matched": matched}


def _evaluate_star(args: tuple) -> dict:
    return evaluate_contract(*args)


def _is_partial(answer: str) -> bool:
    return "[" in answer or "_" in answer


def summarise(results: list[dict]) -> dict:
    total = len(results)
    fields = {}
    for field in FIELDS:
        counts = {o: 0 for o in OUTCOMES}
        overlaps = checked = 0
        for r in results:
            f = r["fields"][field]
            counts[f["outcome"]] += 1
            if f["evidence_overlap"] is not None:
                checked += 1
                overlaps += bool(f["evidence_overlap"])
        # contracts where the attorneys wrote an answer we could produce (not blank, not "perpetual")
        with_answer = sum(1 for r in results if r["fields"][field]["answer"].strip()
                          and r["fields"][field]["answer"].strip().lower() != "perpetual")
        # answers with blanks ("[]/[]/2020"): figures without them as well
        partial = sum(1 for r in results if _is_partial(r["fields"][field]["answer"]))
        scorable = total - partial
        wrong_unlabelled = sum(1 for r in results if r["fields"][field]["outcome"] == "wrong"
                               and not r["fields"][field]["answer"].strip())
        fields[field] = {
            **counts,
            "answers_with_blanks": partial,
            "pct_correct_excluding_blanks": round(
                100 * sum(1 for r in results if not _is_partial(r["fields"][field]["answer"])
                          and r["fields"][field]["outcome"] in ("correct", "correctly_absent")) / scorable, 1)
            if scorable else 0.0,
            "wrong_where_no_answer": wrong_unlabelled,
            "pct_correct": round(100 * (counts["correct"] + counts["correctly_absent"]) / total, 1) if total else 0.0,
            "pct_wrong": round(100 * counts["wrong"] / total, 1) if total else 0.0,
            "pct_found_when_answered": round(100 * counts["correct"] / with_answer, 1) if with_answer else 0.0,
            "evidence_overlap": overlaps,
            "evidence_checked": checked,
            "pct_evidence_overlap": round(100 * overlaps / checked, 1) if checked else None,
        }
    parties = [r.get("parties") or {"found": 0, "matched": 0} for r in results]
    return {"contracts": total, "errors": sum(1 for r in results if r.get("error")), "fields": fields,
            "parties": {"contracts_with_parties": sum(1 for p in parties if p["found"]),
                        "contracts_with_two_or_more": sum(1 for p in parties if p["found"] >= 2),
                        "contracts_where_every_name_is_highlighted": sum(
                            1 for p in parties if p["found"] and p["matched"] == p["found"])}}


def answer_kind(field: str, answer: str) -> str:
    """How the headline counts a contract for a field: "value" (the attorneys' answer is a full
    value we can be scored against: a date with no blank part, a readable duration, "perpetual"
    renewal, a jurisdiction), "none" (no answer, or a "perpetual" expiration: the right output
    is no value, and any value is a false one) or "unjudged" (dates with blanks, unreadable)."""
    answer = answer.strip()
    if not answer:
        return "none"
    if answer.lower() == "perpetual":
        return "none" if field == "expiration_date" else "value"
    if field in ("agreement_date", "effective_date", "expiration_date"):
        parsed = parse_answer_date(answer)
        full = parsed is not None and all(p is not None and p >= 0 for p in parsed)
        return "value" if full else "unjudged"
    if field in ("renewal_term", "notice_period"):
        return "value" if answer_durations(answer) else "unjudged"
    return "unjudged" if answer == "[]" else "value"


def wilson_interval(k: int, n: int, z: float = 1.96) -> tuple[float, float] | None:
    """The Wilson score interval (95% with the default z) of a proportion k/n: where the share on
    the next contracts of the same kind is likely to be. With the validation part's small n (22
    notice periods: one contract is 0.045) a figure alone overstates what it says; the interval
    says how far it may be from the share on contracts nobody has seen."""
    if n <= 0:
        return None
    p = k / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z / (1 + z * z / n) * ((p * (1 - p) / n + z * z / (4 * n * n)) ** 0.5)
    return max(0.0, centre - half), min(1.0, centre + half)


def _rounded(interval: tuple[float, float] | None, places: int = 3) -> list[float] | None:
    return None if interval is None else [round(interval[0], places), round(interval[1], places)]


def headline(results: list[dict]) -> dict:
    """The headline figures (issue #15): per field, among the contracts whose answer is a full
    value, n, correct, wrong and missing, with accuracy = correct / n; among those with no answer,
    how many we gave a value for anyway (false values). ``mean_accuracy`` is the mean of the six
    accuracies; ``wrong_rate`` = (wrong + false values) / (n + contracts with no answer), all six
    fields together."""
    fields: dict[str, dict] = {}
    wrong_all = judged_all = 0
    for field in FIELDS:
        n = correct = wrong = missing = none = false_values = 0
        for r in results:
            f = r["fields"][field]
            kind = answer_kind(field, f["answer"])
            if kind == "value":
                n += 1
                correct += f["outcome"] == "correct"
                wrong += f["outcome"] in ("wrong", "unverifiable")
                missing += f["outcome"] == "missing"
            elif kind == "none":
                none += 1
                false_values += f["outcome"] == "wrong"
        fields[field] = {"n": n, "correct": correct, "wrong": wrong, "missing": missing,
                         "accuracy": round(correct / n, 3) if n else None,
                         "accuracy_interval": _rounded(wilson_interval(correct, n)),
                         "no_answer": none, "false_values": false_values,
                         "false_value_rate": round(false_values / none, 3) if none else None}
        wrong_all += wrong + false_values
        judged_all += n + none
    accuracies = [f["correct"] / f["n"] for f in fields.values() if f["n"]]
    return {"contracts": len(results), "fields": fields,
            "mean_accuracy": round(sum(accuracies) / len(accuracies), 3) if accuracies else None,
            "wrong_values": wrong_all, "judged": judged_all,
            "wrong_rate": round(wrong_all / judged_all, 4) if judged_all else None,
            "wrong_rate_interval": _rounded(wilson_interval(wrong_all, judged_all), 4)}


def format_headline(head: dict, title: str) -> str:
    lines = [f"{title}: {head['contracts']} contracts",
             f"{'field':<17}{'n':>5}{'correct':>9}{'wrong':>7}{'missing':>9}{'accuracy':>10}"
             f"{'95% interval':>14}{'no answer':>11}{'false':>7}{'false %':>9}"]
    lines.append("-" * len(lines[1]))
    for field, f in head["fields"].items():
        acc = "-" if f["accuracy"] is None else f"{f['accuracy']:.2f}"
        rate = "-" if f["false_value_rate"] is None else f"{100 * f['false_value_rate']:.1f}"
        interval = f.get("accuracy_interval")
        span = "-" if interval is None else f"{interval[0]:.2f}-{interval[1]:.2f}"
        lines.append(f"{field:<17}{f['n']:>5}{f['correct']:>9}{f['wrong']:>7}{f['missing']:>9}{acc:>10}"
                     f"{span:>14}{f['no_answer']:>11}{f['false_values']:>7}{rate:>9}")
    mean = "-" if head["mean_accuracy"] is None else f"{head['mean_accuracy']:.3f}"
    rate = "-" if head["wrong_rate"] is None else f"{100 * head['wrong_rate']:.1f}%"
    wrong_interval = head.get("wrong_rate_interval")
    if wrong_interval is not None:
        rate += f" (95% interval {100 * wrong_interval[0]:.1f}-{100 * wrong_interval[1]:.1f}%)"
    lines.append(f"mean of the six: {mean}; wrong values / all judged: {head['wrong_values']}/{head['judged']} = {rate}")
    return "\n".join(lines)


def format_failures(results: list[dict]) -> str:
    """Per-contract detail (tuning part only): each field that was wrong or missing."""
    lines = []
    for r in results:
        for field, f in r["fields"].items():
            if f["outcome"] in ("wrong", "missing"):
                evidence = " ".join((f.get("evidence") or "").split())[:120]
                lines.append(f"  {r['id'][:60]:<60} {field:<16} {f['outcome']:<8} answer={f['answer']!r:<24} "
                             f"ours={f['ours']!r}  {evidence}")
    return "\n".join(lines)


def format_table(summary: dict) -> str:
    head = (f"{'field':<17}{'correct':>8}{'wrong':>7}{'missing':>8}{'absent':>8}{'unverif':>8}"
            f"{'%correct':>10}{'%wrong':>8}{'%overlap':>10}{'%corr-nb':>10}")
    lines = [head, "-" * len(head)]
    for field, s in summary["fields"].items():
        overlap = "-" if s["pct_evidence_overlap"] is None else f"{s['pct_evidence_overlap']:.1f}"
        lines.append(f"{field:<17}{s['correct']:>8}{s['wrong']:>7}{s['missing']:>8}{s['correctly_absent']:>8}"
                     f"{s['unverifiable']:>8}{s['pct_correct']:>10.1f}{s['pct_wrong']:>8.1f}{overlap:>10}"
                     f"{s['pct_correct_excluding_blanks']:>10.1f}")
    lines.append("%correct = (correct + absent) / contracts; %wrong = wrong / contracts; %overlap = our clause "
                 "shares text with the\nattorneys' highlight; %corr-nb = %correct leaving out answers with blanks "
                 "([]/[]/2020).")
    p = summary.get("parties")
    if p:
        lines.append(f"parties (not scored): found in {p['contracts_with_parties']} of {summary['contracts']} "
                     f"contracts ({p['contracts_with_two_or_more']} with two or more); every name found is one "
                     f"the attorneys highlighted in {p['contracts_where_every_name_is_highlighted']}.")
    return "\n".join(lines)


def run(corpus: Path, limit: int | None = None, use_txt: bool = False, use_cache: bool = True,
        workers: int | None = None, ids: list[str] | None = None, progress=None,
        apply_finder: bool = True) -> dict:
    """Evaluate the corpus (the first ``limit`` contracts in label order, or those in ``ids``)."""
    lines = (corpus / "labels.jsonl").read_text(encoding="utf-8").splitlines()
    rows = [json.loads(line) for line in lines if line.strip()]
    if ids is not None:
        wanted = set(ids)
        rows = [r for r in rows if r["id"] in wanted]
    if limit is not None:
        rows = rows[:limit]
    workers = workers or max(1, min(2, os.cpu_count() or 1))
    started = time.perf_counter()
    # biggest files first, so no worker is left with a long one at the end
    order = sorted(rows, key=lambda r: -(corpus / r["pdf"]).stat().st_size if (corpus / r["pdf"]).exists() else 0)
    results: list[dict] = []
    jobs = [(r, corpus, use_txt, use_cache, apply_finder) for r in order]

    def report(n: int) -> None:
        if progress is not None and (n % 25 == 0 or n == len(jobs)):
            progress(f"  {n}/{len(jobs)} contracts ({time.perf_counter() - started:.0f}s)")

    if workers == 1 or len(jobs) < 4:
        for job in jobs:
            results.append(_evaluate_star(job))
            report(len(results))
    else:
        with ProcessPoolExecutor(max_workers=workers) as pool:
            futures = [pool.submit(_evaluate_star, job) for job in jobs]
            for future in as_completed(futures):  # progress as contracts finish, not in order
                results.append(future.result())
                report(len(results))
    position = {r["id"]: i for i, r in enumerate(rows)}
    results.sort(key=lambda r: position[r["id"]])
    for r in results:
        r["part"] = split_of(r["id"])
    summary = summarise(results)
    summary["headline"] = {part: headline([r for r in results if r["part"] == part]) for part in PARTS}
    summary["split"] = {"seed": SPLIT_SEED, "validation_share": VALIDATION_SHARE}
    summary["seconds"] = round(time.perf_counter() - started, 1)
    summary["source"] = "txt" if use_txt else "pdf"
    summary["term_end_convention"] = "anniversary"
    return {"summary": summary, "contracts": results}


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="clausewatch eval", description="measure extraction against the CUAD corpus")
    parser.add_argument("--corpus", type=Path, default=None, help="the CUAD folder (default ../shared/cuad)")
    parser.add_argument("--limit", type=int, default=None, help="only the first N contracts")
    parser.add_argument("--json", dest="json_out", type=Path, default=Path("eval-results.json"),
                        help="where to write the results (default eval-results.json)")
    parser.add_argument("--txt", action="store_true",
                        help="read CUAD's txt conversions instead of the PDFs (debugging)")
    parser.add_argument("--no-cache", action="store_true", help="re-read every PDF instead of using the text cache")
    parser.add_argument("--no-finder", dest="finder", action="store_false",
                        help="the rule-based readers alone, without the clause finder's gate")
    parser.add_argument("--no-detail", dest="detail", action="store_false",
                        help="do not print the tuning part's failures contract by contract")
    parser.add_argument("--workers", type=int, default=None, help="processes (default: up to 2)")
    args = parser.parse_args(argv)
    corpus = args.corpus or default_corpus()
    if not (corpus / "labels.jsonl").is_file():
        print(f"CUAD corpus not found: expected {corpus}/labels.jsonl "
              f"(set CLAUSEWATCH_CUAD_DIR or --corpus); nothing to evaluate.")
        return 0
    print(f"evaluating {corpus} ({'txt' if args.txt else 'pdf'})", flush=True)
    report = run(corpus, args.limit, args.txt, not args.no_cache, args.workers,
                 progress=lambda line: print(line, flush=True), apply_finder=args.finder)
    summary = report["summary"]
    tuning = [r for r in report["contracts"] if r["part"] == "tuning"]
    if args.detail:
        print("\nfailures in the tuning part (the validation part is reported only in aggregate):")
        print(format_failures(tuning))
    print()
    print(format_table(summary))
    print(f"\n{summary['contracts']} contracts, {summary['errors']} unreadable, {summary['seconds']}s")
    for part in PARTS:
        print()
        print(format_headline(summary["headline"][part], f"headline, {part} part"))
    print("n = contracts whose answer is a full value; wrong and missing among those; false = a value given "
          "where the\nattorneys wrote none (or a date for a 'perpetual' expiration). Split: "
          f"sha256(seed|id), seed {SPLIT_SEED!r}.\n95% interval: Wilson score interval of the "
          "accuracy (of the wrong rate on the last line): where the figure on further contracts of the same\n"
          "kind is likely to be; on the validation part's small n it is wide, which the figure alone hides.")
    # per-contract detail is kept for the tuning part only: the validation part stays unseen
    report = {"summary": summary, "contracts": tuning}
    args.json_out.write_text(json.dumps(report, indent=1), encoding="utf-8")
    print(f"results written to {args.json_out} (per-contract detail: tuning part only)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
