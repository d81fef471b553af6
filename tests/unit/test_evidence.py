"""Evidence (data dukung): declarations, the register, and what `readiness --evidence` says.

Every expected value is worked out by hand from the small ruleset below: `a` (max 10) and
`b` (max 40) in `weighted(a: 25, b: 75) max 100`, so a point of `a` is 25/100 * 100/10 = 2.5
points of the classified score and a point of `b` 75/100 * 100/40 = 1.875: 25 points of the
score hang on `a`'s documents and 75 on `b`'s.
"""

from __future__ import annotations

import datetime as dt
import json
import pickle
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

import indikator
from indikator.cli import main
from indikator.errors import DataError, RulesetError
from indikator.evidence import EvidenceReport, check_evidence
from indikator.evidence_register import read_register
from indikator.formatter import format_text
from indikator.tables import read_table

RULES = """
ruleset d { scale 0 to 100 region kode name nama }
input kode: text
input nama: text
input x "Perda" : percent {
  agency "DP3A"
  missing zero
  evidence "SK" due 2026-11-16
  evidence "Foto"
}
input y: percent { missing zero }
indicator a = linear x from 0 to 100 onto 0 to 10
indicator b = linear y from 0 to 100 onto 0 to 40 agency "Dinkes" evidence "Laporan" due 2026-11-18
group g = weighted(a: 25, b: 75) max 100
tiers on g { ok "OK" [50, 100] }
"""
REGIONS = [("01", "Kab A"), ("02", "Kab B")]
HEADER = "region,input,document,link,status,date,note\n"
NOV = {day: dt.date(2026, 11, day) for day in (15, 16, 17, 18)}


def _report(tmp_path: Path, rows: str, as_of: dt.date, name: str = "daftar.csv") -> EvidenceReport:
    (tmp_path / name).write_text(HEADER + rows, encoding="utf-8")
    ruleset = indikator.loads(RULES)
    register = read_register(tmp_path / name, ruleset, [r for r, _ in REGIONS])
    return check_evidence(ruleset, register, REGIONS, as_of=as_of, lang="en")


def _kinds(report: EvidenceReport) -> dict[tuple[str, str], str]:
    return {(f.region, f.requirement.document): f.kind for f in report.findings}


# -- the declarations ------------------------------------------------------------------


def test_requirements_carry_owner_agency_and_deadline() -> None:
    found = [(e.document, e.owner, e.agency, e.due) for e in indikator.loads(RULES).evidence()]
    assert found == [
        ("SK", "x", "DP3A", NOV[16]),
        ("Foto", "x", "DP3A", None),
        ("Laporan", "b", "Dinkes", NOV[18]),
    ]


def test_an_input_without_agency_takes_its_indicators() -> None:
    rules = RULES.replace('agency "DP3A"', "").replace('agency "Dinkes" ', "")
    rules = rules.replace("onto 0 to 10", 'onto 0 to 10 agency "Bappeda"')
    assert [e.agency for e in indikator.loads(rules).evidence()] == ["Bappeda", "Bappeda", None]


def test_a_due_date_that_is_no_day_is_refused() -> None:
    with pytest.raises(RulesetError) as caught:
        indikator.loads(RULES.replace("2026-11-18", "2026-02-29"))  # 2026 is no leap year
    assert [d.code for d in caught.value.diagnostics] == ["IK115"]
    assert caught.value.diagnostics[0].span is not None
    assert caught.value.diagnostics[0].span.line == 13  # RULES starts with a line break


def test_the_formatter_keeps_evidence_as_input_fields() -> None:
    text = 'input x: percent {\n  missing zero\n    evidence "SK"  due 2026-11-16\n}\n'
    assert (
        format_text(text)
        == 'input x: percent {\n  missing zero\n  evidence "SK" due 2026-11-16\n}\n'
    )


# -- judging the register --------------------------------------------------------------


