"""HTML reports (structure, escaping, a real browser); CLI transcripts (evaluate, explain, report).

The transcripts live in tests/golden/cli/*.console, in the format `tests/goldens.py`
describes. Rewrite them with `pytest --update-golden` and review the diff like code.
"""

from __future__ import annotations

import math
import re
import shutil
import subprocess
import zlib
from html.parser import HTMLParser
from pathlib import Path

import pytest
from click.testing import CliRunner

import indikator
from indikator.cli import main
from indikator.report import render_report, write_report
from indikator.tables import read_csv, read_table
from tests.goldens import check_transcript
from tests.unit.test_report_html import DATA as MINI_DATA
from tests.unit.test_report_html import MINI, dom, rows

ROOT = Path(__file__).parents[2]
FIXTURES = ROOT / "tests" / "fixtures"
GOLDEN = ROOT / "tests" / "golden" / "cli"
TRANSCRIPTS = sorted(GOLDEN.glob("*.console"))

ESCAPING = """
ruleset esc {
  title "Laporan <script>alert(1)</script>" en "Report"
  edition 2025
  source "Perda <b>1</b> & co"
  scale 0 to 100
  region kode
  name nama
}
input kode: text
input nama: text
input a: percent { missing zero agency "Dinas <script>" }
input b: percent { missing zero }
indicator i_a "Indikator <script>alert(2)</script>" = linear a from 0 to 100 onto 0 to 50
indicator i_b = linear b from 0 to 100 onto 0 to 50 agency "Bappeda"
group g_a "Kelompok <script>x</script>" en "Group A" = sum(i_a)
group g_b "Kelompok B" en "Group B" = sum(i_b)
group total = sum(g_a, g_b)
tiers on total {
  below "Belum"
  baik "Baik" [50, 80) requires a >= 50 "a & b <ok>"
  utama "Utama" [80, 100]
}
"""
# Region 1: a 60 -> i_a 30 / 50 (g_a 60 %), b 100 -> i_b 50 / 50 (g_b 100 %); total 80 and
# the gate a >= 50 holds -> Utama. Region 2: a 20 -> 10, b 40 -> 20; total 30 -> Belum,
# 50 - 30 = 20 points short of Baik, and a >= 50 fails.
DATA = {"kode": ["3201", "3202"], "nama": ["Kab <i>A</i>", "Kab B"], "a": [60, 20], "b": [100, 40]}
VOID = {"meta", "br", "hr", "img", "input", "link", "area", "base", "col", "source", "wbr"}


