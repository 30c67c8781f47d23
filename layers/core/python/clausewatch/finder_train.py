"""`make train` (``python -m clausewatch.finder_train``): fit the clause finder on CUAD's tuning part.

Development only: needs scikit-learn (the ``dev`` extra) and the corpus in ``../shared/cuad``; the
product reads the fitted parameters it writes (``clausewatch/extract/finder_params.json``) with
plain Python (``clausewatch.extract.finder``).

1. The tuning part of the corpus (``evaluate.split_of``; the validation part is never read here).
2. Each contract's plain text is cut into passages (``finder.passages``); a passage is a positive
   example for a field when it overlaps a span the attorneys highlighted for that category
   (``span_offsets`` in labels.jsonl).
3. Vocabulary: the ``VOCABULARY`` words and word pairs found in the most passages (at least
   ``MIN_DF``); idf = ln((1 + passages) / (1 + df)) + 1.
4. One L1-regularised logistic regression per field (liblinear, balanced class weights), fitted
   on every tuning contract: L1 leaves few non-zero weights, so the file is small; weights are
   rounded so the same run gives the same bytes.
5. ``K`` folds by contract (a contract's fold is a hash of its id): out-of-fold scores give the
   cross-validated figures (is the best-scored passage a highlighted one) and, with the rule-based
   extraction of each tuning contract, each field's abstain threshold: a term whose clause scores
   below it is dropped, chosen so that wrong values stay at or under ``WRONG_BOUND`` of the judged
   contracts (``--no-thresholds`` keeps those of the shipped file: that step runs the extractor
   on every tuning contract, a few minutes).
6. ``--corrections FILE`` (or ``CORRECTIONS=FILE make train``): the values people entered or
   corrected (``clausewatch corrections export``); their clause spans become extra positive
   labels (``with_corrections``). Thresholds are still chosen on the CUAD tuning contracts only.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import sys
from collections import Counter
from pathlib import Path
from typing import Any

from clausewatch import evaluate
from clausewatch.extract import finder
from clausewatch.extract.document import Document

VOCABULARY = 3000
MIN_DF = 3
MIN_WEIGHT = 0.0001
C = 1.0
K = 5
WRONG_BOUND = 0.03
DIGITS = 4


_REPORT: dict | None = None  # a readers-only eval report of the tuning part, when already at hand


def fold_of(contract_id: str) -> int:
    return int.from_bytes(hashlib.sha256(f"fold|{contract_id}".encode()).digest()[:4], "big") % K


def load_tuning(corpus: Path) -> list[dict]:
    rows = [json.loads(line) for line in (corpus / "labels.jsonl").read_text(encoding="utf-8").splitlines()
            if line.strip()]
    return [r for r in rows if evaluate.split_of(r["id"]) == "tuning"]


def contract_examples(row: dict, corpus: Path) -> dict[str, Any]:
    """Passages of one contract and, per field, which passages overlap a highlighted span."""
    raw = (corpus / row["text"]).read_text(encoding="utf-8", errors="replace")
    text = Document([raw]).text  # the same character folding the extractor reads
    spans = finder.passages(text)
    labels: dict[str, list[int]] = {}
    for field, category in finder.CATEGORIES.items():
        ranges = row.get("span_offsets", {}).get(category) or []
        labels[field] = [int(any(p.end > s and p.start < e for s, e in ranges)) for p in spans]
    counts = [Counter(finder.tokens(text[p.start:p.end])) for p in spans]
    return {"id": row["id"], "text": text, "spans": spans, "labels": labels, "counts": counts}


def build_idf(examples: list[dict]) -> dict[str, float]:
    import math

    df: Counter = Counter()
    n = 0
    for ex in examples:
        for c in ex["counts"]:
            df.update(c.keys())
            n += 1
    kept = sorted((t for t, d in df.items() if d >= MIN_DF), key=lambda t: (-df[t], t))[:VOCABULARY]
    return {t: round(math.log((1 + n) / (1 + df[t])) + 1, DIGITS) for t in sorted(kept)}


def design(examples: list[dict], idf: dict[str, float]) -> tuple[Any, list[str], list[int]]:
    """The feature matrix of every passage of ``examples`` (rows in order), the feature names and
    the contract index of each row."""
    from sklearn.feature_extraction import DictVectorizer

    vecs: list[dict[str, float]] = []
    owner: list[int] = []
    for i, ex in enumerate(examples):
        rows = finder.features(ex["text"], ex["spans"], idf)
        vecs.extend(rows)
        owner.extend([i] * len(rows))
    vectorizer = DictVectorizer(sort=True)
    x = vectorizer.fit_transform(vecs).tocsr()
    x.indices = x.indices.astype("int32")  # liblinear takes 32-bit indices only
    x.indptr = x.indptr.astype("int32")
    return x, [str(n) for n in vectorizer.get_feature_names_out()], owner


def fit(x: Any, names: list[str], labels: dict[str, list[int]]) -> tuple[dict[str, dict[str, float]], dict[str, float]]:
    """Weights (non-zero ones, rounded) and intercept per field."""
    from sklearn.linear_model import LogisticRegression

    weights: dict[str, dict[str, float]] = {}
    intercepts: dict[str, float] = {}
    for field, y in labels.items():
        if not any(y):
            continue
        model = LogisticRegression(C=C, l1_ratio=1.0, solver="liblinear", class_weight="balanced",
                                   max_iter=1000, random_state=0)
        model.fit(x, y)
        weights[field] = {name: round(float(w), DIGITS) for name, w in zip(names, model.coef_[0])
                          if abs(w) >= MIN_WEIGHT}
        intercepts[field] = round(float(model.intercept_[0]), DIGITS)
    return weights, intercepts


def _labels(examples: list[dict]) -> dict[str, list[int]]:
    return {field: [label for ex in examples for label in ex["labels"][field]] for field in finder.CATEGORIES}


def train_model(corpus: Path, corrections: list[dict] | None = None) -> tuple[dict[str, Any], list[dict], Any]:
    """The fitted parameters (without thresholds), the tuning examples (with the ones people's
    corrections add, ``correction`` true) and their design matrix."""
    examples = [contract_examples(r, corpus) for r in load_tuning(corpus)]
    contracts = len(examples)
    min_passages = min(len(ex["spans"]) for ex in examples)
    added: dict[str, int] | None = None
    if corrections:
        examples, added = with_corrections(examples, corrections, corpus_hashes(corpus))
    idf = build_idf(examples)
    x, names, owner = design(examples, idf)
    weights, intercepts = fit(x, names, _labels(examples))
    params = {"about": "clause finder fitted by `make train` (clausewatch.finder_train) on the CUAD tuning part",
              "contracts": contracts, "vocabulary": len(idf), "idf": idf,
              "min_passages": min_passages,
              "weights": weights, "intercepts": intercepts}
    if added is not None:
        params["corrections"] = added
    return params, examples, (x, names, owner)


# --- people's corrections as extra labels (`CORRECTIONS=file make train`) ---------------------------

def load_corrections(path: Path) -> tuple[list[dict], list[str]]:
    """The lines of a corrections export (``clausewatch corrections export``) and, for each line
    that cannot be used (not JSON, not an object), why: one bad line never stops the others."""
    lines, problems = [], []
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not raw.strip():
            continue
        try:
            line = json.loads(raw)
        except json.JSONDecodeError as exc:
            problems.append(f"{path}:{number}: not JSON ({exc.msg})")
            continue
        if not isinstance(line, dict):
            problems.append(f"{path}:{number}: not a JSON object")
            continue
        lines.append(line)
    return lines, problems


def corpus_hashes(corpus: Path) -> dict[str, tuple[str, str]]:
    """SHA-256 of each corpus PDF -> (contract id, its part): a correction of a CUAD contract is a
    label of that contract, and one of a validation contract is never trained on."""
    out = {}
    for line in (corpus / "labels.jsonl").read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        row = json.loads(line)
        pdf = corpus / str(row.get("pdf") or "")
        if row.get("pdf") and pdf.is_file():
            out[hashlib.sha256(pdf.read_bytes()).hexdigest()] = (row["id"], evaluate.split_of(row["id"]))
    return out


def _locate(text: str, clause: str) -> tuple[int, int] | None:
    """Where ``clause`` is in ``text``, whatever the line breaks and spacing (None when absent)."""
    import re

    words = clause.split()
    if not words:
        return None
    m = re.search(r"\s+".join(re.escape(w) for w in words), text)
    return (m.start(), m.end()) if m else None


def correction_example(line: dict, field: str, clause: str) -> dict[str, Any]:
    """A correction's clause as an example of its own: every passage of it a positive of ``field``."""
    text = Document([clause]).text
    spans = finder.passages(text)
    return {"id": f"correction:{line.get('contract_id')}:{field}:{line.get('version')}", "text": text,
            "spans": spans, "correction": True,
            "labels": {f: [int(f == field)] * len(spans) for f in finder.CATEGORIES},
            "counts": [Counter(finder.tokens(text[p.start:p.end])) for p in spans]}


