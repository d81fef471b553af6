"""The message catalogue: both languages everywhere, and no text built outside it.

Indonesian texts below were written and read by hand, not copied from output.
"""

from __future__ import annotations

import ast
import pickle
from pathlib import Path

import pytest

import indikator
from indikator.errors import (
    CODES,
    DataError,
    DataProblem,
    Diagnostic,
    QuestionError,
    RulesetError,
    Span,
    title,
)
from indikator.functions import DESCRIPTIONS, FUNCTIONS
from indikator.messages import CATALOGUE, Message, Phrase, Template, Words, check_catalogue

SRC = Path(indikator.__file__).parent


def test_every_entry_has_both_languages_and_the_same_placeholders() -> None:
    assert check_catalogue() == []


def test_the_catalogue_check_finds_a_forgotten_translation() -> None:
    broken = {
        "a": Template(en="unknown name '{name}'", id=""),
        "b": Template(en="'{name}' is defined twice", id="'{nama}' didefinisikan dua kali"),
        "c": Template(en="{count:>3} rows", id="{count:>3} baris"),
    }
    assert check_catalogue(broken) == [
        "a: no id text",
        "a: placeholders differ between en and id",
        "b: placeholders differ between en and id",
        "c: en placeholders must be plain names: '{count:>3} rows'",
        "c: id placeholders must be plain names: '{count:>3} baris'",
    ]


def test_a_message_checks_its_key_and_arguments() -> None:
    with pytest.raises(KeyError, match="no message"):
        Message("check.no_such_message")
    with pytest.raises(TypeError, match=r"takes \['name'\], got \['nama'\]"):
        Message("check.unknown_name", nama="akt")
    with pytest.raises(TypeError):
        Message("check.unknown_name")


def test_rendering_in_each_language() -> None:
    message = Message("check.unknown_name", name="akt")
    assert str(message) == "unknown name 'akt'"
    assert message.render("id") == "nama 'akt' tidak dikenal"
    with pytest.raises(ValueError, match="unknown language 'fr'"):
        message.render("fr")


def test_arguments_are_translated_with_the_message() -> None:
    unit = Message("type.number_in", unit="%")
    mixed = Message("check.mixes", where=Message("where.formula"), a=unit, b=Message("type.bool"))
    assert mixed.render("en") == "an indicator's formula mixes a number in % and yes/no"
    assert mixed.render("id") == "rumus indikator mencampur angka dalam % dan ya/tidak"
    label = Phrase(en="Birth certificates", id="Akta kelahiran")
    needed = Message("data.input_label", name="akta", label=label, origin="kla.ikr:3:1")
    assert needed.render("id") == "masukan 'akta' \"Akta kelahiran\" (kla.ikr:3:1)"
    assert needed.render("en") == "input 'akta' \"Birth certificates\" (kla.ikr:3:1)"


def test_lists_join_as_each_language_does() -> None:
    three = Words(("'a'", "'b'", Message("token.name")))
    assert _both(Message("syntax.end_expected", expected=three)) == (
        "unexpected end of file; expected 'a', 'b' or a name",
        "berkas berakhir terlalu cepat; seharusnya 'a', 'b' atau nama",
    )
    long = Words(tuple(f"'{c}'" for c in "abcde"), limit=2)
    assert _both(Message("syntax.end_expected", expected=long)) == (
        "unexpected end of file; expected 'a', 'b' or 3 more",
        "berkas berakhir terlalu cepat; seharusnya 'a', 'b' atau 3 lainnya",
    )
    cells = Words(("baris 2", "baris 3", "baris 4"), conjunction=None, limit=2)
    assert Message("data.lengths", lengths=cells).render("id") == (
        "panjang kolom berbeda-beda: baris 2, baris 3 dan 1 lainnya"
    )


def _both(message: Message) -> tuple[str, str]:
    return message.render("en"), message.render("id")


def test_code_titles_in_both_languages() -> None:
    assert title("IK201") == CODES["IK201"] == "unknown name"
    assert title("IK201", "id") == "nama tidak dikenal"
    assert title("IK504", "id") == "nilai di luar rentang"
    assert {key.removeprefix("title.") for key in CATALOGUE if key.startswith("title.")} == set(
        CODES
    )


