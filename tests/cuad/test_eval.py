"""clausewatch.evaluate on a fixed subset of the CUAD corpus: a regression run of the extractor."""

from __future__ import annotations

import json

import pytest

from clausewatch import evaluate

# A fixed subset: every 12th contract (in label order) among PDFs under 250 kB, so the run takes a
# few seconds. The bounds were measured on this subset: "wrong" may not grow (a regression that
# makes the extractor guess more often fails here) and "correct" may not drop by more than two
# (abstaining on everything would also pass a wrong-only bound).
WRONG_AT_MOST = {"agreement_date": 1, "effective_date": 1, "expiration_date": 2, "renewal_term": 0,
                 "notice_period": 0, "governing_law": 0}
CORRECT_MEASURED = {"agreement_date": 24, "effective_date": 16, "expiration_date": 10, "renewal_term": 10,
                    "notice_period": 6, "governing_law": 24}


@pytest.mark.cuad
def test_cuad_subset(cuad, tmp_path, monkeypatch):
    monkeypatch.setenv("CLAUSEWATCH_EVAL_CACHE", str(tmp_path / "cache"))
    rows = [json.loads(line) for line in (cuad / "labels.jsonl").read_text(encoding="utf-8").splitlines() if line]
    ids = [r["id"] for r in rows if (cuad / r["pdf"]).stat().st_size < 250_000][::12]
    report = evaluate.run(cuad, ids=ids)
    summary = report["summary"]
    assert summary["contracts"] == len(ids) == len(report["contracts"])
    assert summary["errors"] == 0
    for field, counts in summary["fields"].items():
        assert sum(counts[o] for o in evaluate.OUTCOMES) == len(ids)
        assert counts["wrong"] <= WRONG_AT_MOST[field], (field, counts)
        assert counts["correct"] >= CORRECT_MEASURED[field] - 2, (field, counts)
        assert 0 <= counts["pct_wrong"] <= 100 and 0 <= counts["pct_correct"] <= 100
    # the JSON report can be written and read back
    out = tmp_path / "eval.json"
    out.write_text(json.dumps(report))
    assert json.loads(out.read_text())["summary"]["fields"]["governing_law"]["correct"] > len(ids) // 2
