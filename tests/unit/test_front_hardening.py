"""The front end under attack (issue #12; reliability review §8, §9, §10, §14, §16, §19, §22).

The parser cache never unpickles a file someone else could write; imports are read once
per file; requirement texts come from the line the parser counted; numbers, params and
line ends that cannot be read as their author meant them are located IKxxx errors.
Work is counted, never timed.
"""

from __future__ import annotations

import os
import pickle
import sys
from collections.abc import Iterator
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import lark
import pytest
from click.testing import CliRunner

import indikator
from indikator import _lalr_tables, link, syntax
from indikator import nodes as n
from indikator import ruleset as ruleset_module
from indikator.cli import main
from indikator.errors import Diagnostic, Severity
from indikator.formatter import format_text
from indikator.link import MAX_IMPORT_DEPTH
from indikator.resources import parser_cache
from indikator.syntax import MAX_NUMBER_LENGTH

# -- §14: the parser cache ----------------------------------------------------------------

_PARSER = f"parser-lark{lark.__version__}"  # the name syntax gives parser_cache
_CACHE_FILE = f"{_PARSER}-py{sys.version_info.major}{sys.version_info.minor}.lark-cache"


class _Planted:
    """A pickle that writes a marker file when it is loaded: what an attacker would plant."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[object, ...]:
        return (exec, (f"with open({str(self.marker)!r}, 'w') as f: f.write('pwned')",))


def _plant(folder: Path, marker: Path) -> Path:
    """A malicious cache file where the parser's cache goes, laid out as lark writes it."""
    cache = folder / _CACHE_FILE
    cache.write_bytes(b"anything\n" + pickle.dumps(_Planted(marker)))
    return cache


@pytest.fixture
def cache_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A fresh cache home; the parser is built anew in the test and again after it.

    The shipped tables are made not to match, as for an edited grammar or another lark
    version: the parser is then built, and cached.
    """
    monkeypatch.setattr(_lalr_tables, "GRAMMAR", "")
    home = tmp_path / "home"
    home.mkdir(mode=0o700)
    monkeypatch.setenv("XDG_CACHE_HOME", str(home))
    monkeypatch.delenv("INDIKATOR_CACHE", raising=False)
    syntax._parser.cache_clear()  # noqa: SLF001
    yield home
    syntax._parser.cache_clear()  # noqa: SLF001


def _builds(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Count how often lark analyses the grammar (rather than loading it from the cache)."""
    calls: list[int] = []
    build = lark.Lark._build_parser  # noqa: SLF001

    def counted(self: lark.Lark) -> object:
        calls.append(1)
        return build(self)

    monkeypatch.setattr(lark.Lark, "_build_parser", counted)
    return calls


needs_owners = pytest.mark.skipif(not hasattr(os, "getuid"), reason="no file owners (Windows)")


@needs_owners
@pytest.mark.parametrize(("folder_mode", "file_mode"), [(0o777, 0o600), (0o700, 0o666)])
def test_a_cache_others_can_write_is_never_unpickled(
    cache_home: Path, folder_mode: int, file_mode: int
) -> None:
    folder = cache_home / "indikator"
    folder.mkdir()
    marker = cache_home / "pwned.txt"
    _plant(folder, marker).chmod(file_mode)
    folder.chmod(folder_mode)  # after planting: a shared folder anyone can write
    assert syntax.parse("input x: percent").definitions[0].name == "x"
    assert not marker.exists()
    assert parser_cache(_PARSER) is False


@needs_owners
def test_a_cache_folder_inside_a_shared_folder_is_not_used(cache_home: Path) -> None:
    cache_home.chmod(0o777)  # anyone could rename 'indikator' away and put their own there
    assert parser_cache("probe") is False


@needs_owners
def test_a_linked_cache_file_is_not_followed(cache_home: Path) -> None:
    folder = cache_home / "indikator"
    folder.mkdir(mode=0o700)
    elsewhere = _plant(cache_home, cache_home / "pwned.txt")
    (folder / elsewhere.name).symlink_to(elsewhere)
    assert parser_cache(_PARSER) is False


