"""Parties and their defined roles, from the preamble: 'by and between Northwind Analytics, Inc.,
a Delaware corporation ("Provider"), and Contoso Ltd. ("Customer")'."""

from __future__ import annotations

import re

from .document import Document
from .model import Party

F = re.IGNORECASE

_BETWEEN = re.compile(r"\b(?:by\s+and\s+between|by\s+and\s+among|between|among)\b\s*:?|^\s*PARTIES\s*:?\s*$",
                      F | re.MULTILINE)
_ROLE = re.compile(
    r"\(\s*(?:each\s+(?:a|an)\s+|individually\s+|together\s+|collectively\s+)?(?:hereinafter\s+|herein\s+|below\s+)?"
    r"(?:(?:referred\s+to\s+|defined\s+)?(?:herein\s+)?as\s+|called\s+|known\s+as\s+)?(?:the\s+|\"the\s+)?"
    r"\"(?P<role>[^\"()]{1,40})\"", F)
_NAME_END = re.compile(
    r",\s*(?:a|an|the|with|having|whose|located|organized|incorporated|acting|its|which|who|on\s+behalf|"
    r"doing\s+business|d/b/a|residing|hereinafter|registered|existing|duly|[0-9])\b|\s\(|,?\s+of\s+\d|,\s*\d", F)
_NOT_ROLES = {"party", "parties", "agreement", "effective date", "this agreement", "contract", "amendment",
              "commencement date", "execution date"}


_PARTY_LIST_END = re.compile(r"\bWHEREAS\b|\bRECITALS?\b|\bBACKGROUND\b|\bWITNESSETH\b|\bNOW,?\s+THEREFORE\b|"
                             r"\n\s*(?:1\.|ARTICLE\s+(?:1|I)\b|Section\s+1\b)", F)
_NOT_A_NAME = re.compile(r"^(?:a|an|the|with|to|as|under|or|and|is|are|was|entered|pursuant|together|collectively|each|"
                         r"having|whose|which|who|for|in|of|on|by|its|their|this|that|such)\b", F)


# "Party A: Beike Internet Security Technology Co., Ltd." (a line of its own, common in translated contracts)
_PARTY_LINE = re.compile(r"(?:^|\n)[ \t]*(?P<role>Party\s+[A-D])\s*[:：][ \t]*(?P<name>[A-Z0-9][^\n]{1,118})")


def read_parties(doc: Document, start: int, end: int) -> list[Party]:
    """Each party named in the preamble with the role it is defined as (in order); stops where
    the recitals or the first section begin, so later defined terms are not taken for parties.
    Translated contracts list them on lines of their own ("Party A: ...")."""
    parties = _read_defined_parties(doc, start, end)
    return parties if parties else _read_party_lines(doc, start, end)


def _read_party_lines(doc: Document, start: int, end: int) -> list[Party]:
    parties: list[Party] = []
    for m in _PARTY_LINE.finditer(doc.text, 0, end):
        role = re.sub(r"\s+", " ", m.group("role"))
        name = re.sub(r"\s+", " ", m.group("name")).strip().rstrip(",;")
        if role in {p.role for p in parties} or len(name.split()) > 14 or re.match(r"(?:Address|Tel|Fax)\b", name):
            continue
        parties.append(Party(name=name, role=role, evidence=doc.evidence(m.start("role"), m.end("name"))))
    return parties


def _read_defined_parties(doc: Document, start: int, end: int) -> list[Party]:
    text = doc.text
    m = _BETWEEN.search(text, start, end)
    if not m:
        return []
    parties: list[Party] = []
    cursor = m.end()
    stop = min(end, m.end() + 2500)
    list_end = _PARTY_LIST_END.search(text, cursor, stop)
    if list_end:
        stop = list_end.start()
    for r in _ROLE.finditer(text, cursor, stop):
        role = re.sub(r"\s+", " ", r.group("role")).strip()
        segment_start = cursor
        segment = text[segment_start:r.start()]
        cursor = r.end()
        # the name follows the previous party's role: '("Licensor"); and (2) ASHDOWN ...' or
        # '..., a Massachusetts business trust, and Potomac Fund Management, Inc.'
        # a title block may name the parties before the preamble does: read after the last "between"
        again = list(re.finditer(r"\b(?:by\s+and\s+)?(?:between|among)\s*:?[ \t]*\n", segment, F))
        base = again[-1].end() if again else 0
        lead = re.match(r"[\s,;:)\"]*(?:-\s*)?(?:and\s+)?(?:-\s*)?(?:\(\s*(?:\d{1,2}|[a-z]|[ivx]+)\s*\)\s*)?",
                        segment[base:])
        offset = base + (lead.end() if lead else 0)
        if parties and _NOT_A_NAME.match(segment[offset:]):
            sep = re.search(r"(?:^|[,;)\s])and\s+(?:\(\s*(?:\d{1,2}|[a-z]|[ivx]+)\s*\)\s*)?(?=[A-Z0-9])",
                            segment[offset:])
            if sep:
                offset += sep.end()
        name_end = _NAME_END.search(segment, offset)
        raw = segment[offset:name_end.start() if name_end else len(segment)]
        raw = raw.strip().rstrip(",").strip()
        if role.lower() in _NOT_ROLES or not raw or len(raw) > 120 or len(raw.split()) > 12:
            continue
        if not re.match(r"[A-Z0-9]", raw) or _NOT_A_NAME.match(raw) or re.search(r"\bWHEREAS\b|\bdated\b", raw, F):
            continue
        if re.search(r"\bagreement\b", raw, F) and len(raw) > 60:
            continue
        name = re.sub(r"\s+", " ", raw)
        s0 = segment_start + offset
        parties.append(Party(name=name, role=role, evidence=doc.evidence(s0, r.end() + 1)))
        if len(parties) >= 6:
            break
        # stop once the preamble's party list is over
        if re.match(r"\s*\)?\s*[.]", text[r.end():r.end() + 4]) and len(parties) >= 2:
            break
    return parties
