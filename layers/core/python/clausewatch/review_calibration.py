"""`python -m clausewatch.review_calibration`: calibrate ``config.REVIEW_CONFIDENCE_BELOW`` (issue #15).

The review threshold marks a term for a person's review when its confidence (the clause finder's
score of the clause it quotes, or a reader's own lower confidence) is below it. This measures, by
5-fold cross-validation over the CUAD tuning part, how wrong values and correct ones fall on
either side of each candidate threshold: the readers run on every tuning contract (its PDF text,
as the product reads it), each value's clause is scored by the fold model that did not see the
contract, and each value is judged against the attorneys' answer (wrong = a value that differs
from the answer, or a value where the attorneys wrote none). The threshold chosen is the one that
best separates wrong from correct values: the largest share of wrong values marked minus the share
of correct values marked (Youden's J); ties go to the lower threshold (fewer values to review).

``--part validation`` measures, without choosing anything, the threshold in use
(``config.REVIEW_CONFIDENCE_BELOW``) on the validation part: the readers on each validation
contract's PDF text, each value's clause scored by the shipped finder (fitted on the tuning part
only, so these contracts are as unseen as the out-of-fold ones above), and only aggregates printed
(values marked and unmarked, wrong among each; overall and per field), never a contract.

Needs ``../shared/cuad`` and scikit-learn (a dev dependency), like ``make train``; several minutes.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from clausewatch import config, evaluate, finder_train
from clausewatch.extract import finder
from clausewatch.extract.document import Document

CANDIDATES = tuple(round(0.05 * i, 2) for i in range(1, 20))  # 0.05 ... 0.95


def side_counts(values: list[tuple[float, bool]], threshold: float) -> dict[str, Any]:
    """``values``: (confidence, wrong) per value given. Counts below (marked for review) and at or
    above the threshold, and the share of wrong values on each side."""
    below = [wrong for conf, wrong in values if conf < threshold]
    above = [wrong for conf, wrong in values if conf >= threshold]
    return {"threshold": threshold,
            "below": len(below), "wrong_below": sum(below),
            "above": len(above), "wrong_above": sum(above),
            "wrong_share_below": round(sum(below) / len(below), 3) if below else None,
            "wrong_share_above": round(sum(above) / len(above), 3) if above else None}


def choose_review_threshold(values: list[tuple[float, bool]],
                            candidates: tuple[float, ...] = CANDIDATES) -> dict[str, Any]:
    """The candidate that maximises (wrong values marked / all wrong) - (correct values marked /
    all correct); ties to the lower threshold. With no wrong or no correct values there is nothing
    to separate: the lowest candidate is returned with ``separates`` false."""
    wrong_n = sum(1 for _, wrong in values if wrong)
    correct_n = len(values) - wrong_n
    table = [side_counts(values, t) for t in candidates]
    if not wrong_n or not correct_n:
        return {**table[0], "j": 0.0, "separates": False, "table": table}
    best = None
    for row in table:
        j = row["wrong_below"] / wrong_n - (row["below"] - row["wrong_below"]) / correct_n
        row["j"] = round(j, 3)
        if best is None or j > best["j"] + 1e-12:
            best = row
    assert best is not None
    return {**best, "separates": True, "table": table}


def judged_values(report: dict, by_id: dict[str, dict], scores: dict[str, dict[str, list[float]]]
                  ) -> list[tuple[str, str, float, bool]]:
    """(contract, field, confidence, wrong) for every judged value of ``report`` with its clause:
    the confidence is the clause's score (``scores``: contract -> field -> per passage of
    ``by_id[contract]["spans"]``), lowered to the reader's own confidence when it has one."""
    out = []
    for r in report["contracts"]:
        for field in finder.CATEGORIES:
            f = r["fields"][field]
            kind = evaluate.answer_kind(field, f["answer"])
            if f["ours"] is None or kind == "unjudged" or f.get("evidence_at") is None:
                continue
            at = f["evidence_at"]
            score = finder.clause_score(by_id[r["id"]]["spans"], scores[r["id"]][field], at[0], at[1]) \
                if field in scores[r["id"]] else None
            conf = 0.0 if score is None else score
            if f.get("confidence") is not None:
                conf = min(conf, f["confidence"])
            wrong = f["outcome"] in ("wrong", "unverifiable")
            out.append((r["id"], field, conf, wrong))
    return out


