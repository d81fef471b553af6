"""No untranslated text: the main commands, run in Indonesian, print no English word.

The words to look for come from the message catalogue itself: a word of an English text
that no Indonesian text uses ("region", "tier", "passed", "reformatted" ...) must not show
in `--lang id` output, and the converse for `--lang en`. What the ruleset and the data
say is theirs, not the catalogue's: the words of the ruleset's quoted texts (labels, tier
names, source notes, reasons) and of the data's cells are allowed, and so are identifiers
(`[name]`, 'quoted', `code`, names with `_`), options, file names and numbers. The
synthetic-data and assumption banners (`*** ... ***`) speak both languages on purpose.
"""

from __future__ import annotations

import ast
import csv
import functools
import html
import os
import re
import subprocess
import sys
from collections.abc import Iterable
from pathlib import Path

import pytest
from click.testing import CliRunner

from indikator.cli import _help_language, main
from indikator.messages import CATALOGUE

ROOT = Path(__file__).parents[2]
RULESET = "rulesets/kla/2025.ikr"
DATA = "examples/kla_2025.csv"

# Not words of a language: quoted or bracketed identifiers, options, paths and file names,
# names with '_' or digits, URLs and the placeholders of a template.
_NOT_WORDS = re.compile(
    r"\{\w+\}|\[[^\]]*\]|'[^']*'|`[^`]*`|https?://\S+|--?[\w-]+|\S*[/\\]\S*"
    r"|\S+\.(?:ikr|csv|xlsx|toml|html?|json|parquet|mmd|dot)\b|\w*[_\d]\w*"
)
_WORD = re.compile(r"[^\W\d_]{3,}")


def words(text: str) -> set[str]:
    """The words (three letters or more, lower case) of a text, identifiers left out.

    Examples:
        >>> sorted(words("Predikat [tier]: 'akta' of region_id in --region 9914.csv (sum)"))
        ['predikat', 'sum']
    """
    return {w.lower() for w in _WORD.findall(_NOT_WORDS.sub(" ", text))}


@functools.cache
def only_in(lang: str) -> frozenset[str]:
    """Words of the catalogue's `lang` texts that no text of the other language uses."""
    own: set[str] = set()
    other: set[str] = set()
    for template in CATALOGUE.values():
        if template.en == template.id:
            continue
        en, id_ = words(template.en), words(template.id)
        (own if lang == "en" else other).update(en)
        (other if lang == "en" else own).update(id_)
    return frozenset(own - other)


# Keywords of the ruleset language, shown as written: a missing-value rule "(zero: ...)",
# an aggregation "(sum)".
KEYWORDS = frozenset({"zero", "exclude", "error", "sum", "mean", "min", "max", "inf"})


@functools.cache
def authored() -> tuple[str, ...]:
    """Texts the rulesets (labels, tier names, notes, reasons) and the data write themselves.

    Longest first, so that a line loses the whole of a text before any part of it.
    """
    found: set[str] = set()
    for path in (ROOT / "rulesets").rglob("*.ikr"):
        text = path.read_text(encoding="utf-8")
        found.update(re.findall(r'"((?:[^"\\]|\\.)*)"', text))
    with (ROOT / DATA).open(encoding="utf-8", newline="") as handle:
        found.update(cell for row in csv.reader(handle) for cell in row)
    return tuple(sorted((t for t in found if len(t) >= 3), key=len, reverse=True))


def untranslated(output: str, lang: str) -> list[tuple[str, list[str]]]:
    """Lines of `output` (in `lang`) holding words only the other language's texts use."""
    foreign = only_in("en" if lang == "id" else "id") - KEYWORDS
    found = []
    for line in output.splitlines():
        if line.startswith("*** "):  # the banners: both languages on purpose
            continue
        own = line
        for text in authored():
            if text in own:
                own = own.replace(text, " ")
        bad = sorted(words(own) & foreign)
        if bad:
            found.append((line, bad))
    return found


def _text_of_html(page: str) -> str:
    """The visible text of an HTML page, a line per element."""
    body = re.sub(r"(?s)<(style|script)\b.*?</\1>", "", page)
    body = re.sub(r'(?s)<p class="banner".*?</p>', "", body)  # both languages on purpose
    return html.unescape(re.sub(r"<[^>]+>", "\n", body))


COMMANDS: dict[str, list[str]] = {
    "evaluate": ["evaluate", RULESET, DATA],
    "explain": ["explain", RULESET, DATA, "--region", "9914"],
    "next": ["next", RULESET, DATA, "--region", "9914"],
    "readiness": ["readiness", RULESET, DATA],
    "compare": ["compare", RULESET, DATA, DATA],
    "sources": ["sources", RULESET],
    "sensitivity": ["sensitivity", RULESET, DATA, "--draws", "20"],
    "report": ["report", RULESET, DATA],
    "list": ["list"],
}


def run(command: str, lang: str, tmp_path: Path) -> str:
    """What `command` prints in `lang` (and, for `report`, the text of the page it writes)."""
    args = [*COMMANDS[command], "--lang", lang]
    page = tmp_path / f"laporan_{lang}.html"
    if command == "report":
        args += ["-o", str(page)]
    result = CliRunner().invoke(main, args, prog_name="indikator")
    assert result.exit_code == 0, result.output
    text = result.output
    if command == "report":
        text += _text_of_html(page.read_text(encoding="utf-8"))
    return text


@pytest.fixture(autouse=True)
def _at_root(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)


