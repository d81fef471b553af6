"""What the commands write: never an input, strict JSON, no control characters on a terminal.

Findings of the reliability review pinned here: §4 (outputs that are inputs), §9 and §17
(JSON with NaN or infinity, `next --max-sets 0`), §20 (temporary names in messages,
SIGTERM), §21 (terminal escapes), §22 (uncapped data errors, `--max-size 0`).
"""

from __future__ import annotations

import json
import os
import pathlib
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

import indikator
from indikator.advice import next_tier
from indikator.cli import main
from indikator.errors import DataError, OutputError
from indikator.outputs import json_text, terminal_text
from indikator.tables import read_csv

ROOT = Path(__file__).parents[2]

RULESET = """\
ruleset d { title "Data" scale 0 to 100 region kode name nama }
import "katalog.ikr"
param w = 10
input kode: text
input nama: text
input akta: percent { missing zero }
input anggaran: number { range 0 to 1000000 missing exclude }
indicator i_akta = linear akta from 0 to 100 onto 0 to 80
indicator i_ang = bands anggaran { [0, 500) -> 0  [500, 1000000] -> w }
indicator i_forum = min(forum, 5) * 2
group total = sum(i_akta, i_ang, i_forum)
tiers on total { below "Belum" en "None" ok "Baik" en "Good" [50, 100] }
"""
CATALOGUE = "input forum: count { missing zero }\n"
# 3273: akta 80 -> 64, anggaran 600 -> 10, forum 3 -> 6; total 80.
# 3274: akta 20 -> 16, no anggaran (left out: the maxima left are 80 + 10 = 90), forum 2
# -> 4; total (16 + 4) * 100 / 90 = 22.22. Its name sets the terminal's title.
EVIL_NAME = "Kab \x1b]0;owned\x07 X\x9b2J\u202e"
DATA = f'kode,nama,akta,anggaran,forum\n3273,Kota Bandung,80,600,3\n3274,"{EVIL_NAME}",20,,2\n'
PARAMS = "[params]\nw = 10\n"


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A folder holding d.ikr (importing katalog.ikr), data.csv and p.toml; the cwd."""
    (tmp_path / "d.ikr").write_text(RULESET, encoding="utf-8")
    (tmp_path / "katalog.ikr").write_text(CATALOGUE, encoding="utf-8")
    (tmp_path / "data.csv").write_text(DATA, encoding="utf-8")
    (tmp_path / "p.toml").write_text(PARAMS, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


def snapshot(folder: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted(folder.iterdir()) if path.is_file()}


# -- §4: an output that is an input is refused (IK601) -----------------------------------


@pytest.mark.parametrize(
    ("args", "role"),
    [
        (["evaluate", "d.ikr", "data.csv", "-o", "data.csv"], "the data file 'data.csv'"),
        (["evaluate", "d.ikr", "data.csv", "-o", "./sub/../data.csv"], "the data file"),
        (
            ["evaluate", "d.ikr", "data.csv", "--params", "p.toml", "-o", "p.toml.json"],
            "the parameter file 'p.toml'",
        ),
        (["report", "d.ikr", "data.csv", "-o", "data.html"], "the data file 'data.csv'"),
        (["report", "d.ikr", "data.csv", "-o", "katalog.html"], "imports or extends"),
        (["graph", "d.ikr", "-o", "d.dot"], "the ruleset file 'd.ikr'"),
    ],
)
def test_an_output_that_is_an_input_is_refused_and_nothing_changes(
    folder: Path, args: list[str], role: str
) -> None:
    (folder / "sub").mkdir()
    # Other names for the inputs: a symbolic link, a hard link.
    (folder / "p.toml.json").symlink_to("p.toml")
    (folder / "data.html").symlink_to("data.csv")
    os.link(folder / "katalog.ikr", folder / "katalog.html")
    (folder / "d.dot").symlink_to("d.ikr")
    before = snapshot(folder)
    result = run(*args, "--lang", "en")
    assert result.exit_code == 1
    assert result.output.startswith("error[IK601]: the output '")
    assert role in result.output
    assert "hint: write to a new file, e.g. -o " in result.output
    assert "Traceback" not in result.output
    assert snapshot(folder) == before


def test_the_ruleset_as_report_output_is_refused_in_indonesian(folder: Path) -> None:
    (folder / "d.html").symlink_to("d.ikr")
    before = snapshot(folder)
    result = run("report", "d.ikr", "data.csv", "-o", "d.html")
    assert result.exit_code == 1
    assert result.output == (
        "kesalahan[IK601]: berkas keluaran 'd.html' (-o) adalah berkas ruleset 'd.ikr': "
        "menulisnya akan merusak berkas itu\n"
        "    saran: tulis ke berkas baru, mis. -o laporan.html\n"
    )
    assert snapshot(folder) == before


def test_the_review_reproducer_evaluate_over_its_own_data(folder: Path) -> None:
    before = (folder / "data.csv").read_bytes()
    result = run("evaluate", "d.ikr", "data.csv", "-o", "data.csv", "--lang", "en")
    assert result.output == (
        "error[IK601]: the output 'data.csv' (-o) is the data file 'data.csv': writing it "
        "would destroy it\n"
        "    hint: write to a new file, e.g. -o data_hasil.csv\n"
    )
    assert (folder / "data.csv").read_bytes() == before
    assert run("evaluate", "d.ikr", "data.csv").exit_code == 0  # a rerun still works


def test_an_output_beside_the_inputs_is_written(folder: Path) -> None:
    assert run("evaluate", "d.ikr", "data.csv", "-o", "hasil.csv").exit_code == 0
    assert run("report", "d.ikr", "data.csv", "-o", "laporan.html").exit_code == 0
    assert run("graph", "d.ikr", "-o", "d.dot").exit_code == 0
    assert {"hasil.csv", "laporan.html", "d.dot"} <= set(snapshot(folder))


# -- report and graph write only their own kind of file (IK603) ---------------------------


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (
            ["report", "d.ikr", "data.csv", "-o", "lain.ikr"],
            (
                "error[IK603]: 'lain.ikr' (-o) is not a name for an HTML report: use one ending "
                "in '.html' or '.htm'\n    hint: e.g. -o laporan.html\n"
            ),
        ),
        (
            ["graph", "d.ikr", "-o", "lain.csv"],
            (
                "error[IK603]: 'lain.csv' (-o) is not a name for a diagram: use one ending in "
                "'.dot', '.gv', '.mmd', '.pdf', '.png' or '.svg'\n    hint: e.g. -o d.dot\n"
            ),
        ),
    ],
)
def test_a_report_or_diagram_over_another_kind_of_file_is_refused(
    folder: Path, args: list[str], expected: str
) -> None:
    # The review's `graph data.ikr -o ok.csv`: ok.csv is no input of graph, but data.
    (folder / "lain.ikr").write_text(RULESET, encoding="utf-8")
    (folder / "lain.csv").write_text(DATA, encoding="utf-8")
    before = snapshot(folder)
    result = run(*args, "--lang", "en")
    assert (result.exit_code, result.output) == (1, expected)
    assert snapshot(folder) == before


# -- §20, §22: a failed write names the file the user gave (IK602), leaves no trace -----


@pytest.mark.parametrize(
    "args",
    [
        ["evaluate", "d.ikr", "data.csv", "-o"],
        ["report", "d.ikr", "data.csv", "-o"],
        ["graph", "d.ikr", "-o"],
    ],
)
@pytest.mark.usefixtures("folder")
def test_an_output_in_a_missing_folder_names_that_path(args: list[str]) -> None:
    target = "tidak/ada/out." + {"evaluate": "csv", "report": "html", "graph": "dot"}[args[0]]
    result = run(*args, target, "--lang", "en")
    assert result.exit_code == 1
    assert result.output == (
        f"error[IK602]: cannot write '{target}': No such file or directory\n"
        "    hint: check that the folder 'tidak/ada' exists and that you may write to it\n"
    )


def test_fmt_write_names_the_ruleset_it_cannot_rewrite(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (folder / "e.ikr").write_text("ruleset e {scale 0 to 10}\n", encoding="utf-8")

    def read_only(*_: Any, **kwargs: Any) -> tuple[int, str]:
        raise PermissionError(13, "Permission denied", f"{kwargs['dir']}/.e.ikr.x1.tmp")

    monkeypatch.setattr(tempfile, "mkstemp", read_only)  # as the formatter calls it
    result = run("fmt", "--write", "e.ikr")
    assert result.exit_code == 1
    assert result.output.startswith("error[IK602]: cannot write 'e.ikr': Permission denied\n")


def test_a_diagram_that_fails_half_way_leaves_the_old_file(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (folder / "g.dot").write_text("old diagram\n", encoding="utf-8")
    written = pathlib.Path.write_text

    def disk_full(self: Path, data: str, *args: Any, **kwargs: Any) -> int:
        written(self, data[:10], *args, **kwargs)
        raise OSError(28, "No space left on device", str(self))

    monkeypatch.setattr(pathlib.Path, "write_text", disk_full)
    result = run("graph", "d.ikr", "-o", "g.dot", "--lang", "en")
    assert result.exit_code == 1
    assert result.output.startswith("error[IK602]: cannot write 'g.dot': No space left on device")
    assert (folder / "g.dot").read_text(encoding="utf-8") == "old diagram\n"
    assert not list(folder.glob("*.part"))


def test_an_image_graphviz_fails_to_draw_leaves_the_old_file(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A stand-in for Graphviz's `dot` that writes half a picture to -o, then fails.
    bin_folder = folder / "bin"
    bin_folder.mkdir()
    fake = bin_folder / "dot"
    fake.write_text(
        '#!/bin/sh\nwhile [ "$1" != "-o" ]; do shift; done\n'
        'printf "<svg half" > "$2"\necho "syntax error" >&2\nexit 1\n',
        encoding="utf-8",
    )
    fake.chmod(0o755)
    monkeypatch.setenv("PATH", f"{bin_folder}{os.pathsep}{os.environ['PATH']}")
    (folder / "g.svg").write_text("<svg>old</svg>\n", encoding="utf-8")
    result = run("graph", "d.ikr", "-o", "g.svg")
    assert result.exit_code == 1
    assert "Graphviz 'dot' failed: syntax error" in result.output
    assert (folder / "g.svg").read_text(encoding="utf-8") == "<svg>old</svg>\n"
    assert not list(folder.glob("*.part"))


# -- §9, §17: every JSON output is strict JSON ---------------------------------------------


def strict(text: str) -> Any:
    """Parse JSON as a strict reader (JavaScript's JSON.parse) would: no NaN or Infinity."""

    def refuse(constant: str) -> None:
        raise ValueError(constant)

    return json.loads(text, parse_constant=refuse)


OVERFLOW = """\
ruleset o { scale 0 to 100 region kode }
input kode: text
input a: number { missing exclude }
input b: percent { missing exclude }
let big = a * a * a * a * a * a * a * a * a * a * a * a * a * a * a * a * a * a * a * a * a
indicator i = bands big { (-inf, 50) -> 0  [50, inf) -> 50 }
indicator j = linear b from 0 to 100 onto 0 to 50
group total = sum(i, j)
tiers on total { below "Belum" ok "Baik" [50, 100] }
"""
# Region 1: a^21 = 10^21 (i = 50), b 10 -> j = 5; region 2: a and b missing (excluded,
# no score); region 3: 2^21 = 2097152, i = 50, b 50 -> j = 25. (With a = 10^15, a^21 is
# beyond float64: IK520, see test_exactness.py.)
OVERFLOW_DATA = "kode,a,b\n1,10,10\n2,,\n3,2,50\n"


@pytest.fixture
def overflow(folder: Path) -> Path:
    (folder / "o.ikr").write_text(OVERFLOW, encoding="utf-8")
    (folder / "o.csv").write_text(OVERFLOW_DATA, encoding="utf-8")
    return folder


@pytest.mark.parametrize(
    "args",
    [
        ["check", "o.ikr"],
        ["explain", "o.ikr", "o.csv", "--region", "1"],
        ["explain", "o.ikr", "o.csv", "--region", "2"],
        ["explain", "d.ikr", "data.csv", "--region", "3274"],
        ["next", "o.ikr", "o.csv", "--region", "1", "--region", "2", "--region", "3"],
        ["next", "d.ikr", "data.csv", "--region", "3274"],
        ["readiness", "o.ikr", "o.csv"],
        ["readiness", "d.ikr", "data.csv"],
        ["compare", "o.ikr", "o.csv", "o.csv"],
        ["compare", "d.ikr", "data.csv", "data.csv"],
        ["diff", "o.ikr", "o.ikr", "o.csv"],
        ["diff", "d.ikr", "d.ikr", "data.csv", "--params", "p.toml"],
    ],
)
@pytest.mark.usefixtures("overflow")
def test_every_json_output_is_strict(args: list[str]) -> None:
    result = run(*args, "--format", "json")
    assert result.exit_code == 0, result.output
    strict(result.output)


def test_evaluate_writes_strict_json_with_null_for_missing(overflow: Path) -> None:
    result = run("evaluate", "o.ikr", "o.csv", "-o", "out.json")
    assert result.exit_code == 0, result.output
    rows = strict((overflow / "out.json").read_text(encoding="utf-8"))["records"]
    assert [row["big"] for row in rows] == [1e21, None, 2097152.0]  # 10^21, missing, 2^21
    assert [row["total"] for row in rows] == [55.0, None, 75.0]  # 50 + 5; -; 50 + 25


def test_evaluate_stops_at_a_value_beyond_float64(overflow: Path) -> None:
    (overflow / "o.csv").write_text("kode,a,b\n1,1000000000000000,10\n", encoding="utf-8")
    result = run("evaluate", "o.ikr", "o.csv", "-o", "out.json", "--lang", "en")
    assert result.exit_code == 1
    assert "error[IK520]: 'big' grows beyond the largest number" in result.output
    assert not (overflow / "out.json").exists()


@pytest.mark.usefixtures("folder")
def test_explain_json_says_null_for_an_excluded_indicator() -> None:
    result = run("explain", "d.ikr", "data.csv", "--region", "3274", "--format", "json")
    document = strict(result.output)
    nodes = {}
    stack = [document["explanation"]]
    while stack:
        node = stack.pop()
        nodes[node["name"]] = node
        stack.extend(node["children"])
    assert nodes["i_ang"]["value"] is None  # anggaran is missing, and excluded
    assert nodes["anggaran"]["value"] is None
    assert nodes["i_akta"]["value"] == 16.0  # 20 % of 80


def test_an_explanation_dict_is_json_ready() -> None:
    rs = indikator.loads(
        "ruleset e { scale 0 to 10 }\ninput x: percent { missing exclude }\n"
        "input y: percent { missing zero }\n"
        "indicator i = linear x from 0 to 100 onto 0 to 5\n"
        "indicator k = linear y from 0 to 100 onto 0 to 5\ngroup total = sum(i, k)\n"
    )
    tree = rs.evaluate({"x": None, "y": 40}).explain("en").to_dict()
    text = json.dumps(tree, allow_nan=False)  # raised "Out of range float values" before
    assert '"value": null' in text
    assert tree["children"][0]["value"] is None  # i: x is missing, left out
    assert tree["children"][1]["value"] == 2.0  # 40 % of 5


def test_json_text_keeps_the_data() -> None:
    data = {"name": EVIL_NAME + "\u2028", "values": (1.5, float("nan"), float("-inf"))}
    text = json_text(data)
    assert strict(text) == {"name": EVIL_NAME + "\u2028", "values": [1.5, None, None]}
    assert terminal_text(text) == text  # nothing a terminal would act on


# -- §21: nothing a terminal would act on ------------------------------------------------

CONTROLS = ("\x1b", "\x07", "\x9b", "\u202e")


@pytest.mark.parametrize(
    "args",
    [
        ["evaluate", "d.ikr", "data.csv"],
        ["explain", "d.ikr", "data.csv", "--region", "3274"],
        ["next", "d.ikr", "data.csv", "--region", "3274"],
        ["readiness", "d.ikr", "data.csv"],
        ["explain", "d.ikr", "data.csv", "--region", "3274", "--format", "json"],
        ["explain", "d.ikr", "data.csv", "--region", "\x1b[2J"],  # the error names it
    ],
)
@pytest.mark.usefixtures("folder")
def test_terminal_output_carries_no_control_characters(args: list[str]) -> None:
    result = CliRunner().invoke(main, args)
    assert not [c for c in CONTROLS if c in result.output]
    assert "\\x1b" in result.output or "\\u001b" in result.output  # shown, not dropped


@pytest.mark.usefixtures("folder")
def test_the_evaluate_table_stays_aligned_with_an_escaped_name() -> None:
    lines = run("evaluate", "d.ikr", "data.csv").output.splitlines()
    shown = "Kab \\x1b]0;owned\\x07 X\\x9b2J\\u202e"
    assert lines[2] == f"3273     Kota Bandung{' ' * 22}  80,00  Baik"  # Indonesian: 80,00
    assert lines[3] == f"3274     {shown}  22,22  Belum"
    assert lines[0].index("total") == lines[3].index("22,22")


def test_files_written_keep_the_data_byte_for_byte(folder: Path) -> None:
    assert run("evaluate", "d.ikr", "data.csv", "-o", "hasil.csv").exit_code == 0
    assert list(read_csv(folder / "hasil.csv")["name"]) == ["Kota Bandung", EVIL_NAME]


def test_fmt_prints_the_exact_text_when_redirected(folder: Path) -> None:
    text = 'ruleset e { title "A\x1b]0;x\x07B" scale 0 to 10 }\n'
    (folder / "e.ikr").write_text(text, encoding="utf-8")
    assert run("fmt", "e.ikr").output == text  # CliRunner's stdout is not a terminal


def test_terminal_text_escapes_controls_and_keeps_text() -> None:
    kept = "Kab. Bogor\tJawa Barat\nSão Tomé — 東京 مدينة"
    assert terminal_text(kept) == kept
    assert terminal_text("a\rb\x00c\x7fd\x85e\u2028f\u2066g\x0bh") == (
        "a\\x0db\\x00c\\x7fd\\x85e\\u2028f\\u2066g\\x0bh"
    )


# -- §9, §22: option values that made no sense ----------------------------------------------


@pytest.mark.parametrize(
    ("option", "value"),
    [("--max-sets", "0"), ("--max-size", "0"), ("--max-size", "-5"), ("--max-sets", "-1")],
)
@pytest.mark.usefixtures("folder")
def test_next_refuses_set_limits_below_one(option: str, value: str) -> None:
    result = run("next", "d.ikr", "data.csv", "--region", "3274", option, value)
    assert result.exit_code == 2  # a usage error, as for any other bad option value
    assert f"Invalid value for '{option}': {value} is not in the range x>=1." in result.output


def test_next_tier_refuses_set_limits_below_one() -> None:
    rs = indikator.loads(
        "ruleset d { scale 0 to 10 region kode }\ninput kode: text\n"
        "input x: percent { missing zero }\nindicator i = linear x from 0 to 100 onto 0 to 10\n"
        'tiers on i { baik "Baik" [5, 10] }\n'
    )
    results = rs.evaluate_many({"kode": ["01"], "x": [10]})
    with pytest.raises(ValueError, match="max_sets must be at least 1, not 0"):
        next_tier(rs, results, "01", max_sets=0)
    with pytest.raises(ValueError, match="max_size must be at least 1, not -5"):
        next_tier(rs, results, "01", max_size=-5)


@pytest.mark.parametrize("command", ["compare", "diff"])
@pytest.mark.usefixtures("folder")
def test_a_negative_top_is_refused(command: str) -> None:
    files = ["data.csv", "data.csv"] if command == "compare" else ["d.ikr", "data.csv"]
    result = run(command, "d.ikr", *files, "--top", "-1")
    assert result.exit_code == 2
    assert "Invalid value for '--top': -1 is not in the range x>=0." in result.output


# -- §22: data errors are capped like ruleset errors ----------------------------------------


def test_a_data_error_shows_twenty_problems_and_counts_the_rest() -> None:
    rs = indikator.loads("ruleset e { scale 0 to 10 }\ninput x: percent\nindicator i = x / 10\n")
    with pytest.raises(DataError) as caught:
        rs.with_params({f"k{n}": 1 for n in range(1000)})
    assert len(caught.value.problems) == 1000  # all kept for programs
    for lang, more in (("en", "... and 980 more"), ("id", "... dan 980 lainnya")):
        lines = caught.value.render(lang).splitlines()
        assert sum("[IK510]" in line for line in lines) == 20
        assert lines[-1] == more
    assert str(caught.value) == caught.value.render("en")


def test_the_cli_caps_a_params_file_with_many_unknown_keys(folder: Path) -> None:
    keys = "".join(f"k{n} = 1\n" for n in range(1000))
    (folder / "many.toml").write_text(f"[params]\n{keys}", encoding="utf-8")
    result = run("evaluate", "d.ikr", "data.csv", "--params", "many.toml", "--lang", "en")
    assert result.exit_code == 1
    assert result.output.count("[IK510]") == 20
    assert result.output.endswith("... and 980 more\n")


# -- §20: SIGTERM during a write leaves no temporary file --------------------------------------


@pytest.mark.skipif(sys.platform == "win32", reason="SIGTERM is POSIX")
def test_sigterm_while_writing_leaves_the_old_file_and_no_part_file(tmp_path: Path) -> None:
    (tmp_path / "t.ikr").write_text(
        "ruleset t { scale 0 to 10 region kode }\ninput kode: text\n"
        "input x: percent { missing zero }\n"
        "indicator i = bands x { [0, 50) -> 0  [50, 100] -> 10 }\n",
        encoding="utf-8",
    )
    rows = "".join(f"K{n},{n % 100}\n" for n in range(60_000))  # an .xlsx write of ~2 s
    (tmp_path / "t.csv").write_text(f"kode,x\n{rows}", encoding="utf-8")
    (tmp_path / "out.xlsx").write_bytes(b"the old results")
    scratch = tmp_path / "tmp"  # openpyxl's own temporary files go here
    scratch.mkdir()
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "TMPDIR": str(scratch)}
    command = [sys.executable, "-m", "indikator", "evaluate", "t.ikr", "t.csv", "-o", "out.xlsx"]
    process = subprocess.Popen(  # noqa: S603  # our own command
        command, cwd=tmp_path, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    deadline = time.monotonic() + 60
    while not list(tmp_path.glob(".out.xlsx.*.part")):
        assert process.poll() is None, "the write ended before it could be interrupted"
        assert time.monotonic() < deadline
        time.sleep(0.005)
    # Into the write (about 3 s of it), not the instant the file is made: that instant
    # comes before replace_atomically's cleanup takes over (a window for tables.py).
    time.sleep(0.3)
    assert process.poll() is None
    process.send_signal(signal.SIGTERM)
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == 128 + signal.SIGTERM, stderr  # an exit, not a kill (-15)
    assert b"Traceback" not in stderr
    assert not list(tmp_path.glob("*.part"))
    assert (tmp_path / "out.xlsx").read_bytes() == b"the old results"
    assert list(scratch.iterdir()) == []


def test_an_output_error_pickles_and_renders_in_both_languages() -> None:
    import pickle  # noqa: PLC0415  # only here

    from indikator.messages import Message  # noqa: PLC0415

    error = OutputError(
        "IK602",
        Message("output.cannot_write", output="x.csv", reason="Permission denied"),
        Message("output.hint_cannot_write", folder="."),
    )
    copy = pickle.loads(pickle.dumps(error))  # noqa: S301  # our own object
    assert copy.render("id") == (
        "kesalahan[IK602]: 'x.csv' tidak dapat ditulis: Permission denied\n"
        "    saran: periksa bahwa folder '.' ada dan Anda boleh menulis di sana"
    )
    assert str(copy) == str(error)


# -- excerpts and JSON files stay readable and safe -----------------------------------------


def test_an_excerpt_of_a_huge_line_is_a_window_around_the_span() -> None:
    long_line = "let x = " + "1 + " * 50_000 + "1"  # 200 kB: IK005 at column 9
    with pytest.raises(indikator.RulesetError) as caught:
        indikator.loads(f"ruleset r {{ region kode }}\ninput kode: text\n{long_line}\n", file="x")
    text = caught.value.render("en")
    assert max(len(line) for line in text.splitlines()) < 200
    excerpt, caret = text.splitlines()[1:3]
    assert excerpt.endswith("…")
    assert caret.index("^") == excerpt.index("1 + 1")


def test_an_excerpt_shows_control_characters_as_replacement_marks() -> None:
    with pytest.raises(indikator.RulesetError) as caught:
        indikator.loads("ruleset r { region kode }\ninput kode: text\nlet x = \x1b]0;x\x07 1\n")
    excerpt = caught.value.render("en").splitlines()[1]
    assert "\x1b" not in excerpt
    assert "\x07" not in excerpt
    assert excerpt.endswith("let x = \ufffd]0;x\ufffd 1")
