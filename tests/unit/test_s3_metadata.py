"""S3 user metadata is US-ASCII (REST API): a value in any other script travels RFC 2047-encoded
(``=?UTF-8?B?...?=``, as S3 itself returns one) and reads back exactly as written; an ASCII value
is sent byte for byte as it is."""

from __future__ import annotations

import base64
import re

import pytest

from clausewatch.aws.s3 import (
    USER_METADATA_MAX_BYTES,
    UnstorableMetadata,
    metadata_bytes,
    metadata_text,
    metadata_value,
)
from clausewatch.pipeline.intake import normalise_metadata

ENCODED_WORD = re.compile(r"^=\?UTF-8\?B\?[A-Za-z0-9+/=]+\?=$")

NAMES = [
    "شركة الخليج للتجارة والمقاولات ذ.م.م",  # Arabic, right to left
    "北京字节跳动科技有限公司",  # Chinese
    "Ελληνικά Πετρέλαια Α.Ε.",  # Greek
    "Société Générale",  # accented Latin: not ASCII either
    "Müller & Söhne GmbH (Zürich) / شركة",  # mixed scripts and ASCII punctuation
    "ACME 👩‍👩‍👧 🇬🇷 Ltd",  # emoji: four-byte characters and joiner sequences
    "東京海上日動火災保険株式会社" * 12,  # long: many encoded-words
    "  two  spaces  inside  ",  # ASCII: runs of spaces kept as they are
]


@pytest.mark.parametrize("name", NAMES)
def test_a_value_in_any_script_reads_back_exactly(name):
    value = metadata_value(name)
    assert metadata_text(value) == name
    assert value.isascii() and value.isprintable()


@pytest.mark.parametrize("name", [n for n in NAMES if not n.isascii()])
def test_non_ascii_is_rfc2047_encoded_words_of_whole_characters(name):
    words = metadata_value(name).split(" ")
    assert all(ENCODED_WORD.match(word) and len(word) <= 75 for word in words)
    # each word decodes on its own: no character is split between two words
    assert "".join(base64.b64decode(w[10:-2]).decode("utf-8") for w in words) == name


@pytest.mark.parametrize("value", ["Northwind Analytics, Inc.", "a=?b", "America/New_York", "x" * 1000, ""])
def test_an_ascii_value_is_sent_byte_for_byte(value):
    assert metadata_value(value) == value
    assert metadata_text(value) == value


def test_a_value_that_is_no_text_cannot_be_stored_and_says_why():
    with pytest.raises(UnstorableMetadata, match=r"not valid Unicode text .*U\+D800, at character 5"):
        metadata_value("Acme\ud800")
    kept, notes = normalise_metadata({"counterparty": "Acme\ud800", "team": "ops"})
    assert kept == {"team": "ops"} and notes == [
        "counterparty refused: it is not valid Unicode text (a lone surrogate, U+D800, at character 5)"]


def test_intake_reads_the_real_name_from_either_encoding():
    """S3 returns a value it was given in UTF-8 encoded its own way (any case, Q or B)."""
    arabic = "شركة الخليج"
    for value in (metadata_value(arabic), f"=?utf-8?b?{base64.b64encode(arabic.encode()).decode()}?=",
                  "=?UTF-8?Q?Soci=C3=A9t=C3=A9_G=C3=A9n=C3=A9rale?="):
        kept, notes = normalise_metadata({"counterparty": value})
        assert notes == [] and kept["counterparty"] in (arabic, "Société Générale")


def test_the_size_s3_counts_is_keys_and_values_in_bytes():
    stored = {"counterparty": metadata_value("€" * 100), "team": "ops"}
    assert metadata_bytes(stored) == len("counterparty") + len(stored["counterparty"]) + len("teamops")
    assert USER_METADATA_MAX_BYTES == 2048