def test_each_state_by_hand(tmp_path: Path) -> None:
    (tmp_path / "berkas").mkdir()
    (tmp_path / "berkas" / "sk.pdf").write_text("x", encoding="utf-8")
    rows = (
        "01,x,SK,berkas/sk.pdf,diunggah,2026-11-16,\n"  # on the deadline day: on time
        "01,x,Foto,berkas/foto.jpg,diverifikasi,2026-11-01,\n"  # the local file is not there
        "01,b,Laporan,https://contoh.invalid/l.pdf,ditolak,2026-11-15,cap basah tidak ada\n"
        "02,x,SK,https://contoh.invalid/sk.pdf,uploaded,17/11/2026,\n"  # a day late
        "02,b,Laporan,,verified,,\n"  # no date, but a deadline: cannot tell
    )
    report = _report(tmp_path, rows, NOV[17])
    assert _kinds(report) == {
        ("01", "SK"): "pending",
        ("01", "Foto"): "no_file",
        ("01", "Laporan"): "rejected",
        ("02", "SK"): "late",
        ("02", "Foto"): "missing",  # no row and no deadline: missing, never overdue
        ("02", "Laporan"): "undated",
    }
    rejected = next(f for f in report.findings if f.kind == "rejected")
    assert rejected.describe("en", NOV[17]) == "rejected: cap basah tidak ada"
    assert [f.points for f in report.findings] == [25, 25, 75, 25, 25, 75]


def test_a_missing_document_is_overdue_the_day_after_its_deadline(tmp_path: Path) -> None:
    on_the_day = _kinds(_report(tmp_path, "", NOV[16]))
    after = _kinds(_report(tmp_path, "", NOV[17]))
    assert (on_the_day[("01", "SK")], after[("01", "SK")]) == ("missing", "overdue")
    assert (on_the_day[("01", "Laporan")], after[("01", "Laporan")]) == ("missing", "missing")


def test_the_latest_row_of_a_document_counts(tmp_path: Path) -> None:
    rows = (
        "01,x,SK,,diverifikasi,2026-11-14,\n"
        "01,x,SK,,ditolak,2026-11-05,\n"  # written after, but older
        "02,x,SK,,diunggah,2026-11-10,\n"
        "02,x,SK,,belum,2026-11-10,\n"  # the same day: the later row
    )
    kinds = _kinds(_report(tmp_path, rows, NOV[17]))
    assert (kinds[("01", "SK")], kinds[("02", "SK")]) == ("verified", "overdue")


def test_per_agency_counts_an_indicator_once_per_region(tmp_path: Path) -> None:
    report = _report(tmp_path, "02,x,SK,,verified,2026-11-02,\n", NOV[17])
    # 01: SK overdue, Foto missing (both on x -> a: 25 once); Laporan missing (b: 75).
    # 02: Foto missing (25); Laporan missing (75).
    assert report.by_agency() == {
        "DP3A": {**_zero(), "overdue": 1, "missing": 2, "regions": 2, "points": 25},
        "Dinkes": {**_zero(), "missing": 2, "regions": 2, "points": 75},
    }


def _zero() -> dict[str, int]:
    return dict.fromkeys(("overdue", "rejected", "no_file", "late", "undated", "missing"), 0)


# -- bad registers: every bad row, located ---------------------------------------------


@pytest.mark.parametrize(
    ("row", "code", "says"),
    [
        ("01,z,SK,,diunggah,,", "IK541", "row 3, column 'input': no input or indicator 'z'"),
        ("01,xx,SK,,diunggah,,", "IK541", "did you mean 'x'?"),
        ("01,x,KTP,,diunggah,,", "IK541", "it needs 'SK' or 'Foto'"),
        ("03,x,SK,,diunggah,,", "IK541", "column 'region': the region '03' is not in the data"),
        ("01,x,SK,,sudah,,", "IK540", "column 'status': unknown status 'sudah'"),
        ("01,x,SK,,diunggah,2026-13-01,", "IK540", "column 'date': '2026-13-01' is not a date"),
        ("01,x,,,diunggah,,", "IK540", "column 'document': empty"),
    ],
)
def test_a_bad_row_is_refused_with_its_place(
    tmp_path: Path, row: str, code: str, says: str
) -> None:
    with pytest.raises(DataError) as caught:
        _report(tmp_path, f"01,x,SK,,diunggah,2026-11-02,\n{row}\n", NOV[17])
    (problem,) = caught.value.problems
    assert problem.code == code
    assert says in problem.message.render("en")
    assert "daftar.csv" in problem.message.render("id")


