"""Local text extraction on real contracts: the text layer keeps CUAD's words."""

from __future__ import annotations

import json
import re
from collections import Counter

import pytest

from clausewatch.text.local import document_from_pdf


@pytest.mark.cuad
def test_real_contracts_keep_their_words(cuad):
    records = [json.loads(line) for line in (cuad / "labels.jsonl").read_text().splitlines()]
    smallest = sorted(records, key=lambda r: (cuad / r["pdf"]).stat().st_size)[:3]  # keeps it fast

    def words(text: str) -> Counter:
        return Counter(re.findall(r"[a-z0-9]+", text.lower()))

    for record in smallest:
        doc = document_from_pdf((cuad / record["pdf"]).read_bytes())
        for page in doc.pages:
            assert all(page.text[ln.start:ln.end] == ln.text for ln in page.lines)
        reference = words((cuad / record["text"]).read_text())
        found = words("\n".join(doc.page_texts))
        share = sum((reference & found).values()) / sum(reference.values())
        assert share >= 0.98, f"{record['id']}: only {share:.1%} of CUAD's words extracted"
