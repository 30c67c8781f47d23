"""What a pipeline test starts from when it plays an invocation's part itself."""

from __future__ import annotations

from clausewatch.pipeline.intake import contract_id_for
from clausewatch.store import repository as repo
from clausewatch.text.validate import sha256_hex
from tests.paths import SAMPLES, sample_metadata


def as_ingest_leaves_it(name: str):
    """A sample's contract record in RECEIVED and its extraction: what an invocation holds when it
    records the extraction."""
    from clausewatch.extract import extract_contract
    from clausewatch.text.local import document_from_pdf

    data = (SAMPLES / name).read_bytes()
    item = repo.create_contract(contract_id_for(sha256_hex(data)), file_name=name, source_key=f"inbox/{name}",
                                sha256=sha256_hex(data), size_bytes=len(data),
                                metadata=sample_metadata()[name], actor="test")
    return item, extract_contract(document_from_pdf(data).page_texts, source=name)


def before_the_markers_upgrade() -> None:
    """The table as a deployed one is before its operator ran the upgrade that marks the contracts
    extracted before date markers existed (``repo.store_dated_markers``): not recorded done, so an
    amendment's look reads the team's extracted contracts too."""
    from clausewatch import schema
    from clausewatch.store.models import UpgradeItem

    UpgradeItem(schema.UPGRADE_PK, schema.UPGRADE_DATED_MARKERS).delete()
    repo._UPGRADED.clear()  # what this process remembers of it, as a cold container
    assert not repo.upgraded(schema.UPGRADE_DATED_MARKERS)
