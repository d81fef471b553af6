"""The frozen classes of loading print as attrs prints a class it makes.

They are made with `repr=False` and share `nodes.FieldsRepr` (attrs compiles a
`__repr__` per class otherwise, a third of the cost of making one). The expected text
comes from attrs itself: a class attrs makes with the same fields, given the same values.
"""

from __future__ import annotations

from typing import Any

import attrs

import indikator
from indikator import link, plan, provenance, syntax
from indikator import nodes as n
from indikator.check import facts
from indikator.resources import rulesets_dir


def _objects(root: object) -> list[Any]:
    """Every attrs instance reachable from `root` through fields, tuples and mappings."""
    seen: dict[int, Any] = {}
    stack: list[Any] = [root]
    while stack:
        item = stack.pop()
        if isinstance(item, tuple | list):
            stack.extend(item)
        elif isinstance(item, dict):
            stack.extend(item.values())
        elif attrs.has(type(item)) and id(item) not in seen:
            seen[id(item)] = item
            stack.extend(getattr(item, f.name) for f in attrs.fields(type(item)))
    return list(seen.values())


def _as_attrs_prints(item: Any) -> str:
    fields = attrs.fields(type(item))
    twin = attrs.make_class(
        type(item).__name__, {f.name: attrs.field(repr=f.repr) for f in fields}, frozen=True
    )
    return repr(twin(*(getattr(item, f.name) for f in fields)))


def test_every_node_and_plan_class_shares_the_repr() -> None:
    for module in (n, plan, provenance, link, facts, syntax):
        for name in dir(module):
            value = getattr(module, name)
            if name.startswith("_") or not (isinstance(value, type) and attrs.has(value)):
                continue  # `link._Linker` is mutable, made once per load
            if value.__module__ == module.__name__:
                assert issubclass(value, n.FieldsRepr), name
                assert value.__repr__ is n.FieldsRepr.__repr__, name


def test_the_repr_is_attrs_own_on_a_whole_ruleset() -> None:
    ruleset = indikator.load(rulesets_dir() / "kla" / "2025.ikr")
    reached = [
        *_objects(ruleset._plan),  # noqa: SLF001
        *_objects(ruleset._linked),  # noqa: SLF001
        *_objects(ruleset._analysis),  # noqa: SLF001
        *syntax.tokens("input x: percent  # a comment"),
    ]
    objects = [o for o in reached if isinstance(o, n.FieldsRepr)]
    assert len({type(o) for o in objects}) > 30
    for item in objects:
        assert repr(item) == _as_attrs_prints(item)


def test_a_small_node_by_hand() -> None:
    assert repr(n.Label(id="Baik", en=None)) == "Label(id='Baik', en=None)"
