"""Every command shown on the pages for officials and analysts prints what the page says.

test_docs.py compiles the pages' ```ikr blocks; this module runs their commands. In a
```text block of the pages below, a line `$ indikator ...` is a command and the lines after
it, up to the next command or the end of the block, its output. A line `...` stands for any
number of lines left out; every other line must appear exactly, in order, and consecutively
between two `...`. The commands run in a fresh folder holding copies of `rulesets/` and
`examples/` and the files the pages talk about (built below the way the pages say they
were made), so a change of any output shows up here as a page to update.
"""

from __future__ import annotations

import csv
import re
import shlex
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from indikator.cli import main

ROOT = Path(__file__).parents[2]
DOCS = ROOT / "docs"
PAGES = ("trust.md", "id/kepercayaan.md", "id/panduan-analis.md", "schemes/facts.md")
_FENCE = re.compile(r"^(?P<indent>\s*)```(?P<lang>[\w-]*)\s*$")
Edit = Callable[[list[str], list[list[str]]], None]


def _blocks(page: str) -> list[tuple[int, str, list[str]]]:
    """(line, language, lines) of each fenced block of a page, indentation removed."""
    lines = (DOCS / page).read_text(encoding="utf-8").splitlines()
    blocks = []
    index = 0
    while index < len(lines):
        fence = _FENCE.match(lines[index])
        if fence is None:
            index += 1
            continue
        start, indent, body = index + 1, fence.group("indent"), []
        index += 1
        while index < len(lines) and lines[index].strip() != "```":
            body.append(lines[index].removeprefix(indent))
            index += 1
        blocks.append((start, fence.group("lang"), body))
        index += 1
    return blocks


def _runs(page: str) -> list[tuple[int, str, list[str]]]:
    """(line, command, expected output lines) of every command of a page."""
    runs: list[tuple[int, str, list[str]]] = []
    for start, lang, body in _blocks(page):
        if lang != "text":
            continue
        current: tuple[int, str, list[str]] | None = None
        for offset, line in enumerate(body):
            if line.startswith("$ indikator"):
                current = (start + offset + 1, line[2:], [])
                runs.append(current)
            elif current is not None:
                current[2].append(line)
    return runs


def _block_starting(page: str, lang: str, first: str) -> str:
    """The text of the page's block of `lang` whose first line starts with `first`."""
    for _, block_lang, body in _blocks(page):
        if block_lang == lang and body and body[0].startswith(first):
            return "\n".join(body) + "\n"
    raise AssertionError(f"{page}: no {lang} block starting with {first!r}")


def _read(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.reader(handle))


def _with_sidecar(source: Path, target: Path) -> None:
    """The synthetic-data sidecar of `source`, beside `target`."""
    shutil.copy(source.with_suffix(".meta.toml"), target.with_suffix(".meta.toml"))


def _edit_csv(source: Path, target: Path, rows: int | None, edit: Edit) -> None:
    """A copy of the first `rows` regions of `source` (all: None), edited, with its sidecar."""
    table = _read(source)
    header, body = table[0], [list(r) for r in table[1 : None if rows is None else rows + 1]]
    edit(header, body)
    with target.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows([header, *body])
    _with_sidecar(source, target)


def _broken_kla(header: list[str], body: list[list[str]]) -> None:
    """kla_2025_rusak.csv: as panduan-analis.md, section 5, describes it."""
    akta, perda = header.index("akta_kelahiran"), header.index("perda_kla")
    body[0][akta], body[1][akta], body[2][perda] = "104.2", "120", "belum"
    body[4][0] = body[3][0]  # 9917 twice
    header[header.index("ila")] = "jumlah_ila"


def _empty_odf(header: list[str], body: list[list[str]]) -> None:
    body[1][header.index("odf")] = ""  # 9917


def _workbook(target: Path) -> None:
    """kla_2025.xlsx: a notes sheet first, the data on 'Data', akta as percentage cells."""
    openpyxl = pytest.importorskip("openpyxl")
    table = _read(ROOT / "examples" / "kla_2025.csv")
    header = table[0]
    book = openpyxl.Workbook()
    book.active.title = "Petunjuk"
    book.active["A1"] = "Data dukung KLA 2025 (contoh sintetis). Isi lembar Data."
    sheet = book.create_sheet("Data")
    sheet.append(header)
    akta = header.index("akta_kelahiran")
    for row in table[1:]:
        cells: list[object] = []
        for column, cell in enumerate(row):
            if cell == "" or column == 0:
                cells.append(cell or None)
                continue
            try:
                number = float(cell)
            except ValueError:
                cells.append(cell)
                continue
            cells.append(round(number / 100, 6) if column == akta else number)
        sheet.append(cells)
    for (cell,) in sheet.iter_rows(min_row=2, min_col=akta + 1, max_col=akta + 1):
        cell.number_format = "0.00%"
    book.save(target)
    _with_sidecar(ROOT / "examples" / "kla_2025.csv", target)


