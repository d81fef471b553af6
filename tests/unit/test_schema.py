"""`Ruleset.schema()`: a JSON Schema of the inputs that agrees with the evaluator."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import indikator
from indikator.testing import inputs_for

jsonschema = pytest.importorskip("jsonschema")

SMALL = """
ruleset kecil { title "Contoh kecil" en "Small example" }
input kode "Kode" en "Code": text
input a "Akta" en "Birth certificates": percent { missing zero agency "Disdukcapil" }
input b "Jumlah posyandu" en "Health posts": count
input c "Perda" en "By-law": option("belum_ada", "ada")
input d "Forum anak" en "Children's forum": yesno
input e "Layanan" en "Services": checklist("x", "y")
indicator s = bands a { [0, 50) -> 0  [50, 100] -> 1 }
indicator t = options c { "belum_ada" -> 0 "ada" -> 1 }
indicator u = if d then 1 else 0
indicator v = bands b { [0, 5) -> 0  [5, inf) -> 1 }
indicator w = bands e { [0, 1) -> 0  [1, 2] -> 1 }
"""
GOOD = {"kode": "01", "a": 81.5, "b": 7, "c": "ada", "d": True, "e.x": "ya", "e.y": False}


def _valid(schema: dict[str, Any], region: dict[str, Any]) -> bool:
    return bool(_validator(schema).is_valid(region))


def _validator(schema: dict[str, Any]) -> Any:
    return jsonschema.Draft202012Validator(schema)


def _accepted(ruleset: indikator.Ruleset, region: dict[str, Any]) -> bool:
    try:
        ruleset.evaluate(region)
    except indikator.DataError:
        return False
    return True


def test_the_schema_is_a_valid_draft_2020_12_schema() -> None:
    for ruleset in (indikator.loads(SMALL), indikator.load_ruleset("kla")):
        schema = ruleset.schema()
        assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
        jsonschema.Draft202012Validator.check_schema(schema)


def test_what_the_schema_says_of_each_kind() -> None:
    schema = indikator.loads(SMALL).schema("en")
    assert schema["title"] == "Small example"
    props = schema["properties"]
    assert list(props) == ["kode", "a", "b", "c", "d", "e.x", "e.y"]  # a checklist's items
    assert schema["required"] == list(props)
    assert schema["additionalProperties"] is False
    assert props["a"]["type"] == ["number", "null"]  # missing zero: may be empty
    assert (props["a"]["minimum"], props["a"]["maximum"]) == (0, 100)
    assert props["a"]["x-indikator"]["unit"] == "%"
    assert props["a"]["x-indikator"]["agency"] == "Disdukcapil"
    assert props["a"]["x-indikator"]["label"] == {"id": "Akta", "en": "Birth certificates"}
    assert props["a"]["title"] == "Birth certificates"
    assert props["b"]["type"] == "integer"  # a count, and `missing error`: never null
    assert [o["const"] for o in props["c"]["oneOf"]] == ["belum_ada", "ada"]
    assert indikator.loads(SMALL).schema()["properties"]["a"]["title"] == "Akta"


@pytest.mark.parametrize(
    ("change", "why"),
    [
        ({}, None),
        ({"a": None}, None),  # missing zero
        ({"d": "tidak", "e.x": 1}, None),
        ({"a": 100.5}, "above the range"),
        ({"b": 2.5}, "a count is whole"),
        ({"b": None}, "missing error"),
        ({"c": "Ada"}, "an option is its id"),
        ({"d": 2}, "not a yes/no"),
        ({"e.x": None}, "missing error: a checklist item must be answered"),
        ({"zz": 1}, "not an input"),
    ],
)
def test_good_and_bad_regions(change: dict[str, Any], why: str | None) -> None:
    ruleset = indikator.loads(SMALL)
    region = {**GOOD, **change}
    assert _valid(ruleset.schema(), region) is (why is None)
    assert _accepted(ruleset, region) is (why is None)


def test_a_missing_column_is_refused_by_both() -> None:
    ruleset = indikator.loads(SMALL)
    region = {k: v for k, v in GOOD.items() if k != "a"}
    assert not _valid(ruleset.schema(), region)
    assert not _accepted(ruleset, region)


def _bad_values(ruleset: indikator.Ruleset, column: str) -> list[Any]:
    """Values the evaluator must refuse in `column`, by its declared kind."""
    name = column.split(".", maxsplit=1)[0]
    spec = next(s for s in ruleset.plan.inputs if s.name == name)
    bad: list[Any] = [] if spec.kind == "text" else [[1]]  # a list is never a number
    if spec.kind in ("number", "percent", "count"):
        if spec.high is not None:
            bad.append(spec.high + 1)
        if spec.low is not None:
            bad.append(spec.low - 1)
        if spec.kind == "count":
            bad.append(1.5)
    if spec.kind == "option":
        bad.append("bukan_pilihan")
    if spec.kind in ("yesno", "checklist"):
        bad.append(7)
    if spec.missing == "error":
        bad.append(None)
    return bad


SHIPPED = [("kla", None), ("kks", 2025), ("stunting", 2024)]


@pytest.mark.parametrize(("scheme", "edition"), SHIPPED)
@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_the_schema_agrees_with_the_evaluator(
    scheme: str, edition: int | None, data: st.DataObject
) -> None:
    """Drawn regions: both accept; one cell made bad (or dropped, or added): both refuse."""
    ruleset = indikator.load_ruleset(scheme, edition)
    schema = ruleset.schema()
    region = data.draw(inputs_for(ruleset))
    assert _valid(schema, region)
    assert _accepted(ruleset, region)
    column = data.draw(st.sampled_from(sorted(region)))
    spoiled = [
        *({**region, column: value} for value in _bad_values(ruleset, column)),
        {k: v for k, v in region.items() if k != column},
        {**region, "kolom_lain": 1},
    ]
    for bad in spoiled:
        if column == ruleset.plan.region and bad.get(column) is not None:
            continue  # any text is an id
        assert not _valid(schema, bad), bad
        assert not _accepted(ruleset, bad), bad
