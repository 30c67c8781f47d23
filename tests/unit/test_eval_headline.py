"""The headline figures of `clausewatch eval` and the fixed tuning/validation split."""

from __future__ import annotations

from clausewatch import evaluate


def test_split_is_a_fixed_function_of_the_id_and_seed():
    ids = [f"contract-{i}" for i in range(2000)]
    parts = [evaluate.split_of(i) for i in ids]
    assert parts == [evaluate.split_of(i) for i in ids]
    share = parts.count("validation") / len(ids)
    assert abs(share - evaluate.VALIDATION_SHARE) < 0.04
    other = [evaluate.split_of(i, seed="another seed") for i in ids]
    assert other != parts


def test_answer_kind():
    assert evaluate.answer_kind("agreement_date", "6/21/1999") == "value"
    assert evaluate.answer_kind("agreement_date", "[]/[]/2004") == "unjudged"
    assert evaluate.answer_kind("agreement_date", "") == "none"
    assert evaluate.answer_kind("expiration_date", "perpetual") == "none"
    assert evaluate.answer_kind("renewal_term", "Perpetual") == "value"
    assert evaluate.answer_kind("renewal_term", "successive 1 year") == "value"
    assert evaluate.answer_kind("notice_period", "as agreed") == "unjudged"
    assert evaluate.answer_kind("governing_law", "[]") == "unjudged"
    assert evaluate.answer_kind("governing_law", "Delaware") == "value"


def _result(**fields):
    base = {f: {"answer": "", "ours": None, "outcome": "correctly_absent"} for f in evaluate.FIELDS}
    for name, (answer, outcome) in fields.items():
        base[name] = {"answer": answer, "ours": None, "outcome": outcome}
    return {"id": "x", "fields": base}


def test_headline_counts():
    results = [
        _result(agreement_date=("6/21/1999", "correct"), governing_law=("Delaware", "correct")),
        _result(agreement_date=("6/21/1999", "wrong"), governing_law=("Delaware", "missing")),
        _result(agreement_date=("[]/[]/2004", "missing"), governing_law=("", "wrong")),
        _result(agreement_date=("1/2/2003", "missing"), expiration_date=("perpetual", "wrong")),
    ]
    head = evaluate.headline(results)
    a = head["fields"]["agreement_date"]
    assert (a["n"], a["correct"], a["wrong"], a["missing"], a["accuracy"]) == (3, 1, 1, 1, 0.333)
    assert a["no_answer"] == 0 and a["false_value_rate"] is None
    g = head["fields"]["governing_law"]
    assert (g["n"], g["correct"], g["missing"], g["no_answer"], g["false_values"]) == (2, 1, 1, 2, 1)
    e = head["fields"]["expiration_date"]
    assert (e["n"], e["no_answer"], e["false_values"], e["false_value_rate"]) == (0, 4, 1, 0.25)
    # fields without any answered contract have no accuracy and stay out of the mean
    assert head["mean_accuracy"] == round((1 / 3 + 1 / 2) / 2, 3)
    # wrong: agreement 1, law 1 (false), expiration 1 (false); judged: every field's n + no-answer
    judged = sum(f["n"] + f["no_answer"] for f in head["fields"].values())
    assert head["wrong_values"] == 3 and head["judged"] == judged
    text = evaluate.format_headline(head, "headline, tuning part")
    assert "agreement_date" in text and "3/" in text and "mean of the six: 0.417" in text


def test_wilson_interval_matches_published_values():
    # Wilson score intervals at 95% (z = 1.96), as tabulated in Newcombe (1998), Stat Med 17:857
    lo, hi = evaluate.wilson_interval(0, 10)
    assert (round(lo, 4), round(hi, 4)) == (0.0, 0.2775)
    lo, hi = evaluate.wilson_interval(5, 10)
    assert (round(lo, 4), round(hi, 4)) == (0.2366, 0.7634)
    lo, hi = evaluate.wilson_interval(81, 263)
    assert (round(lo, 4), round(hi, 4)) == (0.2553, 0.3662)
    assert evaluate.wilson_interval(0, 0) is None
    # the interval narrows as n grows at the same share, and always holds the share itself
    small, large = evaluate.wilson_interval(16, 22), evaluate.wilson_interval(160, 220)
    assert small[0] < large[0] <= 16 / 22 <= large[1] < small[1]


def test_headline_reports_each_accuracy_and_the_wrong_rate_with_an_interval():
    results = [_result(notice_period=("30 days", "correct")) for _ in range(16)]
    results += [_result(notice_period=("60 days", "missing")) for _ in range(6)]
    head = evaluate.headline(results)
    notice = head["fields"]["notice_period"]
    assert notice["accuracy"] == 0.727
    lo, hi = notice["accuracy_interval"]
    assert lo < 0.6 and 0.85 < hi < 0.9  # 16 of 22: the 0.90 goal is outside even the interval
    assert head["fields"]["agreement_date"]["accuracy_interval"] is None  # no answered contract
    assert head["wrong_values"] == 0 and head["wrong_rate_interval"][0] == 0.0
    assert 0 < head["wrong_rate_interval"][1] < 0.05
    text = evaluate.format_headline(head, "headline, validation part")
    assert f"{lo:.2f}-{hi:.2f}" in text and "95% interval" in text
