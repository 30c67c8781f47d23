"""The clause finder (extract/finder.py): passages, features, scoring, the gate, filling a field
from the top clause, the shipped parameters, and the threshold choice of finder_train."""

from __future__ import annotations

import json

import pytest

from clausewatch import finder_train
from clausewatch.extract import ExtractOptions, extract_contract, finder
from clausewatch.extract.model import ContractExtraction, Evidence, Term

CONTRACT = """SUPPLY AGREEMENT

This Supply Agreement is made as of March 3, 2021 between Acme Corp. and Beta LLC.

1. Term. This Agreement shall commence on the Effective Date and continue for three (3) years.
Thereafter it shall automatically renew for successive one (1) year periods unless either party
gives notice of non-renewal at least ninety (90) days prior to the end of the then-current term.

2. Payment. Buyer shall pay each invoice within thirty (30) days.

3. Governing Law. This Agreement shall be governed by and construed in accordance with the laws of
the State of Delaware, without regard to its conflict of laws principles.
"""


def test_passages_cut_at_sentences_not_at_line_breaks():
    spans = finder.passages(CONTRACT)
    texts = [CONTRACT[p.start:p.end] for p in spans]
    assert texts[0] == "SUPPLY AGREEMENT"
    assert any(t.startswith("Thereafter it shall automatically renew") and t.endswith("current term.") for t in texts)
    # a line break inside a sentence does not cut it, and no passage starts or ends with space
    assert all(t == t.strip() and t for t in texts)
    # the same text with every line joined gives the same sentences
    flat = CONTRACT.replace("\n\n", "\u2029").replace("\n", " ").replace("\u2029", "\n\n")
    assert [" ".join(t.split()) for t in texts] == [" ".join(flat[p.start:p.end].split())
                                                     for p in finder.passages(flat)]


def test_long_passage_is_cut_at_spaces():
    text = "word " * 400
    spans = finder.passages(text)
    assert len(spans) >= 3
    assert all(p.end - p.start <= finder.MAX_PASSAGE for p in spans)
    assert "".join(text[p.start:p.end] + " " for p in spans).split() == text.split()


def test_tokens_fold_numbers_and_add_pairs():
    assert finder.tokens("Sixty (60) days") == ["sixty", "0", "days", "sixty 0", "0 days"]


def _toy() -> finder.Finder:
    idf = {"governed": 2.0, "laws": 1.5, "law": 1.5, "delaware": 2.0, "the": 1.0, "pay": 2.0}
    return finder.Finder(idf=idf, weights={"governing_law": {"governed": 3.0, "laws": 2.0, "ctx:pay": -1.0}},
                         intercepts={"governing_law": -1.0}, thresholds={"governing_law": 0.5})


def test_scores_rank_the_clause_that_answers():
    spans, scores = _toy().scores(CONTRACT)
    probs = scores["governing_law"]
    best = max(range(len(spans)), key=lambda i: probs[i])
    assert "governed by and construed" in CONTRACT[spans[best].start:spans[best].end]
    assert all(0 < p < 1 for p in probs)
    start = CONTRACT.index("laws of")
    assert finder.clause_score(spans, probs, start, start + 5) == probs[best]
    assert finder.clause_score(spans, probs, len(CONTRACT) + 5, len(CONTRACT) + 9) is None


def test_gate_drops_a_term_whose_clause_scores_low_and_what_was_computed_from_it():
    spans, scores = _toy().scores(CONTRACT)
    law_at = CONTRACT.index("This Agreement shall be governed")
    pay_at = CONTRACT.index("Buyer shall pay")
    terms = {"governing_law": Term("Delaware", Evidence(1, law_at, law_at + 40, "")),
             "expiration_date": None, "notice_deadline": Term("2023-12-03", None)}
    assert finder.gate_terms(spans, scores, [0], terms, _toy()) == {}
    assert terms["governing_law"].confidence > 0.5
    # the same value quoted from the payment clause: below the threshold, left out with a reason
    terms["governing_law"] = Term("Delaware", Evidence(1, pay_at, pay_at + 20, ""))
    dropped = finder.gate_terms(spans, scores, [0], terms, _toy())
    assert terms["governing_law"] is None and "below the threshold 0.5" in dropped["governing_law"]


