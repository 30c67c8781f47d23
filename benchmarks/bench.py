"""`make bench`: speed figures and their targets. Timed here, never in the test suite.

Measures, on this machine: local text extraction (ms/page), term extraction (ms/contract),
reminder planning (µs/deadline) and the whole embedded pipeline (s/contract, upload to schedules).
Real contracts from ../shared/cuad are used when present; the samples otherwise. Exit status 1
when a target is missed.
"""

from __future__ import annotations

import statistics
import sys
import time
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
CUAD_PDF = REPO.parent / "shared" / "cuad" / "pdf"
SAMPLES = REPO / "samples"

# (name, unit, target): the figure must stay at or under the target
TARGETS = {
    "text extraction (local text layer)": ("ms/page", 60.0),
    "term extraction": ("ms/contract", 250.0),
    "reminder planning": ("µs/deadline", 500.0),
    "pipeline on the embedded default": ("s/contract", 2.0),
}


def _pdfs(limit: int) -> list[Path]:
    pdfs = sorted(CUAD_PDF.glob("*.pdf"))[:limit] if CUAD_PDF.exists() else []
    return pdfs or sorted(p for p in SAMPLES.glob("*.pdf") if p.name != "bad-upload.pdf")


def bench_text_and_terms(limit: int = 25) -> dict[str, float]:
    from clausewatch.extract import extract_contract
    from clausewatch.text.local import document_from_pdf
    from clausewatch.text.validate import InvalidDocument

    page_ms, contract_ms = [], []
    for path in _pdfs(limit):
        data = path.read_bytes()
        started = time.perf_counter()
        try:
            document = document_from_pdf(data)
        except InvalidDocument:
            continue
        page_ms.append((time.perf_counter() - started) * 1000 / max(1, len(document.pages)))
        started = time.perf_counter()
        extract_contract(document.page_texts, source=path.name)
        contract_ms.append((time.perf_counter() - started) * 1000)
    return {"text extraction (local text layer)": statistics.median(page_ms),
            "term extraction": statistics.median(contract_ms)}


def bench_planning(count: int = 2000) -> float:
    from clausewatch.plan import ContractInfo, Deadline, plan_reminders

    contract = ContractInfo("0123456789abcdef", "Bench", None, "o@example.com", "t", None,
                            "America/New_York", "US-NY")
    deadlines = [Deadline(f"ob-{i}", "deliverable", "x", date(2027, 1, 1) + timedelta(days=i % 300),
                          None, None, "", "") for i in range(count)]
    started = time.perf_counter()
    plan_reminders(contract, deadlines, datetime(2026, 11, 25, 12, tzinfo=timezone.utc))
    return (time.perf_counter() - started) * 1e6 / count


def bench_pipeline() -> float:
    import json

    from clausewatch.local.cloud import LocalCloud

    metadata = json.loads((SAMPLES / "metadata.json").read_text())
    files = [p for p in sorted(SAMPLES.glob("*.pdf")) if p.name != "bad-upload.pdf"]
    with LocalCloud() as cloud:
        started = time.perf_counter()
        for path in files:
            cloud.upload(path, metadata.get(path.name, {}))
        cloud.pump()
        return (time.perf_counter() - started) / len(files)


def main() -> int:
    source = "CUAD PDFs" if CUAD_PDF.exists() else "samples (../shared/cuad absent)"
    figures = bench_text_and_terms()
    figures["reminder planning"] = bench_planning()
    figures["pipeline on the embedded default"] = bench_pipeline()
    print(f"clausewatch benchmarks (text/terms on {source}; medians)\n")
    missed = 0
    for name, value in figures.items():
        unit, target = TARGETS[name]
        ok = value <= target
        missed += not ok
        print(f"  {name:<36} {value:9.2f} {unit:<12} target <= {target:g}  {'ok' if ok else 'MISSED'}")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.path.insert(0, str(REPO / "layers" / "core" / "python"))
    raise SystemExit(main())
