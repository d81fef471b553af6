"""The HTML report as a reader sees it: parsed into a tree and checked element by element.

A small ruleset whose every number is worked out by hand below (`MINI`), and the shipped
KLA, KKS and stunting examples, checked against the evaluator's own arrays (never against
the page's text): numbers in the reader's notation, labels instead of identifiers,
indicators sorted by the points they would add, one chart bar per tier and per province,
ranks with what they rank within, roll-ups, sources and assumptions, print CSS.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import numpy as np
import pytest

import indikator
from indikator.report import render_report
from indikator.tables import read_csv

ROOT = Path(__file__).parents[2]
BLOCK = {"div", "p", "li", "tr", "td", "th", "h2", "h3", "section", "table", "ul", "ol"}
VOID = {"meta", "br", "hr", "img", "input", "link", "area", "base", "col", "source", "wbr"}

MINI = """
ruleset mini {
  title "Mini <b>" en "Mini"
  edition 2025
  scale 0 to 120
  region kode
  name nama
}
input kode: text
input nama: text
input provinsi "Provinsi" en "Province": text
input a "Akta" en "Birth certificates": percent { missing zero agency "Dinkes" }
input b "Gizi" en "Nutrition": percent { missing zero agency "Dinkes" }
input c "Cakupan" en "Coverage": percent { missing zero agency "Dinkes" }
input d "Dokumen" en "Documents": percent { missing zero agency "Bappeda" }
input sk "SK Forum" en "Forum decree": yesno { missing zero agency "Forum" }
indicator i_a "Akta kelahiran" en "Birth registration" = linear a from 0 to 100 onto 0 to 100
indicator i_b "Gizi baik" en "Good nutrition" = linear b from 0 to 100 onto 0 to 100
indicator i_c "Cakupan imunisasi" en "Immunisation" = linear c from 0 to 100 onto 0 to 10
indicator i_d "Dokumen rencana" en "Plan document" = linear d from 0 to 100 onto 0 to 10
group g "Kelompok inti" en "Core group" = mean(i_a, i_b) max 100
group total "Total" en "Total" = sum(g, i_c, i_d)
tiers on total {
  below "Belum"
  baik "Baik" en "Good" [50, 80) requires a >= 60 "Akta cukup" en "Enough certificates"
  utama "Utama" en "Top" [80, 120] requires sk "SK ada" en "Decree exists"
}
rank peringkat "Peringkat dalam provinsi" en "Rank within the province" =
  total desc within provinsi