def test_function_descriptions_come_from_the_catalogue() -> None:
    assert set(DESCRIPTIONS) == set(FUNCTIONS)
    assert Message("function.abs").render("id") == "abs(x): nilai mutlak"


# -- errors in a language -------------------------------------------------------------


def test_a_ruleset_error_renders_in_indonesian_and_stays_english_as_str() -> None:
    with pytest.raises(indikator.RulesetError) as caught:
        indikator.loads("ruleset r { scale 0 to 10 }\nlet x = akt + 1\n", file="r.ikr")
    error = caught.value
    assert str(error).startswith("r.ikr:2:9: error[IK201]: unknown name 'akt'")
    assert error.render("id").startswith("r.ikr:2:9: kesalahan[IK201]: nama 'akt' tidak dikenal")
    assert "^^^" in error.render("id")
    assert error.diagnostics[0].render(error.sources, lang="id") == error.render("id")


def test_a_data_error_renders_in_indonesian() -> None:
    problem = DataProblem(
        code="IK504",
        field="akta",
        message=Message("data.out_of_range", column="akta", count=5, low="0", high="100"),
        regions=("3201 (104.2)", "3202 (120)"),
        count=5,
        needed_by=Message("data.input", name="akta", origin="kla.ikr:3:1"),
    )
    assert DataError([problem]).render("id") == (
        "kesalahan[IK504]: kolom 'akta' memuat 5 nilai di luar rentang 0..100\n"
        "    wilayah: 3201 (104.2), 3202 (120), dan 3 lainnya\n"
        "    dibutuhkan oleh: masukan 'akta' (kla.ikr:3:1)"
    )
    assert str(DataError([problem])) == (
        "error[IK504]: column 'akta' has 5 value(s) outside 0..100\n"
        "    regions: 3201 (104.2), 3202 (120), and 3 more\n"
        "    needed by: input 'akta' (kla.ikr:3:1)"
    )


def test_data_errors_from_evaluation_name_the_label_in_indonesian() -> None:
    ruleset = indikator.loads(
        "ruleset r { scale 0 to 10 region kode }\ninput kode: text\n"
        'input akta "Cakupan akta kelahiran" en "Birth certificates": percent { missing error }\n'
        "indicator i = linear akta from 0 to 100 onto 0 to 10\n",
        file="r.ikr",
    )
    with pytest.raises(DataError) as caught:
        ruleset.evaluate_many({"kode": ["3201", "3202"], "akta": [50.0, None]})
    assert caught.value.render("id") == (
        "kesalahan[IK505]: 'akta' kosong di 1 wilayah, padahal aturannya 'missing error'\n"
        "    wilayah: 3202\n"
        "    dibutuhkan oleh: masukan 'akta' \"Cakupan akta kelahiran\" (r.ikr:3:1)"
    )
    assert caught.value.render("en").endswith(
        "needed by: input 'akta' \"Birth certificates\" (r.ikr:3:1)"
    )


def test_other_errors_render_in_a_language_too() -> None:
    error = QuestionError(Message("question.no_tiers"))
    assert str(error) == "the ruleset has no tiers"
    assert error.render("id") == "ruleset ini tidak memiliki predikat"
    assert QuestionError("plain text").render("id") == "plain text"  # nothing to translate


def test_errors_with_messages_pickle() -> None:
    span = Span(file="a.ikr", line=1, column=1, end_line=1, end_column=2)
    diagnostic = Diagnostic(
        code="IK201", message=Message("check.unknown_name", name="x"), span=span
    )
    error = RulesetError([diagnostic], {"a.ikr": "x"})
    again = pickle.loads(pickle.dumps(error))  # noqa: S301  # our own bytes
    assert again.render("id") == error.render("id")


def test_a_plain_string_message_is_refused() -> None:
    with pytest.raises(TypeError):
        Diagnostic(code="IK201", message="unknown name 'x'", span=None)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        DataProblem(code="IK501", field="x", message="column 'x' is missing")  # type: ignore[arg-type]


