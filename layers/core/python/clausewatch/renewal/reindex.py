"""``python -m clausewatch.renewal.reindex``: after upgrading a deployed stack to the waiting index
(GSI5 ``WAIT#``), put the renewal decisions already waiting for a person into it, so the daily
sweep keeps sending their heartbeats; and the amendments not applied yet into theirs (GSI5
``AMEND#<team>``), so a contract extracted later is still matched with them; write the date
markers of contracts extracted before they existed (an amendment finds its contract by them),
record that step done (amendments then read one day's markers, not the team's contracts) and let
every amendment still waiting look for its contract again; give each contract deleted before
deletions were marked its GONE marker, tombstone and deletion item (its id and trail stay its
team's; a sync lists it), and mark its money findings as a deletion now does (at stake no longer);
and store the renewal terms the renewals list shows on contracts saved before they were stored;
put the term ends closed done or waived before 2026-12-07 into the renewal calendar (GSI2, each
audited: a term a renewal decision ended, or one a person marked done or waived, is listed for the
days back as ``index_ended_terms`` says);
and flag on Needs attention each recurring duty's rule a person marked done before 2026-12-07
(then "done" also ended a duty: a person reopens it or waives it), listing each; and read from its
stored text the terms each amendment read before 2026-12-07 names as the ones it changes, so its
"no term change was read" flag names them and their entries settle it (``pipeline.amendment_names``). Run once with credentials that may Scan the table (an
operator's, not a function's): ``CLAUSEWATCH_TABLE=<TableName output>
CLAUSEWATCH_AUDIT_TABLE=<AuditTableName output> python -m clausewatch.renewal.reindex`` (a waiting
amendment applied appends to the contracts' audit trails: without the audit table's name it refuses
to start), once every function runs the new version (after ``cdk deploy``
has finished: a function of an older stack writes no markers), after every deploy that upgrades
the stack and after the first. Safe to run again: it only re-saves records with no index keys,
renewal terms, index keys or markers, an amendment applied already is not looked for again, and a rule's flag is
written once."""

from __future__ import annotations

import os
import sys

from .. import config
from ..pipeline.amendment_names import read_names_again
from ..pipeline.record import look_again_for_waiting_amendments
from ..pipeline.rules_marked_done import flag_rules_marked_done
from ..store.money import mark_findings_of_old_deletions
from ..store.repository import (
    index_ended_terms,
    mark_old_deletions,
    reindex_unapplied_amendments,
    store_dated_markers,
    store_renewal_terms,
)
from .store import reindex_waiting

ACTOR = "upgrade"


def main() -> int:
    if not os.environ.get(config.ENV_AUDIT_TABLE):
        print(f"{config.ENV_AUDIT_TABLE} is not set: give the audit table's name (the stack's "
              "AuditTableName output) as well as the table's; nothing was done", file=sys.stderr)
        return 2
    print(f"waiting decisions reindexed: {reindex_waiting()}")
    print(f"unapplied amendments reindexed: {reindex_unapplied_amendments()}")
    print(f"contracts given their renewal terms: {store_renewal_terms()}")
    indexed, not_indexed = index_ended_terms(actor=ACTOR)
    print(f"term ends closed done or waived before 2026-12-07, indexed in the renewal calendar: {indexed}"
          + (f" ({not_indexed} failed: run it again)" if not_indexed else ""))
    print(f"contracts given their date markers: {store_dated_markers()}")
    print(f"contracts deleted before deletions were marked, marked now: {mark_old_deletions()}")
    print(f"findings of deleted contracts marked (at stake no longer): {mark_findings_of_old_deletions()}")
    applied, failed = look_again_for_waiting_amendments(actor=ACTOR)
    print(f"waiting amendments now applied: {applied}" + (f" ({failed} failed: run it again)" if failed else ""))
    flagged, not_flagged = flag_rules_marked_done()
    for rule in flagged:
        print(f"  rule marked done: contract {rule.contract_id}, rule {rule.rule_id}, by {rule.by} "
              f"on {rule.at}, note: {rule.note or '-'}")
    print(f"recurring duties' rules marked done by hand, flagged on Needs attention (reopen or waive each): "
          f"{len(flagged)}" + (f" ({not_flagged} failed: run it again)" if not_flagged else ""))
    named, not_named = read_names_again(actor=ACTOR)
    for read in named:
        print(f"  amendment {read.amendment_id} names {', '.join(read.names_terms)}: an entry of each made "
              f"from now on settles it")
    print(f"amendments read as changing no term, the terms they name read from their text: {len(named)}"
          + (f" ({not_named} failed: run it again)" if not_named else ""))
    return 1 if failed or not_flagged or not_indexed or not_named else 0


if __name__ == "__main__":
    raise SystemExit(main())
