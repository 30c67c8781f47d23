"""Whether a document reads as a contract at all (QA5 10a: a one-page newsletter dropped in was
recorded as an extracted contract with every term empty, and nothing said so).

The rule uses what the readers already found, and one count of the words contracts are written
in. A document is flagged for a person's review when all of these hold:

- it is not an amendment (``read_amendment`` found none);
- no parties were read from its preamble;
- none of the key terms was read (``KEY_TERMS``: agreement or effective date, term, expiration,
  renewal, notice period, governing law, termination for convenience);
- contract wording ("agreement", "contract", "party", "hereby", "hereto", ...) occurs fewer than
  ``MIN_CONTRACT_WORDS`` times.

On CUAD's 410 contracts (``../shared/cuad/txt``) it flags none: the fewest mentions of contract
wording in one with no party and no key term read is 2 (a state addendum to a franchise
disclosure). The flag changes nothing else: the document stays EXTRACTED with its text, a person
enters its terms (which clears the flag, ``pipeline/entries.py``), says it is a contract
(``pipeline/actions.dismiss_not_a_contract``) or deletes it.
"""

from __future__ import annotations

import re
from typing import Any

from .model import ContractExtraction

NOT_A_CONTRACT = "not_a_contract"  # the attention flag's kind

KEY_TERMS = ("agreement_date", "effective_date", "initial_term", "expiration_date", "auto_renewal",
             "renewal_term", "notice_period", "governing_law", "termination_for_convenience")
CONTRACT_WORDING = re.compile(
    r"\b(?:agreements?|contracts?|part(?:y|ies)|hereby|hereto|hereunder|herein|hereof|witnesseth)\b", re.I)
MIN_CONTRACT_WORDS = 2


def contract_wording(text: str) -> int:
    """How many times the document uses the words contracts are written in."""
    return sum(1 for _ in CONTRACT_WORDING.finditer(text))


def not_a_contract_flag(text: str, result: ContractExtraction) -> dict[str, Any] | None:
    """The attention flag for a document that does not read as a contract, or None. Its message
    says what was looked for and not found, so a person can judge it."""
    if result.is_amendment or result.parties or any(result.terms.get(name) is not None for name in KEY_TERMS):
        return None
    wording = contract_wording(text)
    if wording >= MIN_CONTRACT_WORDS:
        return None
    found = "no contract wording" if wording == 0 else "contract wording only once"
    return {"kind": NOT_A_CONTRACT, "term": None, "candidates": [],
            "message": (f"does not read as a contract: no parties, no agreement date, term, renewal or "
                        f"governing law, and {found} (agreement, contract, party, hereto ...). Check the "
                        f"file: enter its terms if it is a contract, or delete it")}