def test_a_register_without_a_status_column(tmp_path: Path) -> None:
    (tmp_path / "daftar.csv").write_text("wilayah,indikator,dokumen\n01,x,SK\n", encoding="utf-8")
    with pytest.raises(DataError) as caught:
        read_register(tmp_path / "daftar.csv", indikator.loads(RULES), ["01"])
    assert caught.value.problems[0].code == "IK540"
    assert "no column 'status'" in caught.value.render("en")


def test_an_excel_register_with_date_cells(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["Daftar data dukung 2026"])  # a title row above the header
    sheet.append(["wilayah", "indikator", "dokumen", "tautan", "status", "tanggal", "catatan"])
    sheet.append(["01", "x", "SK", None, "Diunggah", dt.datetime(2026, 11, 17), None])  # noqa: DTZ001
    sheet.append(["02", "x", "SK", None, "DIVERIFIKASI", dt.date(2026, 11, 3), None])
    book.save(tmp_path / "daftar.xlsx")
    ruleset = indikator.loads(RULES)
    register = read_register(tmp_path / "daftar.xlsx", ruleset, ["01", "02"])
    assert [(r.status, r.date) for r in register.rows] == [
        ("uploaded", NOV[17]),
        ("verified", dt.date(2026, 11, 3)),
    ]
    kinds = _kinds(check_evidence(ruleset, register, REGIONS, as_of=NOV[18]))
    assert (kinds[("01", "SK")], kinds[("02", "SK")]) == ("late", "verified")


# -- the command line ------------------------------------------------------------------


def _cli_files(tmp_path: Path) -> list[str]:
    (tmp_path / "d.ikr").write_text(RULES, encoding="utf-8")
    (tmp_path / "data.csv").write_text("kode,nama,x,y\n01,Kab A,50,50\n02,Kab B,,80\n")
    (tmp_path / "daftar.csv").write_text(HEADER + "01,x,SK,,ditolak,2026-11-10,buram\n")
    return [str(tmp_path / n) for n in ("d.ikr", "data.csv")]


def test_json_carries_the_evidence(tmp_path: Path) -> None:
    files = _cli_files(tmp_path)
    arguments = ["readiness", *files, "--evidence", str(tmp_path / "daftar.csv")]
    result = CliRunner().invoke(main, [*arguments, "--as-of", "2026-11-17", "--format", "json"])
    assert result.exit_code == 0, result.output
    found = json.loads(result.stdout)["evidence"]
    assert found["as_of"] == "2026-11-17"
    assert found["counts"]["rejected"] == 1
    assert found["counts"]["overdue"] == 1  # 02's SK
    assert found["findings"][0] == {
        "region": "01", "name": "Kab A", "agency": "DP3A", "input": "x", "document": "SK",
        "due": "2026-11-16", "kind": "rejected", "status": "rejected", "date": "2026-11-10",
        "link": None, "note": "buram", "points": 25.0, "indicators": ["a"],
    }  # fmt: skip