def with_corrections(examples: list[dict], corrections: list[dict],
                     hashes: dict[str, tuple[str, str]]) -> tuple[list[dict], dict[str, int]]:
    """The training examples with people's corrections as extra positive labels: the clause span
    of a correction of a tuning contract (by its document's SHA-256) marks that contract's
    passages it covers as positives of the corrected field; a correction of another document
    becomes an example of its own; one of a validation contract, or without a clause or a field
    the finder scores, is left out (counted). ``examples`` are not changed."""
    by_id = {ex["id"]: ex for ex in examples}
    relabelled: dict[str, dict[str, list[int]]] = {}
    extra: list[dict] = []
    counts = {"lines": len(corrections), "labelled_tuning_contract": 0, "own_example": 0,
              "validation_left_out": 0, "unusable": 0}
    for line in corrections:
        field = line.get("field")
        clause = line.get("clause")
        text = str(clause.get("text") or "") if isinstance(clause, dict) else ""
        if field not in finder.CATEGORIES or not text.strip():
            counts["unusable"] += 1
            continue
        # the document the clause is in (an amendment's clause is not in the contract corrected)
        owner = hashes.get(str(line.get("clause_document_sha256") or line.get("document_sha256") or ""))
        if owner is not None and owner[1] != "tuning":
            counts["validation_left_out"] += 1
            continue
        ex = by_id.get(owner[0]) if owner is not None else None
        where = None if ex is None else _locate(ex["text"], Document([text]).text)
        if ex is not None and where is not None:
            labels = relabelled.setdefault(ex["id"], {f: list(v) for f, v in ex["labels"].items()})
            labels[field] = [max(y, int(p.end > where[0] and p.start < where[1]))
                             for y, p in zip(labels[field], ex["spans"])]
            counts["labelled_tuning_contract"] += 1
            continue
        extra.append(correction_example(line, field, text))
        counts["own_example"] += 1
    out = [{**ex, "labels": relabelled[ex["id"]]} if ex["id"] in relabelled else ex for ex in examples]
    return out + extra, counts


