"""store/models.py's ``_Item.from_raw_data`` (every item a read turns into a model) makes what
pynamodb's own makes: the same values, defaults and errors, for every model of the table, on
random items with attributes missing, NULL, empty, of the wrong type, and unknown."""

from __future__ import annotations

import json
import random

import pytest
from pynamodb.attributes import (
    BooleanAttribute,
    JSONAttribute,
    NumberAttribute,
    UnicodeAttribute,
)
from pynamodb.models import Model

from clausewatch.renewal import store as renewal_store  # noqa: F401  (its models subclass _Item)
from clausewatch.store import models


def _models() -> list[type]:
    found, todo = [], [models._Item]
    while todo:
        cls = todo.pop()
        found.append(cls)
        todo.extend(cls.__subclasses__())
    return found


def _value(rng: random.Random, attr, odd: float = 0.08) -> dict:
    """A raw value for ``attr``: NULL or of the wrong type with probability ``odd`` (5:3)."""
    roll = rng.random()
    if roll < odd * 5 / 8:
        return {"NULL": True}
    if roll < odd:  # the wrong type: pynamodb's error either way
        return {"BOOL": True} if not isinstance(attr, BooleanAttribute) else {"S": "x"}
    if isinstance(attr, BooleanAttribute):
        return {"BOOL": rng.random() < 0.5}
    if isinstance(attr, NumberAttribute):
        return {"N": str(rng.choice([0, 1, -3, 2.5, 10 ** 12]))}
    if isinstance(attr, JSONAttribute):
        return {"S": json.dumps(rng.choice([{}, [], {"a": [1, {"b": None}]}, "text", 3, None]))}
    assert isinstance(attr, UnicodeAttribute), type(attr)
    return {"S": rng.choice(["", "x", "C#abc", "é ünïcode", "2027-01-31"])}


def _raw(rng: random.Random, cls: type) -> dict:
    raw = {"unknown_attribute": {"S": "ignored"}}
    attributes = list(cls.get_attributes().values())
    # about half the items hold an odd value however many attributes the model has (a model that
    # grew past a hundred attributes made an item pynamodb reads in under a third of the tries)
    odd = min(0.08, 1.2 / len(attributes))
    for attr in attributes:
        if rng.random() < 0.75:
            raw[attr.attr_name] = _value(rng, attr, odd)
    return raw


def _theirs(cls: type, raw: dict):
    return Model.from_raw_data.__func__(cls, raw)  # pynamodb's own, past our override


def _outcome(read, cls, raw):
    try:
        made = read(cls, raw)
    except Exception as error:  # the error itself is compared
        return ("error", type(error), str(error))
    # with each value's type: 1, 1.0 and True are equal values but not the same read
    return ("made", type(made), {name: (type(value), value) for name, value in made.attribute_values.items()})


@pytest.mark.parametrize("cls", _models(), ids=lambda c: c.__name__)
def test_a_read_item_becomes_the_model_pynamodb_makes(cls):
    assert models._read_plan(cls) is not None  # every model takes the short way
    rng = random.Random(cls.__name__)
    errors = made = 0
    for _ in range(300):
        raw = _raw(rng, cls)
        ours, theirs = _outcome(lambda c, r: c.from_raw_data(r), cls, raw), _outcome(_theirs, cls, raw)
        assert ours == theirs, raw
        errors += ours[0] == "error"
        made += ours[0] == "made"
    assert made > 100 and errors > 0  # both outcomes were compared


@pytest.mark.parametrize("cls", [c for c in _models() if any(
    callable(a.default) for a in c.get_attributes().values())], ids=lambda c: c.__name__)
def test_a_default_made_by_a_factory_is_a_new_object_for_each_model(cls):
    """``default=dict`` or ``default=list``: two models read from the same item share no default
    object, so changing one model's leaves the other's as it was."""
    raw = {"pk": {"S": "a"}, "sk": {"S": "b"}, "item_type": {"S": "x"}}
    first, second = cls.from_raw_data(raw), cls.from_raw_data(raw)
    factories = [name for name, attr in cls.get_attributes().items() if callable(attr.default)]
    for name in factories:
        value = getattr(first, name)
        assert value == getattr(_theirs(cls, raw), name)
        assert value is not getattr(second, name)


def test_a_map_attribute_is_set_through_its_own_descriptor():
    """A map attribute (none in the table's models today) sets itself its own way: the same model
    as pynamodb's."""
    from pynamodb.attributes import MapAttribute

    class WithMap(models._Item):
        class Meta(models._Meta):
            pass

        settings = MapAttribute(null=True)

    assert models._read_plan(WithMap) is not None
    raw = {"pk": {"S": "a"}, "sk": {"S": "b"}, "item_type": {"S": "x"}, "settings": {"M": {"k": {"S": "v"}}}}
    ours, theirs = WithMap.from_raw_data(raw), _theirs(WithMap, raw)
    assert ours.settings.as_dict() == theirs.settings.as_dict() == {"k": "v"}
    assert ours.attribute_values.keys() == theirs.attribute_values.keys()
    assert isinstance(ours.settings, MapAttribute) and ours.pk == "a"
