"""One data dictionary for the three schemes (issue 16, item 3).

The shared facts (`rulesets/common/facts.ikr`) are declared once and imported; a scheme
requires only the facts it reads; no two shipped rulesets declare one fact twice; the
page `docs/schemes/facts.md` lists the facts as the catalogue declares them; several
schemes run on one table (`evaluate_schemes`, `indikator evaluate kla kks stunting DATA`);
the real West Java data meets the official stunting ruleset through `readiness`.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from pathlib import Path

import pytest
from click.testing import CliRunner

import indikator
from indikator import nodes as n
from indikator.cli import main
from indikator.readiness import readiness
from indikator.ruleset import Catalogue, check_file, load
from indikator.tables import read_table

ROOT = Path(__file__).parents[2]
FACTS = ROOT / "rulesets" / "common" / "facts.ikr"
EXAMPLES = ROOT / "examples"
# Every shipped ruleset that is evaluated (catalogues are what they import).
SHIPPED = sorted(
    p
    for p in (ROOT / "rulesets").rglob("*.ikr")
    if "common" not in p.parts and p.stem != "catalogue"
)


def _write(folder: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


CATALOGUE = """\
input kode: text
input nama: text
input akta "Akta kelahiran": percent { missing zero }
input odf "Desa ODF": percent { missing error }
"""
SCHEME = """\
ruleset kla_mini { scale 0 to 100 region kode name nama }
import "../common/fakta.ikr"
indicator i_akta = linear akta from 0 to 100 onto 0 to 100
group total = sum(i_akta)
"""


# -- a scheme requires only the imported facts it reads -------------------------------


def test_an_imported_fact_the_scheme_does_not_read_is_not_required(tmp_path: Path) -> None:
    _write(tmp_path, {"common/fakta.ikr": CATALOGUE, "kla/mini.ikr": SCHEME})
    rs = load(tmp_path / "kla" / "mini.ikr", strict=True)  # strict: no IK302 for odf
    assert rs.inputs == ("kode", "nama", "akta")
    table = {"kode": ["01"], "nama": ["A"], "akta": [40]}
    assert rs.evaluate_many(table).total.tolist() == [40.0]
    assert rs.evaluate({"kode": "01", "nama": "A", "akta": 40}).total == 40
    report = readiness(rs, table)
    assert report.absent == ()
    assert not report.blocked
    # A column the scheme does not read is still an extra column, as before.
    with pytest.raises(indikator.DataError, match="IK502"):
        rs.evaluate_many({**table, "odf": [90]})


def test_an_imported_fact_the_scheme_reads_is_required(tmp_path: Path) -> None:
    _write(tmp_path, {"common/fakta.ikr": CATALOGUE, "kla/mini.ikr": SCHEME})
    rs = load(tmp_path / "kla" / "mini.ikr")
    with pytest.raises(indikator.DataError, match=r"IK501.*'akta'"):
        rs.evaluate_many({"kode": ["01"], "nama": ["A"]})


def test_a_scheme_own_unused_input_is_still_required_and_reported(tmp_path: Path) -> None:
    # Only imported facts are dropped: an input the file itself declares stays a column.
    own = SCHEME + 'input catatan "Catatan": percent\n'
    _write(tmp_path, {"common/fakta.ikr": CATALOGUE, "kla/mini.ikr": own})
    rs = load(tmp_path / "kla" / "mini.ikr")
    assert "catatan" in rs.inputs
    assert [w.code for w in rs.warnings] == ["IK302"]


def test_the_catalogue_alone_keeps_every_fact() -> None:
    checked = check_file(FACTS, strict=True)
    assert isinstance(checked, Catalogue)
    assert set(checked.inputs) == {
        "kode_kabkota",
        "nama_kabkota",
        "provinsi",
        "prevalensi_stunting",
        "persen_air_minum_layak",
        "ktr",
        "odf",
    }


def test_several_rulesets_and_catalogues_import_the_same_facts(tmp_path: Path) -> None:
    other = 'input sk_forum "SK Forum": yesno { missing zero }\nimport "../common/fakta.ikr"\n'
    both = (
        "ruleset kks_mini { scale 0 to 100 region kode }\n"
        'import "katalog.ikr"\nimport "../common/fakta.ikr"\n'
        "indicator i_odf = odf\nindicator i_forum = if sk_forum then 100 else 0\n"
        "group total = mean(i_odf, i_forum) max 100\n"
    )
    _write(
        tmp_path,
        {
            "common/fakta.ikr": CATALOGUE,
            "kla/mini.ikr": SCHEME,
            "kks/katalog.ikr": other,
            "kks/mini.ikr": both,
        },
    )
    kla = load(tmp_path / "kla" / "mini.ikr")
    kks = load(tmp_path / "kks" / "mini.ikr", strict=True)
    assert set(kks.inputs) == {"sk_forum", "kode", "odf"}  # nama, akta: not read, not required
    table = {"kode": ["01"], "nama": ["A"], "akta": [40], "odf": [80], "sk_forum": ["ya"]}
    both_results = indikator.evaluate_schemes([kla, kks], table)
    assert both_results.columns("en") == {
        "region": ["01"],
        "name": ["A"],
        "kla_mini.total": [40.0],
        "kks_mini.total": [90.0],
    }


def test_the_shipped_kks_2025_imports_the_facts_twice_over() -> None:
    # Through its catalogue (which imports the facts) and directly: one definition each.
    text = (ROOT / "rulesets" / "kks" / "2025.ikr").read_text(encoding="utf-8")
    assert 'import "catalogue.ikr"' in text
    assert 'import "../common/facts.ikr"' in text
    rs = load(ROOT / "rulesets" / "kks" / "2025.ikr", strict=True)
    assert {"kode_kabkota", "odf", "provinsi", "prevalensi_stunting"} <= set(rs.inputs)


def test_imports_reach_a_common_folder_beside_the_schemes_only(tmp_path: Path) -> None:
    # Without a `common/` folder above, the old limit holds: a file's own folder.
    _write(
        tmp_path,
        {"shared/fakta.ikr": CATALOGUE, "kla/mini.ikr": SCHEME.replace("common", "shared")},
    )
    with pytest.raises(indikator.RulesetCheckError, match="IK105"):
        load(tmp_path / "kla" / "mini.ikr")


def test_kks_2021_does_not_require_the_facts_it_does_not_read() -> None:
    rs = load(ROOT / "rulesets" / "kks" / "2021.ikr", strict=True)
    assert "provinsi" not in rs.inputs
    assert "prevalensi_stunting" not in rs.inputs


# -- no fact declared twice across the shipped rulesets --------------------------------


def _normal(text: str) -> str:
    """A label as compared: accents, case, punctuation and spacing ignored."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return " ".join(re.findall(r"[a-z0-9]+", plain.lower()))