def cross_validate(examples: list[dict], idf: dict[str, float], matrix: Any) -> list[finder.Finder]:
    """The K fold models: model k is fitted on the contracts outside fold k."""
    x, names, owner = matrix
    labels = _labels(examples)
    models = []
    for k in range(K):
        rows = [r for r, i in enumerate(owner) if fold_of(examples[i]["id"]) != k]
        weights, intercepts = fit(x[rows], names, {f: [y[r] for r in rows] for f, y in labels.items()})
        models.append(finder.Finder(idf=idf, weights=weights, intercepts=intercepts, thresholds={}))
    return models


def out_of_fold(models: list[finder.Finder], examples: list[dict]) -> dict[str, dict[str, list[float]]]:
    """Out-of-fold probabilities of each example's passages: contract id -> field -> per passage."""
    return {ex["id"]: models[fold_of(ex["id"])].scores(ex["text"])[1] for ex in examples}


def pdf_examples(corpus: Path, examples: list[dict]) -> list[dict]:
    """The tuning contracts as the product reads them: the PDF's text (the eval's text cache),
    cut into passages. The thresholds are chosen on these, since the product reads PDFs."""
    rows = {r["id"]: r for r in load_tuning(corpus)}
    out = []
    for ex in examples:
        pages = evaluate._pages_for(corpus / rows[ex["id"]]["pdf"], use_cache=True)
        text = Document(pages).text
        out.append({"id": ex["id"], "text": text, "spans": finder.passages(text)})
    return out


