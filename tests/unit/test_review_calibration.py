"""Choosing the review threshold (config.REVIEW_CONFIDENCE_BELOW) from out-of-fold confidences:
constructed cases (the corpus run is `python -m clausewatch.review_calibration`)."""

from __future__ import annotations

from clausewatch.review_calibration import choose_review_threshold, side_counts


def test_side_counts_split_values_at_the_threshold():
    values = [(0.1, True), (0.3, False), (0.5, True), (0.9, False), (0.95, False)]
    row = side_counts(values, 0.5)
    assert (row["below"], row["wrong_below"], row["above"], row["wrong_above"]) == (2, 1, 3, 1)
    assert row["wrong_share_below"] == 0.5 and row["wrong_share_above"] == 0.333


def test_the_threshold_that_separates_wrong_from_correct_values():
    # wrong values score under 0.3, correct ones from 0.32 up (and one low correct value)
    values = [(0.12, True), (0.2, True), (0.28, True), (0.1, False)] + [(0.32 + 0.01 * i, False) for i in range(40)]
    chosen = choose_review_threshold(values)
    assert chosen["threshold"] == 0.3
    assert chosen["wrong_below"] == 3 and chosen["below"] == 4
    assert chosen["separates"] is True


def test_ties_go_to_the_lower_threshold_and_no_wrong_value_separates_nothing():
    values = [(0.07, True), (0.5, False), (0.6, False)]
    # every threshold from 0.1 to 0.5 marks the one wrong value and no correct one: the lowest wins
    assert choose_review_threshold(values)["threshold"] == 0.1
    none_wrong = choose_review_threshold([(0.4, False), (0.9, False)])
    assert none_wrong["separates"] is False


def test_validation_summary_counts_marked_and_unmarked_values_without_naming_a_contract():
    from clausewatch.review_calibration import validation_summary

    values = [("agreement_date", 0.2, True), ("agreement_date", 0.95, False), ("notice_period", 0.5, False),
              ("notice_period", 0.99, True), ("governing_law", 1.0, False)]
    lines = validation_summary(values, 0.9)
    assert lines[0] == ("validation at 0.9: 5 values, 2 wrong; marked 2, 1 wrong (0.5); unmarked 3, 1 wrong "
                        "(0.333); wrong values marked 1 of 2")
    by_field = {line.split(":")[0].strip(): line.strip() for line in lines[1:]}
    assert by_field["notice_period"].startswith("notice_period: 2 values, 1 wrong; marked 1, 0 wrong (0.0); "
                                                "unmarked 1, 1 wrong (1.0)")
    assert len(lines) == 7  # overall and the six fields, one line each