def _declarations(paths: list[Path], root: Path) -> dict[tuple[str, str], set[str]]:
    """(kind, key) -> the places that declare an input with that id or label."""
    found: dict[tuple[str, str], set[str]] = {}
    for path in paths:
        for spec in load(path).plan.inputs:
            file = str(Path(spec.origin.file).resolve().relative_to(root.resolve()))
            keys = [("id", spec.name)]
            if spec.label is not None:
                keys.append(("label", _normal(spec.label.id)))
                if spec.label.en:
                    keys.append(("label", _normal(spec.label.en)))
            for key in keys:
                found.setdefault(key, set()).add(f"{file}:{spec.origin.line}")
    return found


def _twice(paths: list[Path], root: Path) -> dict[tuple[str, str], list[str]]:
    found = _declarations(paths, root)
    return {key: sorted(places) for key, places in found.items() if len(places) > 1}


def test_no_two_shipped_rulesets_declare_one_fact_twice() -> None:
    twice = _twice(SHIPPED, ROOT)
    assert twice == {}, "declare a shared fact once, in rulesets/common/facts.ikr"


def test_the_duplicate_check_can_fail(tmp_path: Path) -> None:
    # Two files declaring one fact under two ids, with labels that differ only in case,
    # spacing and accents; and the same id declared twice.
    _write(
        tmp_path,
        {
            "a.ikr": "ruleset a { scale 0 to 1 region kode }\ninput kode: text\n"
            'input p "Prévalensi  Stunting": percent\nindicator x = p / 100\n',
            "b.ikr": "ruleset b { scale 0 to 1 region kode }\ninput kode: text\n"
            'input q "prevalensi stunting": percent\nindicator y = q / 100\n',
        },
    )
    twice = _twice([tmp_path / "a.ikr", tmp_path / "b.ikr"], tmp_path)
    assert twice == {
        ("id", "kode"): ["a.ikr:2", "b.ikr:2"],
        ("label", "prevalensi stunting"): ["a.ikr:3", "b.ikr:3"],
    }