def cv_figures(examples: list[dict], oof: dict[str, dict[str, list[float]]]) -> dict[str, dict[str, Any]]:
    """Per field, over contracts with a highlighted clause: how often the best-scored passage is
    one (top-1) or one is among the best three (top-3)."""
    figures = {}
    for field in finder.CATEGORIES:
        n = top1 = top3 = 0
        for ex in examples:
            labels = ex["labels"][field]
            if not any(labels) or field not in oof[ex["id"]]:
                continue
            probs = oof[ex["id"]][field]
            order = sorted(range(len(probs)), key=lambda i: -probs[i])
            n += 1
            top1 += labels[order[0]]
            top3 += any(labels[i] for i in order[:3])
        figures[field] = {"contracts": n, "top1": round(top1 / n, 3) if n else None,
                          "top3": round(top3 / n, 3) if n else None}
    return figures


def choose_threshold(items: list[tuple[str, str, float | None]], bound: float = WRONG_BOUND) -> dict[str, Any]:
    """``items``: per contract (answer kind, outcome, clause score or None when no value was
    given). Returns the threshold that keeps the most correct values while wrong values (wrong
    among answered + values where there is no answer) stay within ``bound`` of the judged
    contracts; a wrong value costs two correct ones in the choice. Candidates: 0 and each score."""
    judged = [(kind, outcome, score) for kind, outcome, score in items if kind in ("value", "none")]
    candidates = sorted({0.0} | {s for _, _, s in judged if s is not None})
    best: tuple[float, float] | None = None
    chosen: dict[str, Any] = {}
    for t in candidates:
        correct = wrong = 0
        for kind, outcome, score in judged:
            kept = score is not None and score >= t or score is None and outcome in ("correct", "wrong")
            if not kept:
                continue
            if kind == "value":
                correct += outcome == "correct"
                wrong += outcome in ("wrong", "unverifiable")
            else:
                wrong += outcome == "wrong"
        rate = wrong / len(judged) if judged else 0.0
        if rate > bound:
            continue
        value = correct - 2 * wrong
        if best is None or value > best[0]:
            best = (value, t)
            chosen = {"threshold": round(t, DIGITS), "correct": correct, "wrong": wrong,
                      "judged": len(judged), "wrong_rate": round(rate, 4)}
    if not chosen:  # no threshold meets the bound: the strictest one (abstain the most)
        t = candidates[-1] if candidates else 0.0
        chosen = {"threshold": round(t, DIGITS), "bound_not_met": True}
    return chosen


def compare(field: str, answer: str, ours: str | None) -> str:
    if field in ("agreement_date", "effective_date", "expiration_date"):
        return evaluate.compare_date(answer, ours)
    if field in ("renewal_term", "notice_period"):
        return evaluate.compare_duration(answer, ours)
    return evaluate.compare_law(answer, ours)


def fill_items(field: str, report: dict, by_id: dict, oof: dict, gated: set) -> tuple[list, list]:
    """For a fillable field: per tuning contract, (kind, outcome, score) of what the readers give
    after the gate (``gated``: contract ids whose value the gate drops) and, where they give none,
    of the value read from the clause the out-of-fold finder ranks first."""
    base, fills = [], []
    for r in report["contracts"]:
        f = r["fields"][field]
        kind = evaluate.answer_kind(field, f["answer"])
        outcome = f["outcome"]
        ours = f["ours"]
        if r["id"] in gated:
            ours = None
            outcome = compare(field, f["answer"], None)
        if ours is not None or field not in oof[r["id"]]:
            base.append((kind, outcome))
            continue
        ex = by_id[r["id"]]
        probs = oof[r["id"]][field]
        read = None
        if ex["spans"]:
            best = max(range(len(probs)), key=lambda i: probs[i])
            span = ex["spans"][best]
            read = finder.value_from_clause(field, ex["text"][span.start:span.end])
        if read is None:
            base.append((kind, outcome))
        else:
            fills.append((kind, compare(field, f["answer"], read[0]), outcome, probs[best]))
    return base, fills