def test_a_code_outside_the_catalogue_is_refused() -> None:
    assert "IK999" not in CODES
    with pytest.raises(ValueError, match="unknown diagnostic code 'IK999'"):
        Diagnostic(code="IK999", message=Message("check.unknown_name", name="x"), span=None)
    with pytest.raises(ValueError, match="unknown diagnostic code 'IK5O1'"):
        DataProblem(code="IK5O1", field="x", message=Message("data.missing_column", column="x"))
    ok = Diagnostic(code="IK201", message=Message("check.unknown_name", name="x"), span=None)
    assert ok.title == CODES["IK201"]


# -- no text outside the catalogue ------------------------------------------------------

# Calls that build a diagnostic: the constructor's keywords, and for the modules' small
# helpers, the position of the message argument.
_KEYWORDS = {"message", "hint", "needed_by"}
_HELPERS = {
    "_error": 1,
    "_warning": 1,
    "error": 1,  # check.facts.error and .warning, which the checker's passes share
    "warning": 1,
    "_problem": 1,
    "_file_problem": 1,
    "_fail": 0,
}
_CONSTRUCTORS = {"Diagnostic", "DataProblem", "Note"}
# Errors raised with text: only those meant for a bug report or from Graphviz stay English.
_RAISED = {"QuestionError", "RulesetNotFoundError", "DataError", "RulesetError"}


def _text_arguments(call: ast.Call) -> list[ast.expr]:
    name = call.func.id if isinstance(call.func, ast.Name) else None
    if name in _CONSTRUCTORS:
        return [k.value for k in call.keywords if k.arg in _KEYWORDS]
    if name in _HELPERS and len(call.args) > _HELPERS[name]:
        return [call.args[_HELPERS[name]], *(k.value for k in call.keywords if k.arg == "hint")]
    if name in _RAISED:
        return list(call.args[:1])
    return []


def _is_text(node: ast.expr) -> bool:
    return isinstance(node, ast.JoinedStr) or (
        isinstance(node, ast.Constant) and isinstance(node.value, str)
    )


def _source_files() -> list[Path]:
    return sorted(SRC.rglob("*.py"))  # the check package's modules too


def test_no_diagnostic_is_built_from_plain_text() -> None:
    offenders = []
    for path in _source_files():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call):
                offenders += [
                    f"{path.name}:{arg.lineno}" for arg in _text_arguments(node) if _is_text(arg)
                ]
    assert offenders == []


def test_the_scan_would_find_plain_text() -> None:
    code = 'Diagnostic(code="IK201", message=f"unknown name {x}", span=None)\n_fail("oops")'
    calls = [n for n in ast.walk(ast.parse(code)) if isinstance(n, ast.Call)]
    assert sum(_is_text(a) for call in calls for a in _text_arguments(call)) == 2


def _message_keys(tree: ast.AST) -> list[ast.expr]:
    """The first argument of every `Message(...)`, both branches of a conditional one."""
    keys: list[ast.expr] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "Message":
            first = node.args[0]
            keys += [first.body, first.orelse] if isinstance(first, ast.IfExp) else [first]
    return keys


def test_every_key_used_exists_and_every_entry_is_used() -> None:
    constants: set[str] = set()
    prefixes: set[str] = set()  # f"title.{code}", f"function.{name}", f"severity.{...}"
    for path in _source_files():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for key in _message_keys(tree):
            if isinstance(key, ast.Constant):
                assert key.value in CATALOGUE, f"{path.name}:{key.lineno}: {key.value!r}"
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                constants.add(node.value)
                if node.value.endswith(".") and " " not in node.value:
                    prefixes.add(node.value)  # messages.phrases("advice.", lang)
            elif isinstance(node, ast.JoinedStr) and isinstance(node.values[0], ast.Constant):
                prefixes.add(str(node.values[0].value))
    unused = {
        key
        for key in CATALOGUE
        if key not in constants and not any(key.startswith(p) for p in prefixes if "." in p)
    }
    assert unused == set()