def test_the_workbook_lists_every_document(tmp_path: Path) -> None:
    files = _cli_files(tmp_path)
    out = tmp_path / "bukti.xlsx"
    result = CliRunner().invoke(
        main,
        ["readiness", *files, "--evidence", str(tmp_path / "daftar.csv"), "--as-of",
         "2026-11-17", "--evidence-xlsx", str(out)],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    table = read_table(out)
    # 01: SK rejected; Foto (no deadline) and Laporan (due 18 Nov) not yet; 02: SK overdue.
    assert list(table["keadaan"]) == [
        "ditolak", "belum diunggah", "belum diunggah",
        "lewat tenggat", "belum diunggah", "belum diunggah",
    ]  # fmt: skip
    assert list(table["poin dipertaruhkan"]) == [25, 25, 75] * 2


def test_the_workbook_never_replaces_an_input(tmp_path: Path) -> None:
    files = _cli_files(tmp_path)
    result = CliRunner().invoke(
        main,
        ["readiness", *files, "--evidence", str(tmp_path / "daftar.csv"),
         "--evidence-xlsx", str(tmp_path / "data.csv")],
    )  # fmt: skip
    assert result.exit_code == 1
    assert "IK60" in result.output


def test_an_unreadable_as_of_is_a_usage_error(tmp_path: Path) -> None:
    files = _cli_files(tmp_path)
    result = CliRunner().invoke(main, ["readiness", *files, "--as-of", "17/11/2026"])
    assert result.exit_code == 2
    assert "2026-11-16" in result.output


def test_the_schema_names_the_documents_an_input_needs() -> None:
    facts = indikator.loads(RULES).schema()["properties"]["x"]["x-indikator"]
    assert facts["evidence"] == [
        {"document": "SK", "due": "2026-11-16"},
        {"document": "Foto", "due": None},
    ]


def test_the_report_has_an_evidence_section(tmp_path: Path) -> None:
    files = _cli_files(tmp_path)
    page = tmp_path / "laporan.html"
    arguments = ["report", *files, "--evidence", str(tmp_path / "daftar.csv")]
    result = CliRunner().invoke(
        main, [*arguments, "--as-of", "2026-11-17", "--lang", "en", "-o", str(page)]
    )
    assert result.exit_code == 0, result.output
    text = page.read_text(encoding="utf-8")
    section = text[text.index('<section class="evidence"') :]
    section = section[: section.index("</section>")]
    # 6 findings, 1 rejected + 1 overdue + 4 not yet: six problem rows, two agency rows.
    assert "6 documents required in 2 regions" in section
    assert section.count("<tr><td>") == 6 + 2
    assert "<td>rejected: buram</td>" in section
    one = tmp_path / "satu.html"
    result = CliRunner().invoke(
        main, [*arguments, "--as-of", "2026-11-17", "--region", "02", "-o", str(one)]
    )
    assert result.exit_code == 0, result.output
    assert "3 dokumen diperlukan di 1 wilayah" in one.read_text(encoding="utf-8")


def test_the_text_report_never_replaces_the_register(tmp_path: Path) -> None:
    files = _cli_files(tmp_path)
    register = tmp_path / "daftar.json"
    register.write_text('[{"region": "01", "input": "x", "document": "SK", "status": "belum"}]')
    before = register.read_text(encoding="utf-8")
    result = CliRunner().invoke(
        main, ["readiness", *files, "--evidence", str(register), "-o", str(register)]
    )
    assert result.exit_code == 1
    assert "IK601" in result.output
    assert register.read_text(encoding="utf-8") == before


def test_a_date_with_a_time_of_day_as_forms_write_it(tmp_path: Path) -> None:
    rows = "01,x,SK,,diunggah,16/11/2026 23:59:59,\n02,x,SK,,diunggah,2026-11-17T08:00,\n"
    kinds = _kinds(_report(tmp_path, rows, NOV[18]))
    assert (kinds[("01", "SK")], kinds[("02", "SK")]) == ("pending", "late")


def test_as_of_without_a_register_is_a_usage_error(tmp_path: Path) -> None:
    files = _cli_files(tmp_path)
    for command in ("readiness", "report"):
        extra = ["-o", str(tmp_path / "r.html")] if command == "report" else []
        result = CliRunner().invoke(main, [command, *files, *extra, "--as-of", "2026-11-17"])
        assert result.exit_code == 2, command
        assert "--evidence" in result.output


def test_blocked_data_still_gets_its_evidence_report(tmp_path: Path) -> None:
    files = _cli_files(tmp_path)
    (tmp_path / "data.csv").write_text("kode,nama,x,y\n01,Kab A,lima,50\n02,Kab B,,80\n")
    arguments = ["readiness", *files, "--evidence", str(tmp_path / "daftar.csv")]
    result = CliRunner().invoke(main, [*arguments, "--as-of", "2026-11-17", "--lang", "en"])
    assert result.exit_code == 1  # 'lima' cannot be read: evaluation is blocked
    assert "6 documents required in 2 regions: 1 past the deadline, 1 rejected" in result.output


def test_requirements_survive_pickling() -> None:
    ruleset = indikator.loads(RULES)
    again = pickle.loads(pickle.dumps(ruleset))  # noqa: S301  # our own bytes, just made
    assert again.evidence() == ruleset.evidence()


def test_the_example_register_is_synthetic_and_fictional() -> None:
    root = Path(__file__).parents[2] / "examples" / "bukti"
    text = (root / "daftar_bukti_2025.csv").read_text(encoding="utf-8")
    regions = {line.split(",")[0] for line in text.splitlines()[1:]}
    assert regions == {"9914", "9929", "9950"}  # codes starting 99: no real province
    for name in ("daftar_bukti_2025", "kla_bukti_2025"):
        assert "synthetic = true" in (root / f"{name}.meta.toml").read_text(encoding="utf-8")