def test_value_from_clause_reads_one_value_or_abstains():
    assert finder.value_from_clause("governing_law", "governed by the laws of the State of New York") == (
        "New York", "the only jurisdiction named in the clause")
    assert finder.value_from_clause("governing_law", "the laws of New York or Delaware") is None
    assert finder.value_from_clause("agreement_date", "made as of March 3, 2021 between")[0] == "2021-03-03"
    assert finder.value_from_clause("agreement_date", "dated March 3, 2021 and April 4, 2021") is None
    clause = ("renews for successive one (1) year periods unless notice is given at least ninety (90) days "
              "prior to the end of the term")
    assert finder.value_from_clause("renewal_term", clause)[0] == "P1Y"
    assert finder.value_from_clause("notice_period", clause)[0] == "P90D"
    assert finder.value_from_clause("notice_period", "payable within thirty (30) days") is None


def test_fill_from_the_top_clause_only_above_the_fill_threshold():
    toy = _toy()
    spans, scores = toy.scores(CONTRACT)
    made = []

    def make(value, span, derivation, confidence):
        made.append((span, derivation))
        return Term(value, None, derivation, confidence)

    terms: dict = {"governing_law": None}
    assert finder.fill_from_finder(CONTRACT, terms, make, spans, scores, toy) == []  # no fill threshold
    filling = finder.Finder(toy.idf, toy.weights, toy.intercepts, {"governing_law:fill": 0.5})
    assert finder.fill_from_finder(CONTRACT, terms, make, spans, scores, filling) == ["governing_law"]
    assert terms["governing_law"].value == "Delaware"
    (start, end), derivation = made[0]
    assert "governed by" in CONTRACT[start:end] and derivation.startswith("clause finder:")
    strict = finder.Finder(toy.idf, toy.weights, toy.intercepts, {"governing_law:fill": 0.9999})
    terms = {"governing_law": None}
    assert finder.fill_from_finder(CONTRACT, terms, make, spans, scores, strict) == []


def test_shipped_parameters_are_small_and_complete():
    raw = finder.PARAMS_FILE.read_bytes()
    assert len(raw) < 400_000
    params = json.loads(raw)
    assert set(params["weights"]) == set(finder.CATEGORIES) == set(params["intercepts"])
    assert all(0 <= params["thresholds"][f] < 1 for f in finder.CATEGORIES)
    assert params["cv"]["folds"] == finder_train.K
    # every weight is on a feature the features() function can produce
    for weights in params["weights"].values():
        for name in weights:
            token = name.removeprefix("ctx:")
            assert name.startswith("pos:") or token in params["idf"], name


def test_shipped_finder_ranks_a_governing_law_clause_first():
    model = finder.load_finder()
    assert model is not None
    spans, scores = model.scores(CONTRACT)
    for field, needle in (("governing_law", "governed by"), ("renewal_term", "automatically renew")):
        probs = scores[field]
        best = max(range(len(spans)), key=lambda i: probs[i])
        assert needle in CONTRACT[spans[best].start:spans[best].end], field


def test_extraction_carries_the_finder_confidence_and_can_run_without_it():
    with_finder = extract_contract([CONTRACT])
    law = with_finder.terms["governing_law"]
    assert law is not None and law.value == "Delaware" and 0 < law.confidence <= 1
    without = extract_contract([CONTRACT], options=ExtractOptions(clause_finder=False))
    assert without.terms["governing_law"].confidence is None
    assert without.terms["governing_law"].value == "Delaware"


def test_abstentions_are_stored_and_read_back():
    result = ContractExtraction(source="x.pdf", pages=1, abstained={"agreement_date": "clause finder score 0.1"})
    data = result.to_dict()
    assert data["abstained"] == {"agreement_date": "clause finder score 0.1"}
    assert ContractExtraction.from_dict(data).abstained == result.abstained
    assert "abstained" not in ContractExtraction(source=None, pages=1).to_dict()