def _excel_csv(target: Path) -> None:
    """kks_2021_excel.csv: the KKS example as Indonesian Excel saves it (';', ',')."""
    source = ROOT / "examples" / "kks_2021.csv"
    table = _read(source)
    with target.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, delimiter=";", lineterminator="\n")
        writer.writerow(table[0])
        for row in table[1:]:
            writer.writerow([c.replace(".", ",") if i >= 4 else c for i, c in enumerate(row)])
    _with_sidecar(source, target)


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder with the shipped rulesets and examples and every file the pages use."""
    folder = tmp_path_factory.mktemp("pages")
    shutil.copytree(ROOT / "rulesets", folder / "rulesets")
    shutil.copytree(ROOT / "examples", folder / "examples")
    examples = ROOT / "examples"
    # trust.md / kepercayaan.md: the small ruleset, its cited variant, the KLA variant
    (folder / "skema.ikr").write_text(
        _block_starting("trust.md", "ikr", "ruleset skema {"), encoding="utf-8"
    )
    (folder / "skema_resmi.ikr").write_text(
        _block_starting("trust.md", "ikr", "ruleset skema_resmi"), encoding="utf-8"
    )
    (folder / "data.csv").write_text(
        _block_starting("trust.md", "text", "kode,akta,forum"), encoding="utf-8"
    )
    (folder / "bobot_juknis.toml").write_text(
        _block_starting("trust.md", "toml", "# Bobot dari Juknis"), encoding="utf-8"
    )
    (folder / "salah.toml").write_text("[params]\nw_akta = 70\n", encoding="utf-8")
    shutil.copy(ROOT / "rulesets" / "kla" / "2025.ikr", folder / "kla_2025.ikr")
    shutil.copy(examples / "kla_2025.csv", folder / "kla_2025.csv")
    _with_sidecar(examples / "kla_2025.csv", folder / "kla_2025.csv")
    (folder / "kla_resmi.ikr").write_text(
        _block_starting("trust.md", "text", "ruleset kla_2025_juknis"), encoding="utf-8"
    )
    # panduan-analis.md: the data files it describes
    _excel_csv(folder / "kks_2021_excel.csv")
    _workbook(folder / "kla_2025.xlsx")
    _edit_csv(examples / "kla_2025.csv", folder / "kla_2025_rusak.csv", 5, _broken_kla)
    _edit_csv(examples / "kks_2021.csv", folder / "kks_2021_kosong.csv", None, _empty_odf)
    golden = ROOT / "tests" / "golden" / "cli" / "data"
    shutil.copy(golden / "kla_2024_contoh.csv", folder / "kla_2024.csv")
    shutil.copy(golden / "kla_2024_contoh.meta.toml", folder / "kla_2024.meta.toml")
    (folder / "bobot_baru.toml").write_text(
        _block_starting("id/panduan-analis.md", "toml", "# Bobot kelembagaan baru"),
        encoding="utf-8",
    )
    (folder / "bobot_salah.toml").write_text("[params]\nw_perd = 80\n", encoding="utf-8")
    return folder


def _matches(expected: list[str], actual: list[str]) -> str | None:
    """None when `expected` (with `...` for any lines) matches `actual`, else what is wrong."""
    segments: list[list[str]] = [[]]
    for line in expected:
        if line.strip() == "...":
            segments.append([])
        else:
            segments[-1].append(line)
    position = 0
    for number, segment in enumerate(segments):
        if not segment:
            continue
        anchored_start = number == 0
        found = next(
            (
                start
                for start in range(position, len(actual) - len(segment) + 1)
                if actual[start : start + len(segment)] == segment
            ),
            None,
        )
        if found is None or (anchored_start and found != 0):
            return f"not found in order: {segment[0]!r} ({len(segment)} lines)"
        position = found + len(segment)
    if expected and expected[-1].strip() != "..." and position != len(actual):
        return f"unexpected lines at the end: {actual[position : position + 3]!r}"
    return None


def _cases() -> list[object]:
    return [
        pytest.param(page, command, expected, id=f"{page}:{line}")
        for page in PAGES
        for line, command, expected in _runs(page)
    ]


def test_the_pages_show_commands() -> None:
    assert all(_runs(page) for page in PAGES)


@pytest.mark.parametrize(("page", "command", "expected"), _cases())
def test_command_prints_what_the_page_shows(
    page: str,
    command: str,
    expected: list[str],
    workspace: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(workspace)
    result = CliRunner().invoke(main, shlex.split(command)[1:], prog_name="indikator")
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    actual = result.output.splitlines()
    while expected and not expected[-1].strip():
        expected = expected[:-1]
    problem = _matches(expected, actual)
    assert problem is None, f"{page}: `{command}`: {problem}\n--- output:\n{result.output}"


def test_the_matcher_can_fail() -> None:
    output = ["a", "b", "c", "d"]
    assert _matches(["a", "...", "d"], output) is None
    assert _matches(["...", "b", "c", "..."], output) is None
    assert _matches(["a", "c"], output) is not None  # not consecutive
    assert _matches(["b", "..."], output) is not None  # the output starts with 'a'
    assert _matches(["...", "c"], output) is not None  # 'd' follows
    assert _matches(["...", "c", "b", "..."], output) is not None  # out of order
