"""``python -m clausewatch.renewal.reindex``: after upgrading a deployed stack to the waiting index
(GSI5 ``WAIT#``), put the renewal decisions already waiting for a person into it, so the daily
sweep keeps sending their heartbeats; and the amendments not applied yet into theirs (GSI5
``AMEND#<team>``), so a contract extracted later is still matched with them; write the date
markers of contracts extracted before they existed (an amendment finds its contract by them) and
record that step done (amendments then read one day's markers, not the team's contracts); and
store the renewal terms the renewals list shows on contracts saved before they were stored. Run once with credentials that may Scan the table (an
operator's, not a function's): ``CLAUSEWATCH_TABLE=<physical table name> python -m
clausewatch.renewal.reindex``, after every deploy that upgrades the stack and after the first.
Safe to run again: it only re-saves records with no index keys, renewal terms or markers."""

from __future__ import annotations

from ..store.repository import reindex_unapplied_amendments, store_dated_markers, store_renewal_terms
from .store import reindex_waiting


def main() -> int:
    print(f"waiting decisions reindexed: {reindex_waiting()}")
    print(f"unapplied amendments reindexed: {reindex_unapplied_amendments()}")
    print(f"contracts given their renewal terms: {store_renewal_terms()}")
    print(f"contracts given their date markers: {store_dated_markers()}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