def test_every_shared_fact_is_read_by_a_shipped_ruleset() -> None:
    read = {name for path in SHIPPED for name in load(path).inputs}
    assert set(_facts()) <= read


# -- docs/schemes/facts.md lists the facts as declared -----------------------------------


def _facts() -> dict[str, n.Input]:
    checked = check_file(FACTS)
    assert isinstance(checked, Catalogue)
    return {d.name: d for d in checked.definitions if isinstance(d, n.Input)}


def _readers() -> dict[str, list[str]]:
    readers: dict[str, list[str]] = {}
    for path in SHIPPED:
        rs = load(path)
        for name in rs.inputs:
            readers.setdefault(name, []).append(f"`{path.relative_to(ROOT / 'rulesets')}`")
    return readers


def facts_table() -> str:
    """The table of docs/schemes/facts.md, from the catalogue and the shipped rulesets."""
    readers = _readers()
    lines = [
        "| id | label (id / en) | type | unit | agency | missing | source | read by |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for name, fact in _facts().items():
        label = f"{fact.label.id} / {fact.label.en}" if fact.label else ""
        cells = [
            f"`{name}`",
            label,
            fact.type.kind,
            fact.unit or "",
            fact.agency or "",
            "" if fact.type.kind == "text" else f"`{fact.missing or 'error'}`",
            "; ".join(fact.sources),
            ", ".join(readers.get(name, [])),
        ]
        lines.append("| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |")
    return "\n".join(lines)


def test_the_facts_page_lists_every_fact_as_declared() -> None:
    page = (ROOT / "docs" / "schemes" / "facts.md").read_text(encoding="utf-8")
    match = re.search(r"<!-- facts -->\n(.*?)\n<!-- /facts -->", page, re.DOTALL)
    assert match is not None, "docs/schemes/facts.md: the table between <!-- facts --> marks"
    assert match.group(1) == facts_table(), f"regenerate the table:\n{facts_table()}"


# -- several schemes on one table -------------------------------------------------------


def test_three_schemes_on_one_table() -> None:
    rulesets = [indikator.load_ruleset(s) for s in ("kla", "kks", "stunting")]
    table = read_table(EXAMPLES / "profil_2025.csv")
    schemes = indikator.evaluate_schemes(rulesets, table)
    assert schemes.names == ("kla_2025", "kks_2025", "stunting_2024")
    columns = schemes.columns("id")
    assert list(columns) == [
        "region",
        "name",
        "kla_2025.total",
        "kla_2025.tier",
        "kks_2025.total",
        "kks_2025.tier",
        "stunting_2024.total",
        "stunting_2024.tier",
    ]
    assert len(columns["region"]) == 7
    # Each block is that scheme's own result on the same rows.
    for ruleset, name in zip(rulesets, schemes.names, strict=True):
        alone = ruleset.evaluate_many(table, extra="ignore")
        assert columns[f"{name}.tier"] == alone.tiers("id")
        assert schemes[name].total.tolist() == alone.total.tolist()


def test_a_column_no_scheme_reads_is_an_error_and_problems_come_once() -> None:
    rulesets = [indikator.load_ruleset(s) for s in ("kla", "kks", "stunting")]
    table = dict(read_table(EXAMPLES / "profil_2025.csv"))
    with pytest.raises(indikator.DataError, match=r"IK502.*'catatan'"):
        indikator.evaluate_schemes(rulesets, {**table, "catatan": ["x"] * 7})
    del table["kode_kabkota"]  # read by all three: reported once
    with pytest.raises(indikator.DataError) as error:
        indikator.evaluate_schemes(rulesets, table, extra="ignore")
    assert error.value.render().count("'kode_kabkota'") == 1


def test_the_command_prints_one_block_per_scheme(tmp_path: Path) -> None:
    data = EXAMPLES / "profil_2025.csv"
    output = tmp_path / "profil.csv"
    args = ["evaluate", "kla", "kks", "stunting", str(data), "--lang", "en", "-o", str(output)]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    header = next(line for line in result.stdout.splitlines() if line.startswith("region"))
    assert header.split() == [
        "region",
        "name",
        "kla_2025.total",
        "kla_2025.tier",
        "kks_2025.total",
        "kks_2025.tier",
        "stunting_2024.total",
        "stunting_2024.tier",
    ]
    assert "9932    Kota Contoh Kenanga" in result.stdout
    with output.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(line for line in handle if not line.startswith("#")))
    assert rows[0][2:4] == ["kla_2025.total", "kla_2025.tier"]
    assert len(rows) == 8