class _Page(HTMLParser):
    """Elements, text and nesting errors of an HTML page."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.errors: list[str] = []
        self.elements: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []
        self.feed(text)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, dict(attrs)))
        if tag not in VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, dict(attrs)))

    def handle_endtag(self, tag: str) -> None:
        if self.stack and self.stack[-1] == tag:
            self.stack.pop()
        else:
            self.errors.append(f"</{tag}> closes <{self.stack[-1] if self.stack else ''}>")

    def handle_data(self, data: str) -> None:
        self.text.append(data)

    def tags(self, name: str) -> list[dict[str, str | None]]:
        return [attrs for tag, attrs in self.elements if tag == name]

    def bars(self) -> list[dict[str, str | None]]:
        return [a for a in self.tags("rect") if (a.get("class") or "").startswith("bar ")]


@pytest.fixture(scope="module")
def escaping() -> tuple[indikator.Ruleset, indikator.Results]:
    ruleset = indikator.loads(ESCAPING)
    return ruleset, ruleset.evaluate_many(DATA)


def _well_formed(text: str) -> _Page:
    page = _Page(text)
    assert page.errors == []
    assert page.stack == []
    return page


# -- structure ---------------------------------------------------------------------


def test_one_region_page_is_well_formed_with_one_bar_per_group(
    escaping: tuple[indikator.Ruleset, indikator.Results],
) -> None:
    page = _well_formed(render_report(*escaping, region="3201"))
    assert len(page.tags("svg")) == 1
    bars = page.bars()
    assert [b["data-group"] for b in bars] == ["g_a", "g_b"]
    assert [b["width"] for b in bars] == ["180.0", "300.0"]  # 60 % and 100 % of 300 units
    text = "".join(page.text)
    assert "Utama" in text
    assert "80 dari 100" in " ".join(text.split())
    assert "30 / 50 (60 %)" in text  # display.percent: a space before the sign


def test_every_text_is_escaped(escaping: tuple[indikator.Ruleset, indikator.Results]) -> None:
    html = render_report(*escaping)
    assert "<script" not in html.lower()
    assert "<i>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    text = "".join(_well_formed(html).text)
    for label in ("Kelompok <script>x</script>", "Kab <i>A</i>", "Dinas <script>", "a & b <ok>"):
        assert label in text  # shown as written, after unescaping
    assert "Perda <b>1</b> & co" in text  # the ruleset's sources, at the end


def test_the_page_is_self_contained(escaping: tuple[indikator.Ruleset, indikator.Results]) -> None:
    html = render_report(*escaping)
    page = _well_formed(html)
    for tag in ("script", "link", "img", "iframe", "object", "embed"):
        assert page.tags(tag) == []
    attributes = [attrs for _, attrs in page.elements]
    assert not any("src" in attrs for attrs in attributes)
    assert all((a.get("href") or "#").startswith("#") for a in attributes)
    assert "url(" not in html
    assert "@import" not in html


def test_all_regions_have_an_overview_and_a_section_each(
    escaping: tuple[indikator.Ruleset, indikator.Results],
) -> None:
    page = _well_formed(render_report(*escaping))
    assert [s["id"] for s in page.tags("section")] == ["overview", "r0", "r1", "sources"]
    assert len(page.tags("svg")) == 3  # the tier distribution, then each region's groups
    assert [a["href"] for a in page.tags("a")] == ["#r0", "#r1"]
    text = " ".join("".join(page.text).split())
    assert "untuk mencapai baik: kurang 20 poin dan penuhi: a & b <ok>" in text.lower()


def test_agencies_group_the_indicators(
    escaping: tuple[indikator.Ruleset, indikator.Results],
) -> None:
    html = render_report(*escaping, region="3202")
    # i_a has no agency of its own: its input's agency is used. Most points to gain first:
    # Bappeda 50 - 20 = 30, Dinas 50 - 10 = 40.
    dinas = html.index("Dinas &lt;script&gt;")
    bappeda = html.index("Bappeda")
    assert dinas < bappeda
    assert html.count('class="subtotal"') == 2


def test_english_labels(escaping: tuple[indikator.Ruleset, indikator.Results]) -> None:
    text = "".join(_well_formed(render_report(*escaping, region="3201", lang="en")).text)
    assert "Points per group" in text
    assert "Group A" in text
    assert "Report" in text


def test_unknown_region(escaping: tuple[indikator.Ruleset, indikator.Results]) -> None:
    with pytest.raises(KeyError, match="no region '9999'"):
        render_report(*escaping, region="9999")


def test_shipped_ruleset_report(tmp_path: Path) -> None:
    ruleset = indikator.load(ROOT / "rulesets" / "kla" / "2025.ikr")
    results = ruleset.evaluate_many(read_csv(ROOT / "examples" / "kla_2025.csv"))
    write_report(ruleset, results, tmp_path / "kla.html", region="9914")
    page = _well_formed((tmp_path / "kla.html").read_text(encoding="utf-8"))
    assert [b["data-group"] for b in page.bars()] == [
        "kelembagaan",
        "klaster_1",
        "klaster_2",
        "klaster_3",
        "klaster_4",
        "klaster_5",
    ]  # in the order the total lists them


# -- a real browser ----------------------------------------------------------------

CHROMIUM = next(
    (
        found
        for name in ("chromium", "chromium-browser", "google-chrome")
        if (found := shutil.which(name))
    ),
    None,
)


def _png(data: bytes) -> tuple[int, int, bytes]:
    """Width, height and the inflated pixel rows of a PNG (no imaging library needed)."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    position, width, height, chunks = 8, 0, 0, []
    while position < len(data):
        length = int.from_bytes(data[position : position + 4], "big")
        kind = data[position + 4 : position + 8]
        body = data[position + 8 : position + 8 + length]
        if kind == b"IHDR":
            width, height = int.from_bytes(body[:4], "big"), int.from_bytes(body[4:8], "big")
        elif kind == b"IDAT":
            chunks.append(body)
        position += 12 + length
    return width, height, zlib.decompress(b"".join(chunks))