def test_choose_threshold_keeps_wrong_values_within_the_bound():
    # 10 judged: 6 correct (scores 0.6-0.9), 2 wrong (scores 0.1, 0.2), 2 absent with nothing given
    items = [("value", "correct", s) for s in (0.6, 0.7, 0.8, 0.9, 0.65, 0.75)]
    items += [("value", "wrong", 0.1), ("none", "wrong", 0.2), ("value", "missing", None),
              ("none", "correctly_absent", None), ("unjudged", "wrong", 0.05)]
    chosen = finder_train.choose_threshold(items, bound=0.05)
    assert chosen["threshold"] > 0.2 and chosen["wrong"] == 0 and chosen["correct"] == 6
    # with a looser bound one wrong value is allowed, but still costs more than it gains here
    assert finder_train.choose_threshold(items, bound=0.5)["threshold"] > 0.2


def test_choose_fill_threshold():
    base = [("value", "correct")] * 5 + [("none", "correctly_absent")] * 5
    # fills: two right at high scores, one wrong at a low score; outcome without the fill: missing
    fills = [("value", "correct", "missing", 0.99), ("value", "correct", "missing", 0.95),
             ("value", "wrong", "missing", 0.4)]
    chosen = finder_train.choose_fill_threshold(base, fills, bound=0.03)
    assert chosen["threshold"] == 0.95 and chosen["correct"] == 7 and chosen["wrong"] == 0
    useless = [("value", "wrong", "missing", 0.9)]
    assert finder_train.choose_fill_threshold(base, useless)["threshold"] is None


@pytest.mark.parametrize("cid", ["a", "Some Contract_2001 EX-10.1", ""])
def test_fold_is_a_function_of_the_id(cid):
    assert finder_train.fold_of(cid) == finder_train.fold_of(cid) in range(finder_train.K)


def test_expiration_from_clause_runs_the_term_reader_on_that_clause_only():
    from clausewatch.extract.context import Context
    from clausewatch.extract.document import Document

    text = ('This Agreement is effective as of January 1, 2020 (the "Effective Date").\n\n'
            "The parties shall meet quarterly. This Agreement shall remain in force for three (3) years "
            "from the Effective Date. The Supplier shall keep records.\n")
    doc = Document([text])
    terms = dict(extract_contract([text], options=ExtractOptions(clause_finder=False)).terms)
    terms["expiration_date"] = terms["initial_term"] = None
    ctx = Context(doc=doc, options=ExtractOptions(), terms=terms)
    before = dict(terms)
    start = text.index("This Agreement shall remain")
    read = finder.expiration_from_clause(ctx, start, text.index("The Supplier"))
    assert read is not None
    expiration, initial = read
    assert expiration.value == "2022-12-31" and "P3Y" in expiration.derivation and initial.value == "P3Y"
    assert ctx.terms == before  # the context is left as it was
    # a clause with no term in it gives nothing
    assert finder.expiration_from_clause(ctx, text.index("The parties"), start) is None


def test_scores_equal_the_features_dot_weights_bit_for_bit():
    # scores() never builds features(): the same floats, or a gate or fill could flip at its threshold
    long_text = (CONTRACT + "\n\n" + " ".join(["the term renews"] * 300) + ". The term renews. The laws apply. "
                 + "1 " * 1000)  # counts past the log table
    toy = _toy()
    toy_pos = finder.Finder(toy.idf, {"governing_law": {**toy.weights["governing_law"], "pos:0": 0.7},
                                      "renewal_term": {"ctx:the": 0.3, "the": -0.2, "pos:9": 1.1}},
                            {"governing_law": -1.0, "renewal_term": 0.2}, {})
    shipped = finder.load_finder()
    assert shipped is not None
    for model in (toy, toy_pos, shipped):
        for text in (CONTRACT, long_text, "x", ""):
            spans, scores = model.scores(text)
            assert scores == model.reference_scores(text)
            assert set(scores) == set(model.weights) and all(len(v) == len(spans) for v in scores.values())