def test_one_ruleset_options_are_refused_with_several() -> None:
    data = str(EXAMPLES / "profil_2025.csv")
    result = CliRunner().invoke(main, ["evaluate", "kla", "kks", data, "--show", "total"])
    assert result.exit_code == 2
    assert "--show" in result.output


# -- the real West Java data and the official stunting ruleset ----------------------------


def test_west_java_data_meets_the_official_stunting_ruleset() -> None:
    rs = indikator.load_ruleset("stunting", 2024)
    table = read_table(EXAMPLES / "jabar_stunting_2024.csv")
    report = readiness(rs, table, lang="en")
    absent = [column for column, _agency in report.absent]
    # The region facts come from the shared catalogue and are in the data ...
    assert {"kode_kabkota", "nama_kabkota"} <= set(table)
    assert not {"kode_kabkota", "nama_kabkota"} & set(absent)
    # ... the province and every assessment item are what the data lacks.
    assert absent[0] == "provinsi"
    assert set(absent) == set(rs.inputs) - {"kode_kabkota", "nama_kabkota"}
    assert len(absent) == 23
    assert report.blocked
    # Its prevalence column is the shared fact, which this scheme does not score.
    assert "prevalensi_stunting" in report.extra
    assert "prevalensi_stunting" in _facts()


def test_the_report_of_several_schemes_is_the_region_profile(tmp_path: Path) -> None:
    data = str(EXAMPLES / "profil_2025.csv")
    output = tmp_path / "profil.html"
    args = ["report", "kla", "kks", "stunting", data, "-o", str(output)]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    page = output.read_text(encoding="utf-8")
    assert page.count("<h2>Profil wilayah</h2>") == 1
    assert "Evaluasi Kabupaten/Kota Layak Anak 2025" in page
    assert "<script" not in page
    # One row per region: id, name, then each scheme's total and tier.
    row = re.search(r"<tr><td>9914</td>(.*?)</tr>", page)
    assert row is not None
    cells = re.findall(r"<td>(.*?)</td>", row.group(1))
    assert cells == [
        "Kab. Contoh Ilalang",
        "625,84",
        "Madya",
        "88,8",
        "Swasti Saba Padapa",
        "70,82",
        "Cukup",
    ]
    # Each scheme's assumptions are shown, as in a one-scheme report.
    assert page.count('class="banner"') == 4
    english = CliRunner().invoke(main, [*args, "--lang", "en"])
    assert english.exit_code == 0
    assert "<h2>Region profile</h2>" in output.read_text(encoding="utf-8")


def test_one_ruleset_report_options_are_refused_with_several(tmp_path: Path) -> None:
    data = str(EXAMPLES / "profil_2025.csv")
    out = str(tmp_path / "p.html")
    result = CliRunner().invoke(main, ["report", "kla", "kks", data, "-o", out, "--region", "9914"])
    assert result.exit_code == 2
    assert "--region" in result.output


def test_a_scheme_without_tiers_shows_its_score_not_a_let() -> None:
    plain = indikator.loads(
        "ruleset polos { scale 0 to 100 region kode }\ninput kode: text\ninput x: percent\n"
        "indicator skor = x\nlet separuh = skor / 2\n"
    )
    schemes = indikator.evaluate_schemes([plain], {"kode": ["01"], "x": [80]})
    assert schemes.columns() == {"region": ["01"], "polos.total": [80.0]}


def test_an_unread_imported_fact_is_still_suggested_for_a_misspelt_name(tmp_path: Path) -> None:
    misspelt = SCHEME.replace(
        "group total = sum(i_akta)", "indicator i_odf = odff\ngroup total = sum(i_akta, i_odf)"
    )
    _write(tmp_path, {"common/fakta.ikr": CATALOGUE, "kla/mini.ikr": misspelt})
    with pytest.raises(indikator.RulesetCheckError, match="did you mean 'odf'"):
        load(tmp_path / "kla" / "mini.ikr")