rollup per_provinsi "Ringkasan provinsi" en "Province summary" by provinsi {
  jumlah "Jumlah" en "Count" = count()
  rata "Rata-rata" en "Mean" = mean(total)
  persen "Persen baik" en "Share good" = share(tier >= "baik")
}
"""
# By hand (g = (i_a + i_b) / 2, total = g + c/10 + d/10):
#   01 P1 a90 b40 c0 d100:   g 65, total 75  -> Baik (a >= 60)        rank 2 of 2 in P1
#   02 P1 all 100, sk ya:    g 100, total 120 -> Utama                 rank 1 of 2 in P1
#   03 P2 a50 b80 c50 d0:    g 65, total 70  -> Baik's range, a < 60 -> Belum  rank 2 of 3
#   04 P2 a100 b90 c100 d0:  g 95, total 105 -> Utama's range, no SK -> Baik   rank 1 of 3
#   05 P2 all 20:            g 20, total 22  -> Belum                  rank 3 of 3
# Tiers: Utama 1, Baik 2, Belum 2. P1: 2 regions, mean 97.5, 100 % at Baik or above;
# P2: 3 regions, mean 197 / 3 = 65.67, 1 of 3 (33.3 %). Region 01's gains on the total:
# i_a (100 - 90) * 1/2 = 5, i_b (100 - 40) * 1/2 = 30, i_c (10 - 0) * 1 = 10 (Dinkes, 45
# in all), i_d 0 (Bappeda): Dinkes first, then i_b, i_c, i_a (by shortfall it would be
# i_b 60, i_a 10, i_c 10; in the ruleset's order i_a, i_b, i_c).
DATA = {
    "kode": ["01", "02", "03", "04", "05"],
    "nama": ["Kab A", "Kab B", "Kab C", "Kab D", "Kab E"],
    "provinsi": ["P1", "P1", "P2", "P2", "P2"],
    "a": [90, 100, 50, 100, 20],
    "b": [40, 100, 80, 90, 20],
    "c": [0, 100, 50, 100, 20],
    "d": [100, 100, 0, 0, 0],
    "sk": ["ya", "ya", "tidak", "tidak", "tidak"],
}


@dataclass
class Node:
    """An element: tag, attributes, children (elements and text)."""

    tag: str
    attrs: dict[str, str]
    children: list[Node | str] = field(default_factory=list)

    @property
    def classes(self) -> set[str]:
        return set(self.attrs.get("class", "").split())

    def text(self) -> str:
        """The text inside, whitespace collapsed; an SVG `<title>` (a tooltip) left out."""
        if self.tag == "br":
            return " "
        parts = [
            c if isinstance(c, str) else f" {c.text()} " if c.tag in BLOCK else c.text()
            for c in self.children
            if not _tooltip(c)
        ]
        return " ".join("".join(parts).split())

    def all(self, tag: str, cls: str | None = None) -> list[Node]:
        """Every element below with this tag (and class), in document order."""
        found = []
        for child in self.children:
            if isinstance(child, Node):
                if child.tag == tag and (cls is None or cls in child.classes):
                    found.append(child)
                found += child.all(tag, cls)
        return found

    def one(self, tag: str, cls: str | None = None) -> Node:
        (found,) = self.all(tag, cls)
        return found

    def by_id(self, ident: str) -> Node:
        return next(n for n in self.all_elements() if n.attrs.get("id") == ident)

    def all_elements(self) -> list[Node]:
        out = []
        for child in self.children:
            if isinstance(child, Node):
                out += [child, *child.all_elements()]
        return out


def _tooltip(child: Node | str) -> bool:
    return isinstance(child, Node) and child.tag == "title" and child is not None


class _Builder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("document", {})
        self.stack = [self.root]

    def handle_starttag(self, tag: str, attributes: list[tuple[str, str | None]]) -> None:
        node = Node(tag, {k: v or "" for k, v in attributes})
        self.stack[-1].children.append(node)
        if tag not in VOID:
            self.stack.append(node)

    def handle_startendtag(self, tag: str, attributes: list[tuple[str, str | None]]) -> None:
        self.stack[-1].children.append(Node(tag, {k: v or "" for k, v in attributes}))

    def handle_endtag(self, tag: str) -> None:
        assert self.stack[-1].tag == tag, f"</{tag}> closes <{self.stack[-1].tag}>"
        self.stack.pop()

    def handle_data(self, data: str) -> None:
        self.stack[-1].children.append(data)


def dom(page: str) -> Node:
    builder = _Builder()
    builder.feed(page)
    builder.close()
    assert builder.stack == [builder.root]
    return builder.root


def rows(table: Node) -> list[list[str]]:
    """The body rows of a table as cell texts."""
    return [[td.text() for td in tr.all("td")] for tr in table.one("tbody").all("tr")]


def header(table: Node) -> list[str]:
    return [th.text() for th in table.one("thead").all("th")]


@pytest.fixture(scope="module")
def mini() -> tuple[indikator.Ruleset, indikator.Results]:
    ruleset = indikator.loads(MINI)
    return ruleset, ruleset.evaluate_many(DATA)


@pytest.fixture(scope="module")
def kla() -> tuple[indikator.Ruleset, indikator.Results]:
    ruleset = indikator.load(ROOT / "rulesets" / "kla" / "2025.ikr")
    return ruleset, ruleset.evaluate_many(read_csv(ROOT / "examples" / "kla_2025.csv"))


@pytest.fixture(scope="module")
def kla_page(kla: tuple[indikator.Ruleset, indikator.Results]) -> Node:
    return dom(render_report(*kla))


# -- the small ruleset, by hand ------------------------------------------------------


def test_sections_in_order(mini: tuple[indikator.Ruleset, indikator.Results]) -> None:
    page = dom(render_report(*mini))
    ids = [s.attrs["id"] for s in page.all("section")]
    # no sources section: the ruleset cites nothing and assumes nothing
    assert ids == ["overview", "rollup-per_provinsi", "r0", "r1", "r2", "r3", "r4"]


def test_tier_distribution_table_and_chart(
    mini: tuple[indikator.Ruleset, indikator.Results],
) -> None:
    overview = dom(render_report(*mini)).by_id("overview")
    table = overview.one("table", "distribution")
    assert rows(table) == [
        ["Utama", "1", "20,0 %"],
        ["Baik", "2", "40,0 %"],
        ["Belum", "2", "40,0 %"],
    ]
    bars = overview.all("rect", "tier")
    assert [(b.attrs["data-tier"], b.attrs["data-count"]) for b in bars] == [
        ("utama", "1"),
        ("baik", "2"),
        ("below", "2"),
    ]
    widths = [float(b.attrs["width"]) for b in bars]
    assert widths[1] == widths[2] == 2 * widths[0]  # scaled to the largest count


def test_overview_table_has_the_rank_and_what_it_ranks_within(
    mini: tuple[indikator.Ruleset, indikator.Results],
) -> None:
    table = dom(render_report(*mini)).by_id("overview").one("table", "regions")
    assert header(table) == [
        "Kode",
        "Nama",
        "Provinsi",
        "Peringkat dalam provinsi",
        "Nilai total",
        "Predikat",
    ]
    assert rows(table) == [
        ["01", "Kab A", "P1", "2 dari 2", "75", "Baik"],
        ["02", "Kab B", "P1", "1 dari 2", "120", "Utama"],
        ["03", "Kab C", "P2", "2 dari 3", "70", "Belum"],
        ["04", "Kab D", "P2", "1 dari 3", "105", "Baik"],
        ["05", "Kab E", "P2", "3 dari 3", "22", "Belum"],
    ]
    english = dom(render_report(*mini, lang="en")).by_id("overview").one("table", "regions")
    assert rows(english)[2][2:4] == ["P2", "2 of 3"]


def test_region_card_shows_the_rank_and_its_province(
    mini: tuple[indikator.Ruleset, indikator.Results],
) -> None:
    card = dom(render_report(*mini, region="05")).one("div", "rank")
    assert card.text() == "Peringkat dalam provinsi 3 dari 3 P2"


def test_rollup_table_and_chart(mini: tuple[indikator.Ruleset, indikator.Results]) -> None:
    section = dom(render_report(*mini)).by_id("rollup-per_provinsi")
    assert section.one("h2").text() == "Ringkasan provinsi"
    table = section.one("table", "rollup")
    assert header(table) == ["Provinsi", "Jumlah", "Rata-rata", "Persen baik"]
    assert rows(table) == [["P1", "2", "97,50", "100,0 %"], ["P2", "3", "65,67", "33,3 %"]]
    segments = [
        (s.attrs["data-group"], s.attrs["data-tier"], int(s.attrs["data-count"]))
        for s in section.all("rect", "seg")
    ]
    assert segments == [
        ("P1", "baik", 1),
        ("P1", "utama", 1),
        ("P2", "below", 2),
        ("P2", "baik", 1),
    ]
    # each province's bar is the whole bar width, split by share
    widths = [float(s.attrs["width"]) for s in section.all("rect", "seg")]
    assert widths == [150.0, 150.0, 200.0, 100.0]
    english = dom(render_report(*mini, lang="en")).by_id("rollup-per_provinsi")
    assert rows(english.one("table", "rollup"))[1] == ["P2", "3", "65.67", "33.3 %"]


def test_indicators_within_an_agency_by_points_to_gain(
    mini: tuple[indikator.Ruleset, indikator.Results],
) -> None:
    table = dom(render_report(*mini, region="01")).one("table", "agencies")
    assert header(table) == [
        "OPD",
        "Indikator",
        "Poin",
        "Maks.",
        "Kekurangan",
        "Tambahan nilai total",
        "Dasar angka",
    ]
    shown = [cells[:6] for cells in rows(table)]  # an agency's name spans two columns
    assert shown == [
        ["Dinkes", "130", "210", "80", "45", ""],
        ["", "Gizi baik", "40", "100", "60", "30"],
        ["", "Cakupan imunisasi", "0", "10", "10", "10"],
        ["", "Akta kelahiran", "90", "100", "10", "5"],
        ["Bappeda", "10", "10", "0", "0", ""],
        ["", "Dokumen rencana", "10", "10", "0", "0"],
    ]


def test_requirements_speak_labels_and_values(
    mini: tuple[indikator.Ruleset, indikator.Results],
) -> None:
    page = dom(render_report(*mini, region="03"))
    table = next(t for t in page.all("table") if header(t)[0] == "Syarat")
    assert rows(table) == [
        ["Akta cukup", "Baik", "syarat TIDAK terpenuhi", "Akta ≥ 60; Akta: 50"],
        ["SK ada", "Utama", "syarat TIDAK terpenuhi", "SK Forum: tidak"],
    ]
    english = dom(render_report(*mini, region="03", lang="en"))
    table = next(t for t in english.all("table") if header(t)[0] == "Requirement")
    assert rows(table)[0][3] == "Birth certificates ≥ 60; Birth certificates: 50"


def test_a_ruleset_without_ranks_or_rollups_has_neither() -> None:
    text = MINI[: MINI.index("rank peringkat")]
    ruleset = indikator.loads(text)
    page = dom(render_report(ruleset, ruleset.evaluate_many(DATA)))
    assert [s.attrs["id"] for s in page.all("section")][:2] == ["overview", "r0"]
    assert page.all("div", "rank") == []
    assert "Peringkat" not in page.text()


# -- the shipped KLA example, against the evaluator ----------------------------------

_ID_NUMBER = re.compile(r"^-?\d{1,3}(\.\d{3})*(,\d+)?$")


def _indonesian(text: str) -> float:
    assert _ID_NUMBER.match(text), text
    return float(text.replace(".", "").replace(",", "."))


def test_kla_totals_in_indonesian_notation(
    kla: tuple[indikator.Ruleset, indikator.Results], kla_page: Node
) -> None:
    _, results = kla
    table = kla_page.by_id("overview").one("table", "regions")
    totals = [cells[-2] for cells in rows(table)]
    assert all(re.fullmatch(r"\d{3},\d{2}", t) for t in totals), totals  # '772,60', not '772.6'
    assert [_indonesian(t) for t in totals] == [round(float(v), 2) for v in results.total]
    card = kla_page.by_id("r0").one("div", "cards").text()
    assert "595,84 dari 1.000" in card


def test_kla_tier_chart_has_one_bar_per_tier_counted_as_the_evaluator(
    kla: tuple[indikator.Ruleset, indikator.Results], kla_page: Node
) -> None:
    ruleset, results = kla
    c = ruleset.plan.classification
    assert c is not None
    bars = kla_page.by_id("overview").all("rect", "tier")
    assert len(bars) == len(c.names) + 1  # every tier and 'below'
    counted = Counter(results.tier_codes.tolist())
    names = ["below", *c.names]
    assert {b.attrs["data-tier"]: int(b.attrs["data-count"]) for b in bars} == {
        names[code]: counted.get(code, 0) for code in range(len(names))
    }


def test_kla_no_identifier_where_a_label_exists(
    kla: tuple[indikator.Ruleset, indikator.Results], kla_page: Node
) -> None:
    ruleset, results = kla
    plan = ruleset.plan
    labels = [s.label for s in (*plan.steps, *plan.inputs) if s.label]
    labelled = {s.name for s in (*plan.steps, *plan.inputs) if s.label}
    labelled -= {w for label in labels for w in label.text("id").split()}  # 'kelembagaan'
    assert len(labelled) > 50  # of 61: the indicators, groups and inputs
    region = kla_page.by_id("r0")
    tables = [t for t in region.all("table") if header(t)[0] in ("Syarat", "OPD")]
    assert len(tables) == 2
    words = set(re.findall(r"[\w.]+", " ".join(t.text() for t in tables)))
    assert not words & labelled
    # the unmet indicators of the requirement, by label, are those the evaluator found unmet
    detail = rows(tables[0])[0][3]
    assert detail.startswith("belum terpenuhi: ")
    env = results.env
    judged = [
        (s.name, s.label.text("id"), env[f"{s.name}.met"][0] == 1.0)
        for s in plan.steps
        if s.label is not None and f"{s.name}.met" in env
    ]
    # KLA numbers its indicators as it writes them (i01 ... i24): the order of the list
    unmet = [label for _, label, held in sorted(judged) if not held]
    assert len(unmet) == 15  # i01, i02, i04, i06, i07, i12, i13, i15, i16, i17, i19, i21-i24
    assert [li.text() for li in tables[0].one("ul", "unmet").all("li")] == unmet


def test_kla_indicators_sorted_by_shortfall_within_each_agency(kla_page: Node) -> None:
    # KLA's groups are sums: a point of an indicator is a point of the total, so the
    # points to gain are the shortfall (no extra column).
    table = kla_page.by_id("r0").one("table", "agencies")
    assert "Tambahan nilai total" not in header(table)
    agencies: list[list[float]] = []
    subtotals = []
    for tr in table.one("tbody").all("tr"):
        cells = [td.text() for td in tr.all("td")]
        if "subtotal" in tr.classes:
            subtotals.append(_indonesian(cells[3]))
            agencies.append([])
        else:
            agencies[-1].append(_indonesian(cells[4]))
    assert subtotals == sorted(subtotals, reverse=True)
    assert len(agencies) == 9
    for shortfalls in agencies:
        assert shortfalls == sorted(shortfalls, reverse=True)
    assert agencies[0] == [40, 27.81, 25, 10.45, 10, 10]  # DP3A, as in the review's list


def test_kla_sources_and_assumptions(
    kla: tuple[indikator.Ruleset, indikator.Results], kla_page: Node
) -> None:
    ruleset, _ = kla
    sources = kla_page.by_id("sources")
    assert sources.one("p", "counts").text() == (
        "Angka penilaian: 1 dirujuk, 100 asumsi, 42 struktural, 0 tanpa tanda"
    )
    documents = sources.one("ol", "documents").all("li")
    assert len(documents) == len(ruleset.provenance.sources) == 5
    assert "dirujuk oleh: Klaster I: Hak sipil dan kebebasan (Lampiran II: klaster I)" in (
        documents[0].text()
    )
    assumptions = sources.one("table", "assumptions")
    assert len(rows(assumptions)) == len(ruleset.provenance.assumed)
    first = rows(assumptions)[0]
    # a parameter: its label, its id and the indicator that reads it (i01 "Perda KLA")
    assert first[:3] == [
        "Poin maksimum Perda KLA w_perda dipakai di: Perda KLA",
        "60",
        "30 \N{EN DASH} 90",
    ]
    # a parameter without a label still names what reads it
    akta = next(r for r in rows(assumptions) if "e_akta_1" in r[0])
    assert akta[0].startswith("e_akta_1 dipakai di: ")
    banners = [p.text() for p in kla_page.all("p", "banner")]
    assert any(b.startswith("Asumsi: 100 dari 101 angka penilaian") for b in banners)


def test_print_css(kla_page: Node) -> None:
    style = kla_page.one("style").text()
    media = style[style.index("@media print") :]
    assert "section + section { break-before: page; }" in media
    assert "tr, .card, .chart, .gap, .banner, li { break-inside: avoid; }" in media
    assert "thead { display: table-header-group; }" in media
    assert "print-color-adjust: exact" in media
    assert "@page { size: A4" in style


# -- roll-ups and ranks of the shipped KKS and stunting examples -----------------------


def test_kks_rollup_against_a_brute_force_count() -> None:
    ruleset = indikator.load(ROOT / "rulesets" / "kks" / "2025.ikr")
    table = read_csv(ROOT / "examples" / "kks_2025.csv")
    results = ruleset.evaluate_many(table)
    section = dom(render_report(ruleset, results)).by_id("rollup-per_provinsi")
    provinces = [str(v) for v in results.env["provinsi"]]
    codes = results.tier_codes.tolist()
    body = rows(section.one("table", "rollup"))
    assert [r[0] for r in body] == sorted(set(provinces))
    names = ["below", *(ruleset.plan.classification.names if ruleset.plan.classification else [])]
    for cells in body:
        members = [i for i, p in enumerate(provinces) if p == cells[0]]
        assert cells[1] == str(len(members))
        mean = sum(float(results.env["capaian_kks"][i]) for i in members) / len(members)
        assert _indonesian(cells[2]) == round(mean, 2)
        segments = {
            s.attrs["data-tier"]: int(s.attrs["data-count"])
            for s in section.all("rect", "seg")
            if s.attrs["data-group"] == cells[0]
        }
        expected = Counter(names[codes[i]] for i in members)
        assert segments == dict(expected)
    assert len({s.attrs["data-group"] for s in section.all("rect", "seg")}) == 3


def test_stunting_ranks_are_the_evaluators_within_the_province() -> None:
    ruleset = indikator.load(ROOT / "rulesets" / "stunting" / "2024.ikr")
    results = ruleset.evaluate_many(read_csv(ROOT / "examples" / "stunting_2024.csv"))
    table = dom(render_report(ruleset, results)).by_id("overview").one("table", "regions")
    assert header(table)[2:4] == ["Provinsi", "Peringkat dalam provinsi"]
    provinces = np.asarray(results.env["provinsi"], dtype=object)
    for i, cells in enumerate(rows(table)):
        size = int((provinces == provinces[i]).sum())
        assert cells[2] == provinces[i]
        assert cells[3] == f"{int(results['peringkat'][i])} dari {size}"


def test_without_tiers_the_rollup_chart_shows_the_mean_against_the_scale() -> None:
    text = MINI[: MINI.index("tiers on total")] + MINI[MINI.index("rank peringkat") :]
    text = text.replace('  persen "Persen baik" en "Share good" = share(tier >= "baik")\n', "")
    ruleset = indikator.loads(text)
    page = dom(render_report(ruleset, ruleset.evaluate_many(DATA)))
    assert page.by_id("overview").all("table", "distribution") == []
    section = page.by_id("rollup-per_provinsi")
    bars = section.all("rect", "bar")
    # P1 mean 97.5, P2 65.67 of a scale to 120, on 300 units: 243.75 and 164.17
    assert [(b.attrs["data-group"], b.attrs["width"]) for b in bars] == [
        ("P1", "243.8"),
        ("P2", "164.2"),
    ]
    assert "Predikat" not in header(page.by_id("overview").one("table", "regions"))


def test_grouping_values_are_escaped_in_tables_and_charts() -> None:
    ruleset = indikator.loads(MINI)
    data = {**DATA, "provinsi": ["<b>P1</b>", "<b>P1</b>", "P&2", "P&2", "P&2"]}
    html = render_report(ruleset, ruleset.evaluate_many(data))
    assert "<b>P1" not in html
    page = dom(html)
    section = page.by_id("rollup-per_provinsi")
    assert [r[0] for r in rows(section.one("table", "rollup"))] == ["<b>P1</b>", "P&2"]
    assert {s.attrs["data-group"] for s in section.all("rect", "seg")} == {"<b>P1</b>", "P&2"}
    assert rows(page.by_id("overview").one("table", "regions"))[2][2] == "P&2"