def choose_fill_threshold(base: list, fills: list, bound: float = WRONG_BOUND) -> dict[str, Any]:
    """The lowest clause score from which a value read from the top clause is kept, chosen like
    ``choose_threshold`` (most correct, a wrong value costing two, wrong values within ``bound``);
    ``threshold`` None when filling never helps."""
    judged = [b for b in base if b[0] in ("value", "none")] + [f for f in fills if f[0] in ("value", "none")]
    best: tuple[float, float | None] | None = None
    chosen: dict[str, Any] = {}
    for t in [None] + sorted({f[3] for f in fills}):
        correct = wrong = 0
        for kind, outcome in [(b[0], b[1]) for b in base] + [
                (f[0], f[1] if t is not None and f[3] >= t else f[2]) for f in fills]:
            if kind == "value":
                correct += outcome == "correct"
                wrong += outcome in ("wrong", "unverifiable")
            elif kind == "none":
                wrong += outcome == "wrong"
        rate = wrong / len(judged) if judged else 0.0
        if rate > bound and t is not None:
            continue
        value = correct - 2 * wrong
        if best is None or value > best[0]:
            best = (value, t)
            chosen = {"threshold": None if t is None else round(t, DIGITS), "correct": correct, "wrong": wrong,
                      "judged": len(judged), "wrong_rate": round(rate, 4)}
    return chosen


def expiration_fill_items(corpus: Path, report: dict, by_id: dict, oof: dict) -> tuple[list, list]:
    """As ``fill_items`` for expiration_date: where the readers computed no expiration, the term
    reader run on the clause the out-of-fold finder ranks first (``finder.expiration_from_clause``)."""
    from clausewatch.dates import TermEndConvention
    from clausewatch.extract import ExtractOptions, extract_contract
    from clausewatch.extract.context import Context

    options = ExtractOptions(term_end_convention=TermEndConvention.ANNIVERSARY, clause_finder=False)
    field = "expiration_date"
    base, fills = [], []
    for r in report["contracts"]:
        f = r["fields"][field]
        kind = evaluate.answer_kind(field, f["answer"])
        ex = by_id[r["id"]]
        if f["ours"] is not None or field not in oof[r["id"]] or not ex["spans"]:
            base.append((kind, f["outcome"]))
            continue
        probs = oof[r["id"]][field]
        best = max(range(len(probs)), key=lambda i: probs[i])
        pages = [ex["text"]]  # the document's text as one page: the same text and offsets
        result = extract_contract(pages, options=options)
        ctx = Context(doc=Document(pages), options=options, terms=result.terms)
        read = finder.expiration_from_clause(ctx, ex["spans"][best].start, ex["spans"][best].end)
        if read is None:
            base.append((kind, f["outcome"]))
            continue
        value, derivation = read[0].value, read[0].derivation or ""
        fills.append((kind, evaluate.compare_date(f["answer"], value, " + P" in derivation), f["outcome"],
                      probs[best]))
    return base, fills


def thresholds_from_cv(corpus: Path, examples: list[dict], oof: dict) -> tuple[dict[str, float], dict]:
    """Run the rule-based extractor on every tuning contract (its PDF, as the product reads it;
    ``examples`` are the PDF texts of ``pdf_examples``), score each term's clause with
    the out-of-fold finder, and choose each field's threshold; then, for the fields a clause can
    be read from, the threshold from which the top clause fills a field the readers left empty."""
    report = _REPORT or evaluate.run(corpus, use_txt=False, ids=[ex["id"] for ex in examples], apply_finder=False)
    by_id = {ex["id"]: ex for ex in examples}
    thresholds: dict[str, float] = {}
    details: dict[str, Any] = {}
    # the bound is the issue's: wrong values / all judged, the six fields together. Each field's
    # threshold is first chosen on its own (most correct, a wrong value costing two); only if the
    # six together then exceed the bound is each field held to it on its own
    for bound in (1.0, WRONG_BOUND):
        thresholds, details = _choose_all(corpus, report, by_id, oof, bound)
        wrong = sum(details[f]["wrong"] for f in finder.CATEGORIES if "wrong" in details[f])
        judged = sum(details[f]["judged"] for f in finder.CATEGORIES if "judged" in details[f])
        details["six_fields"] = {"wrong": wrong, "judged": judged, "wrong_rate": round(wrong / judged, 4),
                                 "per_field_bound": bound < 1.0}
        if wrong <= WRONG_BOUND * judged:
            break
    return thresholds, details


