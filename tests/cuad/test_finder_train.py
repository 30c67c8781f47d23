"""The shipped clause finder is what `make train` fits from ../shared/cuad (the model part: the
vocabulary, idf, weights and intercepts; the thresholds need the extractor run over the whole tuning
part and are checked by the unit tests of their choice)."""

from __future__ import annotations

import json

import pytest

from clausewatch.extract import finder


@pytest.mark.cuad
def test_shipped_finder_equals_what_training_produces(cuad):
    pytest.importorskip("sklearn", reason="scikit-learn (the dev extra) fits the finder")
    from clausewatch import finder_train

    params, examples, _ = finder_train.train_model(cuad)
    shipped = json.loads(finder.PARAMS_FILE.read_text(encoding="utf-8"))
    assert params["contracts"] == shipped["contracts"] == len(examples)
    for key in ("idf", "intercepts", "weights"):
        assert params[key] == shipped[key], f"{key} differs: run `make train` and commit the file"