@needs_owners
@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="needs root to chown")
@pytest.mark.parametrize("planted", ["folder", "file"])
def test_a_cache_another_user_owns_is_never_unpickled(cache_home: Path, planted: str) -> None:
    folder = cache_home / "indikator"
    folder.mkdir(mode=0o700)
    marker = cache_home / "pwned.txt"
    cache = _plant(folder, marker)
    cache.chmod(0o600)
    os.chown(folder if planted == "folder" else cache, 65534, 65534)  # nobody
    assert syntax.parse("input x: percent").definitions[0].name == "x"
    assert not marker.exists()


def test_no_cache_where_owners_cannot_be_checked(
    cache_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delattr(os, "getuid", raising=False)  # as on Windows
    assert parser_cache(_PARSER) is False
    assert not (cache_home / "indikator").exists()


@needs_owners
def test_a_private_cache_is_written_once_and_then_read(
    cache_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    builds = _builds(monkeypatch)
    previous = os.umask(0o002)  # a common umask: lark would leave the file group-writable
    try:
        first = syntax.parse("input x: percent")
    finally:
        os.umask(previous)
    cached = cache_home / "indikator" / _CACHE_FILE
    assert cached.stat().st_mode & 0o077 == 0  # sealed for the owner
    syntax._parser.cache_clear()  # noqa: SLF001
    assert syntax.parse("input x: percent") == first
    assert len(builds) == 1  # the second parser came from the cache


# -- §8 and §22: imports ------------------------------------------------------------------

MAIN = (
    "ruleset m {{ scale 0 to 10 }}\n{imports}input x: percent\n"
    'indicator s = bands x {{ [0, 100] -> 10 }}\ntiers on s {{ a "A" [0, 10] }}\n'
)


def _diamond(folder: Path, levels: int, bottom: str = "") -> Path:
    """`levels` levels of two files, each importing both files of the next level."""
    for level in range(levels):
        for side in "ab":
            below = (
                f'import "l{level + 1}a.ikr"\nimport "l{level + 1}b.ikr"\n'
                if level + 1 < levels
                else bottom
            )
            (folder / f"l{level}{side}.ikr").write_text(
                f"{below}input x{level}{side}: percent\n", encoding="utf-8"
            )
    main = folder / "main.ikr"
    main.write_text(MAIN.format(imports='import "l0a.ikr"\nimport "l0b.ikr"\n'), encoding="utf-8")
    return main


def _count_parses(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    parsed: list[str] = []
    parse = link.parse  # type: ignore[attr-defined]  # link's own import of it

    def counted(text: str, file: str = "<text>") -> n.Module:
        parsed.append(file)
        return parse(text, file)

    monkeypatch.setattr(link, "parse", counted)
    return parsed


def test_a_diamond_of_imports_parses_each_file_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    parsed = _count_parses(monkeypatch)
    ruleset = indikator.load(_diamond(tmp_path, 40))
    assert len(parsed) == 80  # each imported file once; 2^40 before
    assert len(set(parsed)) == 80
    # The 80 imported inputs are linked (each file parsed once) but nothing reads them, so
    # the ruleset does not require them: only its own input is a column.
    assert len(ruleset.inputs) == 1


def test_a_duplicate_at_the_bottom_of_a_diamond_is_reported_once(tmp_path: Path) -> None:
    (tmp_path / "one.ikr").write_text("input dup: percent\n", encoding="utf-8")
    (tmp_path / "two.ikr").write_text("input dup: count\n", encoding="utf-8")
    bottom = 'import "one.ikr"\nimport "two.ikr"\n'
    with pytest.raises(indikator.RulesetError) as caught:
        indikator.load(_diamond(tmp_path, 30, bottom))
    errors = [d.code for d in caught.value.diagnostics if d.severity is Severity.ERROR]
    assert errors == ["IK101"]


def test_a_cycle_inside_a_diamond_is_still_found(tmp_path: Path) -> None:
    main = _diamond(tmp_path, 5, bottom='import "l2a.ikr"\n')
    with pytest.raises(indikator.RulesetError) as caught:
        indikator.load(main)
    codes = {d.code for d in caught.value.diagnostics}
    assert codes == {"IK104"}
    assert "l2a.ikr -> l3a.ikr -> l4a.ikr -> l2a.ikr" in str(caught.value)


def _chain(folder: Path, files: int) -> Path:
    for i in range(files):
        below = f'import "c{i + 1}.ikr"\n' if i + 1 < files else ""
        (folder / f"c{i}.ikr").write_text(f"{below}input x{i}: percent\n", encoding="utf-8")
    main = folder / "main.ikr"
    main.write_text(MAIN.format(imports='import "c0.ikr"\n'), encoding="utf-8")
    return main


def test_an_import_chain_at_the_limit_loads(tmp_path: Path) -> None:
    main = _chain(tmp_path, MAX_IMPORT_DEPTH - 1)  # main.ikr is level 1
    deepest = f"x{MAX_IMPORT_DEPTH - 2}"  # declared by the last file of the chain
    main.write_text(main.read_text(encoding="utf-8") + f"indicator d = {deepest}\n", "utf-8")
    ruleset = indikator.load(main)
    # Every file is linked; of the chain's inputs only the one read is required.
    assert set(ruleset.inputs) == {"x", deepest}


@pytest.mark.parametrize("files", [MAX_IMPORT_DEPTH, 2000])
def test_a_longer_import_chain_is_a_located_ik107(tmp_path: Path, files: int) -> None:
    with pytest.raises(indikator.RulesetError) as caught:
        indikator.load(_chain(tmp_path, files))
    (diagnostic,) = caught.value.diagnostics
    assert diagnostic.code == "IK107"
    assert diagnostic.span is not None
    assert Path(diagnostic.span.file).name == f"c{MAX_IMPORT_DEPTH - 2}.ikr"
    assert diagnostic.span.line == 1
    assert "more than 100 files deep, starting from 'main.ikr'" in str(caught.value)
    assert "saran: impor katalog bersama" in caught.value.render("id")


def test_the_cli_reports_a_long_import_chain(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["check", str(_chain(tmp_path, 2000))])
    assert result.exit_code == 1
    assert "error[IK107]" in result.output
    assert "Traceback" not in result.output


# -- §10: requirement texts come from the line the parser counted -------------------------

_GATED = """ruleset g {{
  source "Juknis 2025{odd}hal. 4"
  scale 0 to 100
  region kode
}}
input kode: text
input akta: percent {{ missing zero }}
indicator i_akta = bands akta {{ [0, 80) -> 0  [80, 100] -> 100 }}
tiers on i_akta {{              # akta >= 95 was the 2024 rule
  baik "Baik" [50, 100] requires akta >= 90 "akta minimal 90"
}}
"""

ODD_SEPARATORS = ["\f", "\v", "\x1c", "\x1d", "\x1e", "\x85", "\u2028", "\u2029"]


@pytest.mark.parametrize("odd", ODD_SEPARATORS)
def test_a_requirement_text_comes_from_its_own_line(odd: str) -> None:
    ruleset = indikator.loads(_GATED.format(odd=odd))
    explained = ruleset.evaluate({"kode": "3201", "akta": 85}).explain().to_text()
    assert "(akta >= 90; akta = 85)" in explained


def test_a_requirement_text_after_a_form_feed_between_tokens() -> None:
    text = _GATED.format(odd="").replace("tiers on i_akta {", "tiers\f on i_akta {")
    explained = indikator.loads(text).evaluate({"kode": "3201", "akta": 85}).explain().to_text()
    assert "(akta >= 90; akta = 85)" in explained


def test_a_requirement_text_with_a_byte_order_mark_on_the_first_line() -> None:
    text = "\ufeffruleset g { scale 0 to 10 } input x: percent indicator s = bands x "
    text += '{ [0, 100] -> 10 } tiers on s { a "A" [0, 10] requires x >= 50 }'
    explained = indikator.loads(text).evaluate({"x": 40}).explain().to_text()
    assert "(x >= 50; x = 40)" in explained


# -- §9, §19: numbers written too long to convert -----------------------------------------

_HEAD = "ruleset d { scale 0 to 100 }\n"
_LONG = "9" * 5000


def _refused(text: str) -> Diagnostic:
    with pytest.raises(indikator.RulesetError) as caught:
        indikator.loads(text, file="long.ikr")
    (diagnostic,) = caught.value.diagnostics
    return diagnostic


@pytest.mark.parametrize(
    ("text", "line", "column"),
    [
        (f'ruleset d {{ title "x" edition {_LONG} scale 0 to 100 }}\n', 1, 31),
        (f"{_HEAD}param w = {_LONG}\n", 2, 11),
        (f"{_HEAD}param w = -{_LONG}\n", 2, 12),
        (f"{_HEAD}param w = 1.{'1' * 1_000_000}\n", 2, 11),
        (f"{_HEAD}input x: percent\nindicator i = x round half_up {_LONG}\n", 3, 31),
        (f"{_HEAD}input x: number\nlet y = x * {_LONG}\n", 3, 13),
        (f"{_HEAD}input x: number {{ range 0 to {_LONG} }}\n", 2, 30),
        (f"{_HEAD}input x: percent\nindicator i = bands x {{ [0, {_LONG}] -> 1 }}\n", 3, 29),
    ],
    ids=["edition", "param", "negative", "decimals", "round", "literal", "range", "edge"],
)
def test_a_number_written_too_long_is_a_located_ik006(text: str, line: int, column: int) -> None:
    diagnostic = _refused(text)
    assert diagnostic.code == "IK006"
    assert diagnostic.span is not None
    assert (diagnostic.span.file, diagnostic.span.line, diagnostic.span.column) == (
        "long.ikr",
        line,
        column,
    )
    assert f"at most {MAX_NUMBER_LENGTH} are read" in diagnostic.message.render("en")
    assert diagnostic.hint is not None
    assert "10^15" in diagnostic.hint.render("id")


def test_a_long_number_is_refused_before_it_is_converted(monkeypatch: pytest.MonkeyPatch) -> None:
    converted: list[int] = []
    decimal = syntax.Decimal  # type: ignore[attr-defined]  # syntax's own import of it

    def counted(text: str) -> object:
        converted.append(len(text))
        return decimal(text)

    monkeypatch.setattr(syntax, "Decimal", counted)
    assert _refused(f"{_HEAD}param w = 1.{'1' * 1_000_000}\n").code == "IK006"
    assert all(length <= MAX_NUMBER_LENGTH for length in converted)


def test_a_number_at_the_length_limit_is_read() -> None:
    padded = "0" * (MAX_NUMBER_LENGTH - 4) + "12.5"
    ruleset = indikator.loads(f"{_HEAD}param w = {padded}\n", file="long.ikr")
    assert ruleset.params == {"w": 12.5}
    assert _refused(f"{_HEAD}param w = 0{padded}\n").code == "IK006"


def test_the_cli_reports_a_long_edition(tmp_path: Path) -> None:
    path = tmp_path / "bigedition.ikr"
    path.write_text(f'ruleset d {{ title "x" edition {_LONG} scale 0 to 100 }}\n', "utf-8")
    result = CliRunner().invoke(main, ["check", str(path)])
    assert result.exit_code == 1
    assert ":1:31: error[IK006]" in result.output
    assert "Traceback" not in result.output


# -- §22: old Mac line ends ---------------------------------------------------------------

_SMALL = (
    "ruleset d { scale 0 to 10 }\n# the only input\ninput x: percent\n"
    'indicator s = bands x { [0, 100] -> 10 }\ntiers on s { a "A" [0, 10] }\n'
)


@pytest.mark.parametrize(
    ("text", "line", "column"),
    [
        (_SMALL.replace("\n", "\r"), 1, 28),  # a whole CR-only file
        (_SMALL.replace("# the only input", "# the only\rinput"), 2, 11),  # one stray CR
        (_SMALL.replace("\n", "\r\n").removesuffix("\r\n") + "\r", 5, 29),  # CRLF, CR at the end
    ],
    ids=["cr-only", "stray", "last"],
)
def test_a_lone_carriage_return_is_a_located_ik007(text: str, line: int, column: int) -> None:
    for read in (indikator.loads, format_text):
        with pytest.raises(indikator.RulesetError) as caught:
            read(text, file="mac.ikr")
        (diagnostic,) = caught.value.diagnostics
        assert diagnostic.code == "IK007"
        assert diagnostic.span is not None
        assert (diagnostic.span.line, diagnostic.span.column) == (line, column)
        assert "LF or CRLF" in str(caught.value)
        assert "simpan berkas dengan akhir baris LF" in caught.value.render("id")


def test_crlf_line_ends_are_read() -> None:
    ruleset = indikator.loads(_SMALL.replace("\n", "\r\n"))
    assert ruleset.evaluate({"x": 50})["s"] == 10


def test_the_cli_reports_cr_line_ends(tmp_path: Path) -> None:
    path = tmp_path / "mac.ikr"
    path.write_bytes(_SMALL.replace("\n", "\r").encode())
    result = CliRunner().invoke(main, ["check", str(path)])
    assert result.exit_code == 1
    assert ":1:28: error[IK007]" in result.output
    assert "IK102" not in result.output


# -- §9, §16, §19: parameter overrides ----------------------------------------------------

_PARAMS = (
    "ruleset p { scale 0 to 100 }\nparam w = 40\ninput x: percent\n"
    "indicator i = bands x { [0, w) -> 0  [w, 100] -> 100 }\n"
)


@pytest.fixture
def weighted() -> indikator.Ruleset:
    return indikator.loads(_PARAMS)


def _refusal(ruleset: indikator.Ruleset, params: object) -> str:
    with pytest.raises(indikator.DataError) as caught:
        ruleset.with_params(params)  # type: ignore[arg-type]  # what a caller might pass
    (problem,) = caught.value.problems
    assert problem.code == "IK510"
    assert problem.message.render("id")  # every message has its Indonesian text
    return problem.message.render("en")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (float("inf"), "must be a finite number, not inf"),
        (float("-inf"), "must be a finite number, not -inf"),
        (float("nan"), "must be a finite number, not nan"),
        (Decimal("Infinity"), "must be a finite number"),
        (Decimal("sNaN"), "must be a finite number"),
        ("-inf", "must be a finite number"),
        ("1e999999999", "too large: parameters are at most 10^15"),
        ("-1E+999999999", "too large"),
        (Decimal("1e999999999"), "too large"),
        ("1e-999999999", "too precise: at most 9 decimal places and 15 significant digits"),
        (Decimal("1e-999999999"), "too precise"),
        ("6_0", "must be written with the digits 0-9"),
        ("\u0666\u0660", "must be written with the digits 0-9"),  # Arabic-Indic sixty
        ("\uff16\uff10", "must be written with the digits 0-9"),  # full-width sixty
        pytest.param(10**5000, "'w' = a whole number of about 5001 digits", id="10**5000"),
        (1e16, "too large"),
        (10**15 + 1, "too large"),
        ("0.0000000001", "too precise"),
        (Fraction(1, 3), "too precise"),
        ("1234567890.1234567", "too precise"),  # 17 significant digits
        (True, "must be a number, not True"),
        ("delapan puluh", "must be a number, not 'delapan puluh'"),
    ],
)
def test_a_bad_override_is_refused_with_ik510(
    weighted: indikator.Ruleset, value: object, expected: str
) -> None:
    assert expected in _refusal(weighted, {"w": value})


@pytest.mark.parametrize(
    ("value", "read"),
    [
        (60, 60),
        (" 60 ", 60),
        ("+6e1", 60),
        ("0e999999999", 0),
        (Decimal("60.000000000000000000"), 60),
        (Fraction(121, 2), Fraction(121, 2)),
        (60.1, Fraction("60.1")),  # the decimal the float shows
        (10**15, 10**15),
        ("-1e15", -(10**15)),
        ("0.000000001", Fraction(1, 10**9)),
        ("123456.123456789", Fraction("123456.123456789")),
    ],
)
def test_an_override_within_the_limits_is_read_exactly(
    weighted: indikator.Ruleset, value: object, read: Fraction
) -> None:
    linked = weighted._linked  # noqa: SLF001
    assert ruleset_module._read_params({"w": value}, linked) == {"w": read}  # type: ignore[dict-item]  # noqa: SLF001


def test_an_override_is_checked_again(weighted: indikator.Ruleset) -> None:
    assert weighted.with_params({"w": "60.5"}).params == {"w": 60.5}
    assert weighted.with_params({"w": 60.5}).evaluate({"x": 60.5})["i"] == 100
    with pytest.raises(indikator.RulesetError):
        weighted.with_params({"w": "0e999999999"})  # [0, 0) holds no value


@pytest.mark.parametrize("params", [[("w", 1)], 5])
def test_overrides_that_are_not_a_mapping_are_refused(
    weighted: indikator.Ruleset, params: object
) -> None:
    assert "must be given as a mapping of name to number" in _refusal(weighted, params)


def test_an_unknown_key_that_is_not_text_is_named(weighted: indikator.Ruleset) -> None:
    assert "'1' is not a parameter" in _refusal(weighted, {1: 60})


@pytest.mark.parametrize(
    ("toml", "expected"),
    [
        (b"w = inf\n", "parameter 'w' must be a finite number, not inf (in '"),
        (b"w = -inf\n", "must be a finite number, not -inf"),
        (b"w = nan\n", "must be a finite number, not nan"),
        (b"params = 5\n", "must hold 'name = number' lines or a [params] table, not 5 (in '"),
        (b"params = [1, 2]\n", "or a [params] table, not [1, 2]"),
        (b'w = "caf\xe9"\n', "is not UTF-8 text (byte 0xe9); save it as UTF-8"),
        (b'w = "1e999999999"\n', "'w' = '1e999999999' is too large"),
        (b'w = "1e-999999999"\n', "'w' = '1e-999999999' is too precise"),
        (b'[params]\nw = "6_0"\n', "must be written with the digits 0-9"),
        (b"w = " + b"9" * 5000 + b"\n", "a number in it has thousands of digits"),
        (b"w = " + b"[" * 100_000 + b"]" * 100_000 + b"\n", "values nest too deeply"),
        (b"w = \n", "cannot read parameter file"),
    ],
    ids=[
        "inf", "-inf", "nan", "int", "array", "latin-1", "huge", "tiny", "underscore",
        "5000-digits", "deep", "broken",
    ],
)  # fmt: skip
def test_a_bad_params_file_is_an_ik510_naming_the_file(
    tmp_path: Path, weighted: indikator.Ruleset, toml: bytes, expected: str
) -> None:
    path = tmp_path / "bobot.toml"
    path.write_bytes(toml)
    message = _refusal(weighted, path)
    assert expected in message
    assert "bobot.toml" in message


@pytest.mark.parametrize(
    "toml", [b"w = inf\n", b"params = [1, 2]\n", b'w = "1e999999999"\n', b"\xff\n"]
)
def test_the_cli_reports_a_bad_params_file(tmp_path: Path, toml: bytes) -> None:
    ruleset = tmp_path / "p.ikr"
    ruleset.write_text(_PARAMS, encoding="utf-8")
    data = tmp_path / "p.csv"
    data.write_text("x\n50\n", encoding="utf-8")
    params = tmp_path / "bobot.toml"
    params.write_bytes(toml)
    result = CliRunner().invoke(
        main, ["evaluate", str(ruleset), str(data), "--params", str(params)]
    )
    assert result.exit_code != 0
    assert "IK510" in result.output
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