def cv_values(corpus: Path) -> list[tuple[str, str, float, bool]]:
    """(contract, field, out-of-fold confidence, wrong) for every value the readers give on the
    tuning part's PDFs, the six scored fields."""
    _params, examples, matrix = finder_train.train_model(corpus)
    models = finder_train.cross_validate(examples, _params["idf"], matrix)
    pdfs = finder_train.pdf_examples(corpus, examples)
    oof = finder_train.out_of_fold(models, pdfs)
    report = evaluate.run(corpus, use_txt=False, ids=[ex["id"] for ex in pdfs], apply_finder=False)
    return judged_values(report, {ex["id"]: ex for ex in pdfs}, oof)


def validation_values(corpus: Path) -> list[tuple[str, str, float, bool]]:
    """(contract, field, confidence, wrong) for every value the readers give on the validation
    part's PDFs, each clause scored by the shipped finder (fitted on the tuning part alone)."""
    shipped = finder.load_finder()
    if shipped is None:
        raise SystemExit(f"no shipped finder ({finder.PARAMS_FILE}); run make train")
    lines = (corpus / "labels.jsonl").read_text(encoding="utf-8").splitlines()
    rows = [row for row in (json.loads(line) for line in lines if line.strip())
            if evaluate.split_of(row["id"]) == "validation"]
    by_id, scores = {}, {}
    for row in rows:
        text = Document(evaluate._pages_for(corpus / row["pdf"], use_cache=True)).text
        spans, probs = shipped.scores(text)
        by_id[row["id"]], scores[row["id"]] = {"spans": spans}, probs
    report = evaluate.run(corpus, use_txt=False, ids=list(by_id), apply_finder=False)
    return judged_values(report, by_id, scores)


def validation_summary(values: list[tuple[str, float, bool]], threshold: float) -> list[str]:
    """Aggregate lines only (no contract): values marked (confidence below ``threshold``) and not,
    the wrong ones among each, overall and per field."""
    def line(label: str, vs: list[tuple[float, bool]]) -> str:
        row = side_counts(vs, threshold)
        wrong = row["wrong_below"] + row["wrong_above"]
        return (f"{label}: {len(vs)} values, {wrong} wrong; marked {row['below']}, {row['wrong_below']} wrong "
                f"({row['wrong_share_below']}); unmarked {row['above']}, {row['wrong_above']} wrong "
                f"({row['wrong_share_above']}); wrong values marked {row['wrong_below']} of {wrong}")

    out = [line(f"validation at {threshold}", [(c, w) for _, c, w in values])]
    for field in finder.CATEGORIES:
        out.append(line(f"  {field}", [(c, w) for f, c, w in values if f == field]))
    return out


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m clausewatch.review_calibration",
                                     description=__doc__.split("\n")[0])
    parser.add_argument("--corpus", type=Path, default=None)
    parser.add_argument("--part", choices=evaluate.PARTS, default="tuning",
                        help="tuning: choose the threshold by cross-validation (default); validation: "
                             "measure the threshold in use on the validation part, aggregates only")
    args = parser.parse_args(argv)
    corpus = args.corpus or evaluate.default_corpus()
    if not (corpus / "labels.jsonl").is_file():
        print(f"CUAD corpus not found: expected {corpus}/labels.jsonl; nothing to calibrate.")
        return 1
    if args.part == "validation":
        found = validation_values(corpus)
        for text in validation_summary([(f, c, w) for _, f, c, w in found], config.REVIEW_CONFIDENCE_BELOW):
            print(text)
        return 0
    rows = cv_values(corpus)
    values = [(conf, wrong) for _, _, conf, wrong in rows]
    chosen = choose_review_threshold(values)
    print(f"{len(values)} values on the tuning part, {sum(w for _, w in values)} wrong (out-of-fold confidence)")
    print(f"{'below':>6} {'marked':>7} {'wrong':>6} {'share':>6} {'kept':>6} {'wrong':>6} {'share':>6} {'J':>6}")
    for row in chosen["table"]:
        print(f"{row['threshold']:>6} {row['below']:>7} {row['wrong_below']:>6} {str(row['wrong_share_below']):>6} "
              f"{row['above']:>6} {row['wrong_above']:>6} {str(row['wrong_share_above']):>6} {row.get('j', ''):>6}")
    for field in finder.CATEGORIES:
        vs = [(c, w) for _, f, c, w in rows if f == field]
        print(f"  {field:<16} {len(vs)} values, {sum(w for _, w in vs)} wrong; at {chosen['threshold']}: "
              f"{side_counts(vs, chosen['threshold'])}")
    print(f"chosen: {chosen['threshold']} (J {chosen.get('j')})")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