def _choose_all(corpus: Path, report: dict, by_id: dict, oof: dict, bound: float) -> tuple[dict[str, float], dict]:
    thresholds: dict[str, float] = {}
    details: dict[str, Any] = {}
    for field in finder.CATEGORIES:
        items = []
        for r in report["contracts"]:
            f = r["fields"][field]
            kind = evaluate.answer_kind(field, f["answer"])
            score = None
            at = f.get("evidence_at")
            if at is not None and field in oof[r["id"]]:
                ex = by_id[r["id"]]
                score = finder.clause_score(ex["spans"], oof[r["id"]][field], at[0], at[1])
                score = 0.0 if score is None else score
            items.append((kind, f["outcome"], score))
        chosen = choose_threshold(items, bound)
        thresholds[field] = chosen["threshold"]
        details[field] = chosen
        if field in finder.FILLABLE:
            gated = {r["id"] for r, (_, _, score) in zip(report["contracts"], items)
                     if score is not None and score < chosen["threshold"]}
            base, fills = fill_items(field, report, by_id, oof, gated)
            fill = choose_fill_threshold(base, fills, bound)
            details[f"{field}:fill"] = fill
            if fill.get("threshold") is not None:
                thresholds[f"{field}:fill"] = fill["threshold"]
        if field == "expiration_date":
            base, fills = expiration_fill_items(corpus, report, by_id, oof)
            fill = choose_fill_threshold(base, fills, bound)
            details["expiration_date:fill"] = fill
            if fill.get("threshold") is not None:
                thresholds["expiration_date:fill"] = fill["threshold"]
    # a field's figures are those after its fill, when it has one
    for field in finder.CATEGORIES:
        if f"{field}:fill" in details and "wrong" in details[f"{field}:fill"]:
            details[field] = {**details[field], **{k: details[f"{field}:fill"][k] for k in ("correct", "wrong")}}
    return thresholds, details


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m clausewatch.finder_train", description=__doc__.split("\n")[0])
    parser.add_argument("--corpus", type=Path, default=None)
    parser.add_argument("--out", type=Path, default=finder.PARAMS_FILE)
    parser.add_argument("--no-thresholds", action="store_true",
                        help="keep the thresholds and CV figures of the existing file (skips running the extractor)")
    parser.add_argument("--corrections", type=Path, default=os.environ.get("CORRECTIONS") or None,
                        help="a corrections export (JSONL): their clause spans become extra positive labels "
                             "(default: $CORRECTIONS)")
    args = parser.parse_args(argv)
    corpus = args.corpus or evaluate.default_corpus()
    if not (corpus / "labels.jsonl").is_file():
        print(f"CUAD corpus not found: expected {corpus}/labels.jsonl; nothing to train.")
        return 1
    corrections = None
    if args.corrections is not None:
        corrections, problems = load_corrections(args.corrections)
        for problem in problems:
            print(f"  left out: {problem}")
    params, examples, matrix = train_model(corpus, corrections)
    print(f"fitted on {params['contracts']} tuning contracts, vocabulary {len(params['idf'])}"
          + (f"; corrections: {params['corrections']}" if "corrections" in params else ""))
    previous = json.loads(args.out.read_text(encoding="utf-8")) if args.out.is_file() else {}
    if args.no_thresholds:
        params["thresholds"] = previous.get("thresholds", {})
        params["cv"] = previous.get("cv", {})
    else:
        models = cross_validate(examples, params["idf"], matrix)
        # the figures and thresholds are the CUAD tuning contracts' (corrections only train)
        tuning = [ex for ex in examples if not ex.get("correction")]
        figures = cv_figures(tuning, out_of_fold(models, tuning))
        pdfs = pdf_examples(corpus, tuning)
        thresholds, details = thresholds_from_cv(corpus, pdfs, out_of_fold(models, pdfs))
        params["thresholds"] = thresholds
        params["cv"] = {"folds": K, "clause_finding": figures, "thresholds": details}
        for field in finder.CATEGORIES:
            print(f"  {field:<16} top-1 {figures[field]['top1']}  top-3 {figures[field]['top3']}  "
                  f"threshold {details[field]}")
        print(f"  six fields together: {details['six_fields']}")
    args.out.write_text(dump(params), encoding="utf-8")
    print(f"written {args.out} ({args.out.stat().st_size // 1024} KB)")
    return 0


def dump(params: dict[str, Any]) -> str:
    return json.dumps(params, sort_keys=True, separators=(",", ":")) + "\n"


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