@pytest.mark.parametrize("lang", ["id", "en"])
@pytest.mark.parametrize("command", list(COMMANDS))
def test_no_untranslated_text(command: str, lang: str, tmp_path: Path) -> None:
    assert untranslated(run(command, lang, tmp_path), lang) == []


def test_the_word_lists_are_real() -> None:
    """The scan looks for the words it should: the English of today's tables and lines."""
    english, indonesian = only_in("en"), only_in("id")
    assert {"region", "tier", "passed", "failed", "reformatted", "evaluating"} <= english
    assert {"nama", "predikat", "lulus", "gagal", "menghitung"} <= indonesian


@pytest.mark.parametrize(
    ("line", "lang", "bad"),
    [
        ("region  name                       total   tier", "id", ["name", "region", "tier"]),
        ("12 passed, 0 failed", "id", ["failed", "passed"]),
        ("wilayah  nama  total  predikat", "en", ["nama", "predikat"]),
    ],
)
def test_it_finds_untranslated_lines(line: str, lang: str, bad: Iterable[str]) -> None:
    """The evaluate table's header as it was before it was translated is caught."""
    assert untranslated(line, lang) == [(line, list(bad))]


def test_the_author_commands_speak_indonesian_when_asked(tmp_path: Path) -> None:
    """`fmt`'s and `graph`'s own lines, which default to English, follow --lang id."""
    messy = tmp_path / "r.ikr"
    messy.write_text("ruleset r {scale 0 to 10}\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["fmt", "--write", str(messy), "--lang", "id"])
    assert result.exit_code == 0, result.output
    assert result.output == f"{messy} sudah dirapikan\n"
    both = CliRunner().invoke(main, ["fmt", "--check", "--write", str(messy), "--lang", "id"])
    assert "--check dan --write saling meniadakan" in both.output
    assert untranslated(result.output, "id") == []


# Click's own words around the help texts: its headings, `--help`, `--version`, defaults.
_CLICK = re.compile(
    r"Usage:|Options:|Commands:|Show this message and exit\.|Show the version and exit\."
    r"|\[default: [^\]]*\]|\[[a-z|]+\]|\b(?:FILE|PATH|TEXT|INTEGER|FLOAT|RANGE)\b"
)
_EVERY_HELP = """
import sys
from click.testing import CliRunner
from indikator.cli import main
for name in [None, *sorted(main.commands)]:
    args = ["--help"] if name is None else [name, "--help"]
    sys.stdout.write(CliRunner().invoke(main, args, prog_name="indikator").output)
"""


@pytest.mark.parametrize("lang", ["id", "en"])
def test_the_help_speaks_the_language_of_indikator_lang(lang: str) -> None:
    """`--help` of every command, in Indonesian with INDIKATOR_LANG=id, else English."""
    path = os.pathsep.join([str(ROOT / "src"), os.environ.get("PYTHONPATH", "")])
    env = {**os.environ, "INDIKATOR_LANG": lang, "PYTHONPATH": path}
    shown = subprocess.run(  # noqa: S603  # our own CLI
        [sys.executable, "-c", _EVERY_HELP], env=env, capture_output=True, text=True, check=True
    ).stdout
    assert shown.count("Usage: indikator") == 1 + len(main.commands)
    names = re.compile(rf"\b(?:{'|'.join(main.commands)})\b")  # the commands' own names
    assert untranslated(names.sub(" ", _CLICK.sub(" ", shown)), lang) == []
    assert ("Periksa dan hitung ruleset indikator" in shown) == (lang == "id")


@pytest.mark.parametrize(
    ("argv", "environ", "lang"),
    [
        ([], {}, "en"),
        (["evaluate", "--lang", "id", "--help"], {}, "id"),
        (["evaluate", "--help", "--lang=id"], {}, "id"),
        (["evaluate", "--help"], {"LANG": "id_ID.UTF-8"}, "id"),
        (["evaluate", "--help"], {"LANG": "id_ID.UTF-8", "LC_ALL": "C.UTF-8"}, "en"),
        (["evaluate", "--lang", "en", "--help"], {"LANG": "id_ID.UTF-8"}, "en"),
        (["evaluate", "--lang", "id", "--help"], {"INDIKATOR_LANG": "en"}, "en"),
        (["evaluate", "--lang"], {}, "en"),  # a --lang with no value: click reports it
    ],
)
def test_the_help_language_follows_the_variable_then_lang_then_the_locale(
    argv: list[str], environ: dict[str, str], lang: str
) -> None:
    assert _help_language(argv, environ) == lang


def test_lang_id_on_the_command_line_gives_indonesian_help() -> None:
    path = os.pathsep.join([str(ROOT / "src"), os.environ.get("PYTHONPATH", "")])
    env = {k: v for k, v in os.environ.items() if k not in ("INDIKATOR_LANG", "LC_ALL", "LANG")}
    shown = subprocess.run(  # our own CLI
        [sys.executable, "-m", "indikator", "evaluate", "--lang", "id", "--help"],
        env={**env, "PYTHONPATH": path},
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "Hitung RULESET untuk setiap wilayah" in shown
    assert "Evaluate RULESET on every region" not in shown


def test_every_help_text_is_in_the_catalogue() -> None:
    """No help text is written in cli.py itself: each is a catalogue key."""
    tree = ast.parse((ROOT / "src" / "indikator" / "cli.py").read_text(encoding="utf-8"))
    helps = [k.value for k in ast.walk(tree) if isinstance(k, ast.keyword) and k.arg == "help"]
    assert helps
    assert all(ast.unparse(h).startswith("_help('help.") for h in helps)
