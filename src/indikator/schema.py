"""A JSON Schema (draft 2020-12) of one region's inputs, for web forms and API bodies.

Input: the plan's inputs and their declarations. Output: a schema of the object that
`Ruleset.evaluate` takes: one property per data column (a checklist's items as `x.item`,
`x.prev` where the previous value is read), every column required, no other property.

What the schema says, column by column:

* number, percent and count: a JSON number (an integer for a count) within the declared
  range; `null` too where an empty value is allowed (`missing zero` or `exclude`);
* yes/no and checklist items: `true`/`false`, `1`/`0`, or a yes/no word the readers know
  ('ya', 'tidak', ...); `null` where an empty value is allowed;
* option: one of the option ids (`oneOf` of `const`s, each titled);
* text (region id, name, province): a string.

A form that sends what the schema allows is accepted by the evaluator. The evaluator is
more forgiving (it also reads '85' as 85 or 'YA' as yes, as data files write them); the
schema states the strict form a program should send. Titles are in `lang`; the
`x-indikator` keyword of each property carries the labels in both languages, the unit,
the agency, the missing-data policy, the note and the evidence (*data dukung*) it needs.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from indikator import nodes as n
from indikator.cells import YES_NO
from indikator.layout import humane
from indikator.plan import InputSpec, Plan

__all__ = ["DRAFT", "input_schema"]

DRAFT = "https://json-schema.org/draft/2020-12/schema"

_UNITS = {"percent": "%"}


def input_schema(
    plan: Plan,
    declarations: Mapping[str, n.Input],
    *,
    title: str,
    lang: str = "id",
) -> dict[str, Any]:
    """The schema of one region's inputs (see the module's docstring)."""
    properties: dict[str, Any] = {}
    for spec in plan.inputs:
        declared = declarations.get(spec.name)
        for column, value in _columns(spec):
            properties[column] = {**value, **_about(spec, declared, lang)}
    return {
        "$schema": DRAFT,
        "title": title,
        "type": "object",
        "properties": properties,
        "required": list(properties),
        "additionalProperties": False,
    }


def _columns(spec: InputSpec) -> list[tuple[str, dict[str, Any]]]:
    """The data columns of an input and the schema of each value."""
    nullable = spec.missing != "error"
    if spec.kind == "checklist":
        return [(f"{spec.name}.{item}", _yes_no(nullable=nullable)) for item in spec.choices]
    value = _value(spec, nullable=nullable)
    columns = [(spec.name, value)]
    if spec.needs_prev:
        columns.append((f"{spec.name}.prev", value))
    return columns


def _value(spec: InputSpec, *, nullable: bool) -> dict[str, Any]:
    match spec.kind:
        case "yesno":
            return _yes_no(nullable=nullable)
        case "option":
            choices = [{"const": c, "title": humane(c)} for c in spec.choices]
            return {"oneOf": [*choices, *([{"type": "null"}] if nullable else [])]}
        case "text":
            return {"type": ["string", "null"] if nullable else "string"}
        case _:
            kind = "integer" if spec.kind == "count" else "number"
            schema: dict[str, Any] = {"type": [kind, "null"] if nullable else kind}
            if spec.low is not None:
                schema["minimum"] = spec.low
            if spec.high is not None:
                schema["maximum"] = spec.high
            return schema


def _yes_no(*, nullable: bool) -> dict[str, Any]:
    words = sorted(word for word in YES_NO if not word.replace(".", "").isdigit())
    options: list[dict[str, Any]] = [
        {"type": "boolean"},
        {"type": "integer", "enum": [0, 1]},
        {"type": "string", "enum": words},
    ]
    if nullable:
        options.append({"type": "null"})
    return {"anyOf": options}


def _about(spec: InputSpec, declared: n.Input | None, lang: str) -> dict[str, Any]:
    """The title, description and `x-indikator` facts of a property."""
    label = spec.label
    about: dict[str, Any] = {"title": label.text(lang) if label else spec.name}
    note = declared.note if declared is not None else None
    if note:
        about["description"] = note
    unit = (declared.unit if declared is not None else None) or _UNITS.get(spec.kind)
    facts: dict[str, Any] = {
        "kind": spec.kind,
        "label": {"id": label.id, "en": label.en or label.id} if label else None,
        "missing": spec.missing,
    }
    if unit:
        facts["unit"] = unit
    if spec.agency:
        facts["agency"] = spec.agency
    if declared is not None and declared.evidence:  # the documents (data dukung) it needs
        facts["evidence"] = [{"document": e.document, "due": e.due} for e in declared.evidence]
    about["x-indikator"] = facts
    return about
