"""A fast start: `import indikator` loads nothing heavy, the parser comes from shipped tables."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import lark
import pytest

import indikator
from indikator import _lalr_tables, syntax
from indikator.resources import grammar_text, rulesets_dir

HEAVY = ("numpy", "lark", "networkx", "click", "openpyxl", "babel", "indikator.ruleset")


def _modules_after(code: str) -> set[str]:
    out = subprocess.run(  # noqa: S603  # this interpreter, our own code
        [sys.executable, "-c", f"import sys; {code}; print(' '.join(sys.modules))"],
        capture_output=True,
        text=True,
        check=True,
    )
    return set(out.stdout.split())


def test_import_indikator_loads_none_of_the_heavy_modules() -> None:
    loaded = _modules_after("import indikator")
    assert not [name for name in HEAVY if name in loaded]


def test_the_public_names_are_there_when_used() -> None:
    loaded = _modules_after("import indikator; indikator.load")
    assert "indikator.ruleset" in loaded
    assert "indikator.explain" not in loaded  # only what `load` itself needs
    assert set(dir(indikator)) >= {*indikator.__all__, "__version__"}
    for name in indikator.__all__:
        assert getattr(indikator, name).__name__ == name


def test_loading_a_ruleset_imports_neither_numpy_nor_networkx() -> None:
    # Evaluating needs numpy and Ruleset.graph networkx; loading needs neither.
    path = rulesets_dir() / "kla" / "2025.ikr"
    loaded = _modules_after(f"import indikator; indikator.load({str(path)!r})")
    assert "indikator.plan" in loaded
    assert not {"numpy", "networkx"} & loaded


def test_loading_a_ruleset_runs_no_interegular() -> None:
    # lark imports interegular when installed; syntax makes that import wait for a use.
    pytest.importorskip("interegular")
    path = rulesets_dir() / "kla" / "2025.ikr"
    loaded = _modules_after(f"import indikator; indikator.load({str(path)!r})")
    assert "indikator.syntax" in loaded
    assert not {m for m in loaded if m.startswith("interegular.")}


def test_lark_strict_mode_still_finds_colliding_terminals() -> None:
    # After indikator.syntax imported lark, interegular is there when lark asks for it.
    pytest.importorskip("interegular")
    assert syntax.parse("input x: percent").definitions
    with pytest.raises(lark.exceptions.LexError, match="Collision between Terminals"):
        lark.Lark("start: A | B\nA: /a+/\nB: /a+c?/", parser="lalr", strict=True)


def test_gaps_stays_the_function_after_its_module_is_imported() -> None:
    import indikator.gaps  # noqa: PLC0415  # binds the submodule on the package, unless refused

    assert callable(indikator.gaps)
    assert indikator.gaps.__module__ == "indikator.gaps"


def test_an_unknown_name_is_an_attribute_error() -> None:
    with pytest.raises(AttributeError, match="no attribute 'lod'"):
        _ = indikator.lod


def test_the_shipped_tables_are_of_the_current_grammar() -> None:
    # Fails after an edit of grammars/indikator.lark: run `nox -s grammar`.
    assert grammar_text() == _lalr_tables.GRAMMAR


@pytest.mark.skipif(
    lark.__version__ != _lalr_tables.LARK_VERSION,
    reason=f"tables made with lark {_lalr_tables.LARK_VERSION}; this lark builds its own",
)
def test_the_parser_is_loaded_from_the_tables_not_built(monkeypatch: pytest.MonkeyPatch) -> None:
    syntax._parser.cache_clear()  # noqa: SLF001
    built: list[object] = []
    monkeypatch.setattr(lark.Lark, "__init__", lambda *a, **_: built.append(a))
    try:
        syntax.parse("input x: percent")
    finally:
        syntax._parser.cache_clear()  # noqa: SLF001
    assert built == []


@pytest.mark.parametrize("path", sorted(rulesets_dir().rglob("*.ikr")), ids=lambda p: p.name)
def test_tables_and_a_freshly_built_parser_read_the_same(
    path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = path.read_text(encoding="utf-8")
    from_tables = syntax.parse(text, str(path))
    syntax._parser.cache_clear()  # noqa: SLF001
    monkeypatch.setenv("INDIKATOR_CACHE", "off")
    monkeypatch.setattr(_lalr_tables, "GRAMMAR", "")  # the tables no longer match: build
    try:
        built = syntax.parse(text, str(path))
    finally:
        syntax._parser.cache_clear()  # noqa: SLF001
    assert built == from_tables
    assert len(built.definitions) > 0
