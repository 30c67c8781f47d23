"""People's corrections as training labels (finder_train.with_corrections, `CORRECTIONS=f make
train`): a synthetic corpus, never the real one, and no fitting."""

from __future__ import annotations

import hashlib
import json

from clausewatch import evaluate, finder_train

TERM = ("The term of this Agreement shall be five (5) years from the Launch Date, and it shall "
        "automatically renew for one (1) year periods.")
CONTRACT = ("SUPPLY AGREEMENT\n\nThis Supply Agreement is made as of March 3, 2021 between Acme Corp. and Beta LLC.\n\n"
            "1. Payment. Buyer shall pay each invoice within thirty (30) days.\n\n"
            f"2. Term. {TERM}\n\n"
            "3. Governing Law. This Agreement is governed by the laws of the State of Delaware.\n")


def _id_in(part: str, stem: str) -> str:
    return next(f"{stem}-{n}" for n in range(1000) if evaluate.split_of(f"{stem}-{n}") == part)


def corpus(tmp_path):
    """Two contracts, one of each part, with their texts and PDFs (bytes only: hashed, not read)."""
    rows = []
    for part in ("tuning", "validation"):
        cid = _id_in(part, part)
        (tmp_path / "txt").mkdir(exist_ok=True)
        (tmp_path / "pdf").mkdir(exist_ok=True)
        (tmp_path / "txt" / f"{cid}.txt").write_text(CONTRACT, encoding="utf-8")
        (tmp_path / "pdf" / f"{cid}.pdf").write_bytes(f"%PDF-1.4 {cid}".encode())
        rows.append({"id": cid, "text": f"txt/{cid}.txt", "pdf": f"pdf/{cid}.pdf",
                     "span_offsets": {"Governing Law": [[CONTRACT.index("3. Governing"), len(CONTRACT)]]}})
    (tmp_path / "labels.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return rows


def line(sha: str, field: str = "expiration_date", text: str = TERM.replace(", and", ",\n and")) -> dict:
    return {"contract_id": "0123456789abcdef", "document_sha256": sha, "field": field, "version": 2,
            "corrected_value": "2032-02-29", "author": "a@b.com", "clause": {"page": 1, "start": 0, "end": 9,
                                                                             "text": text}}


def test_a_correction_of_a_tuning_contract_labels_its_clause_and_changes_the_training_rows(tmp_path):
    rows = corpus(tmp_path)
    tuning = [finder_train.contract_examples(r, tmp_path) for r in finder_train.load_tuning(tmp_path)]
    assert [ex["id"] for ex in tuning] == [rows[0]["id"]]
    hashes = finder_train.corpus_hashes(tmp_path)
    sha = hashlib.sha256((tmp_path / rows[0]["pdf"]).read_bytes()).hexdigest()
    assert hashes[sha] == (rows[0]["id"], "tuning")
    assert not any(tuning[0]["labels"]["expiration_date"])  # the corpus highlights no term clause

    exported = tmp_path / "corrections.jsonl"  # as `clausewatch corrections export` writes it
    exported.write_text(json.dumps(line(sha)) + "\n", encoding="utf-8")
    loaded, problems = finder_train.load_corrections(exported)
    assert problems == []
    trained, counts = finder_train.with_corrections(tuning, loaded, hashes)
    assert counts["labelled_tuning_contract"] == 1 and len(trained) == 1
    labels = trained[0]["labels"]["expiration_date"]
    positives = [trained[0]["text"][p.start:p.end] for p, y in zip(trained[0]["spans"], labels) if y]
    assert positives and all("Launch Date" in p or "renew" in p for p in positives)
    assert trained[0]["labels"]["governing_law"] == tuning[0]["labels"]["governing_law"]
    assert not any(tuning[0]["labels"]["expiration_date"])  # the input examples are not changed


def test_a_correction_of_another_document_is_an_example_of_its_own(tmp_path):
    corpus(tmp_path)
    tuning = [finder_train.contract_examples(r, tmp_path) for r in finder_train.load_tuning(tmp_path)]
    trained, counts = finder_train.with_corrections(tuning, [line("f" * 64, "notice_period",
                                                                  "Notice of non-renewal is due ninety days before.")],
                                                    finder_train.corpus_hashes(tmp_path))
    assert counts["own_example"] == 1
    [extra] = trained[1:]
    assert extra["correction"] and all(extra["labels"]["notice_period"])
    assert not any(extra["labels"]["expiration_date"])
    assert extra["counts"][0]["non"] >= 1  # its words are features like any passage's


def test_validation_contracts_bad_lines_and_unscored_fields_are_left_out(tmp_path):
    rows = corpus(tmp_path)
    tuning = [finder_train.contract_examples(r, tmp_path) for r in finder_train.load_tuning(tmp_path)]
    validation_sha = hashlib.sha256((tmp_path / rows[1]["pdf"]).read_bytes()).hexdigest()
    exported = tmp_path / "corrections.jsonl"
    exported.write_text("\n".join([json.dumps(line(validation_sha)), "not json", "[1]",
                                   json.dumps(line("f" * 64, "payment_terms")),
                                   json.dumps({**line("f" * 64), "clause": None})]) + "\n", encoding="utf-8")
    loaded, problems = finder_train.load_corrections(exported)
    assert len(loaded) == 3 and len(problems) == 2 and "corrections.jsonl:2: not JSON" in problems[0]
    trained, counts = finder_train.with_corrections(tuning, loaded, finder_train.corpus_hashes(tmp_path))
    assert trained == tuning
    assert counts == {"lines": 3, "labelled_tuning_contract": 0, "own_example": 0, "validation_left_out": 1,
                      "unusable": 2}


def test_train_model_fits_a_field_only_the_corrections_label(tmp_path):
    """The wiring of `make train` on a synthetic two-contract corpus (seconds): without corrections
    no passage is an expiration clause, so no expiration weights; with one, there are."""
    import pytest

    pytest.importorskip("sklearn", reason="scikit-learn is a dev dependency: pip install -e '.[dev]'")
    rows = corpus(tmp_path)
    sha = hashlib.sha256((tmp_path / rows[0]["pdf"]).read_bytes()).hexdigest()
    plain, examples, _ = finder_train.train_model(tmp_path)
    assert "expiration_date" not in plain["weights"] and "corrections" not in plain
    corrected, with_them, _ = finder_train.train_model(tmp_path, [line(sha)])
    assert "expiration_date" in corrected["weights"]
    assert corrected["corrections"]["labelled_tuning_contract"] == 1
    assert corrected["contracts"] == plain["contracts"] == 1 and corrected["min_passages"] == plain["min_passages"]
    assert len(with_them) == len(examples)  # relabelled in place of the contract, no example added