def _chromium(tmp_path: Path, page: Path, *flags: str) -> subprocess.CompletedProcess[bytes]:
    """Run headless Chromium on a page with a fresh profile, nothing fetched from the net."""
    assert CHROMIUM is not None
    profile = tmp_path / f"profile-{len(list(tmp_path.glob('profile-*')))}"
    command = [
        CHROMIUM,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        f"--user-data-dir={profile}",
        *flags,
        page.as_uri(),
    ]
    return subprocess.run(command, check=True, capture_output=True, timeout=180)  # noqa: S603


def _pdf_pages(data: bytes) -> int:
    """The pages of a PDF: its page objects (Chromium writes them uncompressed)."""
    assert data.startswith(b"%PDF-")
    return len(re.findall(rb"/Type\s*/Page(?![s\w])", data))


@pytest.fixture(scope="module")
def kla_report(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, indikator.Results]:
    ruleset = indikator.load(ROOT / "rulesets" / "kla" / "2025.ikr")
    results = ruleset.evaluate_many(read_csv(ROOT / "examples" / "kla_2025.csv"))
    path = tmp_path_factory.mktemp("kla") / "report.html"
    write_report(ruleset, results, path)
    return path, results


@pytest.mark.skipif(CHROMIUM is None, reason="no chromium binary (apt-get install chromium)")
def test_the_report_renders_in_headless_chromium(
    tmp_path: Path, kla_report: tuple[Path, indikator.Results]
) -> None:
    screenshot = tmp_path / "out.png"
    _chromium(tmp_path, kla_report[0], f"--screenshot={screenshot}", "--window-size=1200,1600")
    data = screenshot.read_bytes()
    assert len(data) > 10_000  # a blank page compresses to a few kB
    width, height, pixels = _png(data)
    assert (width, height) == (1200, 1600)
    assert len(set(pixels)) > 50  # text, bars and colours, not one flat colour


@pytest.mark.skipif(CHROMIUM is None, reason="no chromium binary (apt-get install chromium)")
def test_chromium_reads_the_page_as_written(
    tmp_path: Path, kla_report: tuple[Path, indikator.Results]
) -> None:
    path, results = kla_report
    page = dom(_chromium(tmp_path, path, "--dump-dom").stdout.decode("utf-8"))
    sections = [s.attrs["id"] for s in page.all("section")]
    assert sections == ["overview", *(f"r{i}" for i in range(len(results))), "sources"]
    assert len(page.all("rect", "tier")) == 6  # 'below' and the five KLA tiers
    assert len(page.all("rect", "bar")) == 6 + 6 * len(results)  # and 6 groups per region
    first = rows(page.by_id("overview").one("table", "regions"))[0]
    assert first[:2] == ["9914", "Kabupaten Contoh Ilalang"]
    assert first[-2:] == ["595,84", "Pratama"]


