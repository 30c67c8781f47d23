"""store/models.py's ``bind``: the embedded default starts a moto server on a new port each time
(each test module's service, a restart), and every model of the table must then talk to it. A model
left out of ``bind`` kept the cached client of the first server: the deleted contract's GONE marker
(``GoneItem``) was read from a stopped server, so from the second server on no upload was recorded
(the clean-clone CI of 2026-12-06: 311 failed)."""

from __future__ import annotations

import inspect

import pytest

from clausewatch.store import models

FIRST, SECOND = "http://127.0.0.1:1", "http://127.0.0.1:2"


def _table_models() -> list[type]:
    """Every item class store/models.py defines, by looking, not by its own list."""
    return [cls for _name, cls in inspect.getmembers(models, inspect.isclass)
            if issubclass(cls, models._Item) and cls.__module__ == models.__name__]


@pytest.fixture
def rebound():
    before = models._Item.Meta.table_name, models._Item.Meta.host, models._Item.Meta.region
    yield
    models.bind(before[0], host=before[1], region=before[2])


@pytest.mark.parametrize("model", _table_models(), ids=lambda cls: cls.__name__)
def test_every_model_talks_to_the_endpoint_it_was_last_bound_to(rebound, model):
    models.bind("clausewatch-a", host=FIRST, region="us-east-1")
    assert model._get_connection().connection.host == FIRST  # its client is made, and cached
    models.bind("clausewatch-b", host=SECOND, region="us-east-1")
    connection = model._get_connection()
    assert connection.connection.host == SECOND
    expected = models.config.AUDIT_TABLE_NAME if model is models.AuditItem else "clausewatch-b"
    assert connection.table_name == expected


def test_is_bound_answers_whether_bind_would_change_anything(rebound):
    """The embedded default's reset (every test's cloud) rebinds, dropping every model's connection
    (about 0.1 s each to make again), only when ``is_bound`` says the binding changed."""
    models.bind("clausewatch-a", host=FIRST, region="us-east-1")
    assert models.is_bound("clausewatch-a", host=FIRST, region="us-east-1")
    assert not models.is_bound("clausewatch-a", host=SECOND, region="us-east-1")
    assert not models.is_bound("clausewatch-b", host=FIRST, region="us-east-1")
    assert not models.is_bound("clausewatch-a", host=FIRST, region="eu-west-1")
    assert not models.is_bound("clausewatch-a", host=FIRST, region="us-east-1", audit_table_name="other-audit")
    models.AuditItem.Meta.host = SECOND  # one model pointed elsewhere is a change too
    assert not models.is_bound("clausewatch-a", host=FIRST, region="us-east-1")