@pytest.mark.skipif(CHROMIUM is None, reason="no chromium binary (apt-get install chromium)")
def test_the_report_prints_to_pdf_a_page_per_section(
    tmp_path: Path, kla_report: tuple[Path, indikator.Results]
) -> None:
    # Five small regions: the overview, the roll-up and each region start a page each:
    # 7 pages at least (6 when the print CSS's page breaks are taken out).
    ruleset = indikator.loads(MINI)
    write_report(ruleset, ruleset.evaluate_many(MINI_DATA), tmp_path / "mini.html")
    _chromium(
        tmp_path,
        tmp_path / "mini.html",
        "--no-pdf-header-footer",
        f"--print-to-pdf={tmp_path / 'mini.pdf'}",
    )
    assert _pdf_pages((tmp_path / "mini.pdf").read_bytes()) >= 7
    path, results = kla_report
    _chromium(tmp_path, path, "--no-pdf-header-footer", f"--print-to-pdf={tmp_path / 'kla.pdf'}")
    pages = _pdf_pages((tmp_path / "kla.pdf").read_bytes())
    assert len(results) + 2 <= pages <= 3 * len(results) + 2  # each region 1-3 A4 pages


# -- command line ------------------------------------------------------------------


@pytest.mark.golden
@pytest.mark.parametrize("path", TRANSCRIPTS, ids=[p.stem for p in TRANSCRIPTS])
def test_cli_transcript(
    path: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    update_golden: bool,  # noqa: FBT001  # a pytest fixture, passed by name
) -> None:
    monkeypatch.chdir(ROOT)
    check_transcript(path, tmp_path, update=update_golden)


def test_evaluate_writes_every_column(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    for name in ("hasil.parquet", "hasil.xlsx", "hasil.json", "hasil.csv"):
        args = ["evaluate", "tests/fixtures/tour.ikr", "tests/fixtures/tour.csv", "-o"]
        result = CliRunner().invoke(main, [*args, str(tmp_path / name)])
        assert result.exit_code == 0, result.output
        written = read_table(tmp_path / name)
        ruleset = indikator.load(FIXTURES / "tour.ikr")
        expected = ruleset.evaluate_many(read_csv(FIXTURES / "tour.csv")).columns()
        assert list(written) == list(expected)  # region, name, every step, ranks, tier
        total = [float(v) for v in written["total"].tolist()]
        assert total == [170.0, 30.0, 120.0, 120.0]
        kaw = written["i_kaw"].tolist()[1]
        assert kaw is None or (isinstance(kaw, float) and math.isnan(kaw))


def test_evaluate_shows_a_progress_bar_on_long_runs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import indikator.cli  # noqa: PLC0415  # to lower its threshold

    monkeypatch.setattr(indikator.cli, "PROGRESS_ROWS", 2)
    ruleset = tmp_path / "r.ikr"
    ruleset.write_text(
        "ruleset r { scale 0 to 10 }\ninput a: percent { missing zero }\n"
        "indicator s = linear a from 0 to 100 onto 0 to 10\n",
        encoding="utf-8",
    )
    data = tmp_path / "d.csv"
    data.write_text("a\n10\n20\n30\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["evaluate", str(ruleset), str(data)])
    assert result.exit_code == 0, result.output
    assert "Menghitung" in result.output  # the bar's label, in Indonesian by default
    assert "row 3    3" in result.output
    tour = ["evaluate", str(FIXTURES / "tour.ikr"), str(FIXTURES / "tour.csv")]
    result = CliRunner().invoke(main, tour)
    assert "4 baris sekaligus (peringkat dan rekap memerlukan semuanya)" in result.output
    result = CliRunner().invoke(main, [*tour, "--lang", "en"])
    assert "Evaluating 4 rows at once (ranks and rollups need them all)" in result.output


def test_a_ruleset_without_tiers_or_groups() -> None:
    ruleset = indikator.loads(
        "ruleset plain { scale 0 to 10 }\ninput a: percent { missing zero }\n"
        "indicator s = linear a from 0 to 100 onto 0 to 10\n"
    )
    html = render_report(ruleset, ruleset.evaluate_many({"a": [50.0]}))
    page = _well_formed(html)
    assert page.tags("svg") == []
    text = "".join(page.text)
    assert "Ruleset ini tidak memiliki kelompok nilai." in text
    assert "5 dari 10" in " ".join(text.split())
