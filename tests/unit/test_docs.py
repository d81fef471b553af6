"""Every ruleset shown in the documentation compiles, and every worked example computes.

The docs are written for analysts who write rulesets from them alone, so each example
must be true. This module reads every ```ikr block under docs/ and compiles it with
`indikator.loads`. Markers in HTML comments (invisible on the site) say what to expect:

    <!-- expect-error IK402 -->        before an ikr block: compiling fails with IK402
    <!-- expect-error IK422 strict --> the same, compiled with `strict=True`
    <!-- expect-warning IK302 -->      before an ikr block: it compiles, with that warning
    <!-- file: katalog.ikr -->         before an ikr block: not compiled on its own; saved
                                       under that name so the page's other blocks can
                                       `import` or `extends` it
    <!-- expect -->                    after a ```csv block, followed by a markdown table:
    <!-- expect params: w=40 -->       the expected results, one row per region (see below),
                                       optionally after overriding parameters
    <!-- expect rollup per_provinsi --> the expected rows of a rollup, keyed by its `by` column
    <!-- expect-data-error IK505 -->   after a ```csv block: evaluating it raises a DataError
                                       with that code (`params:` allowed here too)

A ```csv block belongs to the nearest ikr block above it; a ruleset may have several.
Every csv block is evaluated, even without an expectation. In an expected-results table
the first column is `region` (the region id, or `row 1`, `row 2`, ... when the header
names no region column); the other columns are names of definitions (compared with
`Result[name]` to 9 decimal places; `yes`/`no` stand for 1/0), or `tier` (the Indonesian
label), `tier_en`, `tier_name`, `tier_code`. A cell `-` (or a dash) means "missing" (None).
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

import pytest

import indikator
from indikator.errors import CODES
from indikator.functions import DESCRIPTIONS, FUNCTIONS
from indikator.tables import read_csv

DOCS = Path(__file__).resolve().parents[2] / "docs"
TOLERANCE = 5e-10  # the language compares numbers at 9 decimal places
MISSING_CELLS = {"-", "\u2013", "\u2014", ""}  # hyphen, en and em dash, empty
BOOLEAN_CELLS = {"yes": 1.0, "ya": 1.0, "no": 0.0, "tidak": 0.0}

_FENCE = re.compile(r"^(?P<indent>\s*)```(?P<lang>[\w-]*)\s*$")
_COMMENT = re.compile(r"^\s*<!--\s*(?P<body>.*?)\s*-->\s*$")
_MARKER = re.compile(
    r"^(?P<kind>expect-error|expect-warning|expect-data-error|expect|file:)\s*(?P<rest>.*)$"
)


# --- reading the markdown ---------------------------------------------------------------


@dataclass(frozen=True)
class Block:
    """A fenced code block: its language, text, and the marker comments just above it."""

    doc: str
    line: int  # 1-based line of the opening fence
    lang: str
    text: str
    markers: tuple[str, ...]


@dataclass
class Expectation:
    """What evaluating a csv block must give: a table of results or a data error."""

    line: int
    params: dict[str, str]
    error: str | None = None
    rollup: str | None = None
    rows: list[dict[str, str]] = field(default_factory=list)


@dataclass
class Dataset:
    """A csv block and what it must give."""

    block: Block
    expectation: Expectation | None = None


@dataclass
class Example:
    """An ikr block with its expectations."""

    block: Block
    file_name: str | None = None
    error: str | None = None
    strict: bool = False  # `expect-error IK422 strict`: compiled with strict=True
    warnings: list[str] = field(default_factory=list)
    datasets: list[Dataset] = field(default_factory=list)

    @property
    def id(self) -> str:
        return f"{self.block.doc}:{self.block.line}"


@dataclass
class Page:
    """The examples of one markdown file, and any misuse of the markers found in it."""

    examples: list[Example] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def _params(text: str) -> dict[str, str] | None:
    """`params: a=1 b=2` → {'a': '1', 'b': '2'}; None if the text is not of that form."""
    text = text.strip()
    if not text:
        return {}
    pairs = [p.split("=", 1) for p in text.removeprefix("params:").split()]
    if not text.startswith("params:") or any(len(pair) != 2 for pair in pairs):
        return None
    return {name.strip(): value.strip() for name, value in pairs}


def _table_row(line: str) -> list[str]:
    return [
        cell.strip().strip("`").strip("*").strip() for cell in line.strip().strip("|").split("|")
    ]


def read_page(doc: str, text: str) -> Page:
    """Find the examples of a markdown text and check that the markers are used correctly."""
    page = Page()
    lines = text.splitlines()
    pending: list[str] = []  # marker comments waiting for the next block
    waiting_table: Expectation | None = None  # an `expect` comment whose table comes next
    example: Example | None = None
    dataset: Dataset | None = None
    index = 0
    while index < len(lines):
        line = lines[index]
        number = index + 1
        if waiting_table is not None and line.strip():
            if not line.lstrip().startswith("|"):
                page.problems.append(f"{doc}:{waiting_table.line}: 'expect' needs a table below it")
                waiting_table = None
            else:
                rows = []
                while index < len(lines) and lines[index].lstrip().startswith("|"):
                    rows.append(_table_row(lines[index]))
                    index += 1
                header, body = rows[0], [r for r in rows[2:] if r]
                if waiting_table.rollup is None and header[:1] != ["region"]:
                    page.problems.append(f"{doc}:{number}: an expected table starts with 'region'")
                waiting_table.rows = [dict(zip(header, r, strict=False)) for r in body]
                waiting_table = None
                continue
        fence = _FENCE.match(line)
        comment = _COMMENT.match(line)
        if fence:
            indent = fence.group("indent")
            body_lines = []
            index += 1
            while index < len(lines) and lines[index].strip() != "```":
                body_lines.append(lines[index].removeprefix(indent))
                index += 1
            block = Block(doc, number, fence.group("lang"), "\n".join(body_lines) + "\n",
                          tuple(pending))  # fmt: skip
            pending = []
            if block.lang == "ikr":
                example = _example(block, page)
                page.examples.append(example)
                dataset = None
            elif block.lang == "csv":
                if example is None or example.file_name is not None:
                    page.problems.append(f"{doc}:{number}: a csv block needs an ikr block above it")
                else:
                    dataset = Dataset(block)
                    example.datasets.append(dataset)
            elif block.markers:
                page.problems.append(f"{doc}:{number}: markers only apply to ikr blocks")
        elif comment and (marker := _MARKER.match(comment.group("body"))):
            kind, rest = marker.group("kind"), marker.group("rest")
            if kind in ("expect", "expect-data-error"):
                if dataset is None or dataset.expectation is not None:
                    page.problems.append(f"{doc}:{number}: '{kind}' needs a csv block above it")
                else:
                    code = rollup = ""
                    if kind == "expect-data-error":
                        code, _, rest = rest.partition(" ")
                    elif rest.startswith("rollup "):
                        words = rest.split(maxsplit=2)
                        rollup, rest = words[1], " ".join(words[2:])
                    params = _params(rest)
                    if params is None:
                        page.problems.append(f"{doc}:{number}: cannot read {rest!r}")
                        params = {}
                    expectation = Expectation(number, params, error=code or None,
                                              rollup=rollup or None)  # fmt: skip
                    dataset.expectation = expectation
                    if kind == "expect":
                        waiting_table = expectation
            else:
                pending.append(f"{kind} {rest}".strip())
        elif line.strip() and not comment and pending:
            page.problems.append(f"{doc}:{number}: marker {pending[0]!r} is not above a block")
            pending = []
        index += 1
    if waiting_table is not None:
        page.problems.append(f"{doc}:{waiting_table.line}: 'expect' needs a table below it")
    return page


def _example(block: Block, page: Page) -> Example:
    example = Example(block)
    for marker in block.markers:
        kind, _, rest = marker.partition(" ")
        match kind:
            case "expect-error":
                error, _, flag = rest.strip().partition(" ")
                example.error, example.strict = error, flag == "strict"
            case "expect-warning":
                example.warnings.append(rest.strip())
            case "file:":
                example.file_name = rest.strip()
            case _:
                page.problems.append(f"{example.id}: unknown marker {marker!r}")
    for code in (example.error, *example.warnings):
        if code is not None and code not in CODES:
            page.problems.append(f"{example.id}: {code} is not a diagnostic code")
    return example


def _pages() -> dict[str, Page]:
    return {
        path.relative_to(DOCS).as_posix(): read_page(
            path.relative_to(DOCS).as_posix(), path.read_text(encoding="utf-8")
        )
        for path in sorted(DOCS.rglob("*.md"))
    }


PAGES = _pages()


def _all_examples() -> Iterator[object]:
    for doc, page in PAGES.items():
        for example in page.examples:
            yield pytest.param(doc, example, id=example.id)


# --- checking one example ---------------------------------------------------------------


def _codes(error: indikator.RulesetError) -> list[str]:
    return [d.code for d in error.diagnostics]


def _compile(example: Example) -> indikator.Ruleset | None:
    text = example.block.text
    if example.error is not None:
        with pytest.raises(indikator.RulesetError) as caught:
            indikator.loads(text, strict=example.strict)
        codes = _codes(caught.value)
        assert example.error in codes, f"expected {example.error}, got {codes}:\n{caught.value}"
        return None
    try:
        ruleset = indikator.loads(text)
    except indikator.RulesetError as error:
        pytest.fail(f"the example does not compile:\n{error}")
    warned = [d.code for d in ruleset.warnings]
    assert sorted(warned) == sorted(example.warnings), (
        f"warnings {warned}, but the page marks {example.warnings}"
    )
    return ruleset


def _expected_number(cell: str) -> float:
    if cell.lower() in BOOLEAN_CELLS:
        return BOOLEAN_CELLS[cell.lower()]
    try:
        return float(Decimal(cell.replace(" ", "")))
    except InvalidOperation:
        return float("nan")


def _mismatch(result: indikator.Result, column: str, cell: str) -> str | None:
    """A description of how one cell differs from the result, or None when it agrees."""
    actual: object
    match column:
        case "tier":
            actual = result.tier()
        case "tier_en":
            actual = result.tier("en")
        case "tier_name":
            actual = result.tier_name
        case "tier_code":
            actual = result.tier_code
        case _:
            actual = result[column]
    if cell in MISSING_CELLS:
        return None if actual is None else f"{column}: expected missing, got {actual!r}"
    if isinstance(actual, int | float):
        expected = _expected_number(cell)
        return (
            None
            if abs(actual - expected) <= TOLERANCE
            else f"{column}: expected {cell}, got {actual!r}"
        )
    return None if actual == cell else f"{column}: expected {cell!r}, got {actual!r}"


def _evaluate(ruleset: indikator.Ruleset, dataset: Dataset, folder: Path) -> None:
    path = folder / f"data-{dataset.block.line}.csv"
    path.write_text(dataset.block.text, encoding="utf-8")
    expectation = dataset.expectation
    params = expectation.params if expectation else {}
    if expectation is not None and expectation.error is not None:
        with pytest.raises(indikator.DataError) as caught:
            ruleset.with_params(params).evaluate_many(read_csv(path))
        codes = [p.code for p in caught.value.problems]
        assert expectation.error in codes, f"expected {expectation.error}, got {codes}"
        return
    if params:
        ruleset = ruleset.with_params(params)
    try:
        results = ruleset.evaluate_many(read_csv(path))
    except indikator.DataError as error:
        pytest.fail(f"the data of line {dataset.block.line} does not evaluate:\n{error}")
    if expectation is None:
        return
    if expectation.rollup is not None:
        _check_rollup(results, expectation)
        return
    wrong = []
    for row in expectation.rows:
        result = results.region(row["region"])
        wrong += [
            f"line {expectation.line}, region {row['region']}: {problem}"
            for column, cell in row.items()
            if column != "region" and (problem := _mismatch(result, column, cell)) is not None
        ]
    assert not wrong, "the results differ from the page:\n" + "\n".join(wrong)


def _check_rollup(results: indikator.Results, expectation: Expectation) -> None:
    table = results.rollup(expectation.rollup or "")
    wrong = []
    for row in expectation.rows:
        (by, key), *cells = row.items()
        if key not in table[by]:
            wrong.append(f"no group {key!r} in {table[by]}")
            continue
        index = table[by].index(key)
        for column, cell in cells:
            actual = table[column][index]
            if cell in MISSING_CELLS or not isinstance(actual, int | float):
                ok = cell in MISSING_CELLS and actual is None
            else:
                ok = abs(actual - _expected_number(cell)) <= TOLERANCE
            if not ok:
                where = f"line {expectation.line}, {by} {key}"
                wrong.append(f"{where}: {column}: expected {cell}, got {actual!r}")
    assert not wrong, "the rollup differs from the page:\n" + "\n".join(wrong)


def check_example(example: Example, page: Page, folder: Path) -> None:
    """Compile an example as the page says, and evaluate each of its data sets."""
    for other in page.examples:
        if other.file_name is not None:
            (folder / other.file_name).write_text(other.block.text, encoding="utf-8")
    if example.file_name is not None:
        users = [
            e for e in page.examples
            if re.search(rf'(import|extends)\s+"{re.escape(example.file_name)}"', e.block.text)
        ]  # fmt: skip
        assert users, f"nothing on the page imports or extends {example.file_name}"
        return
    ruleset = _compile(example)
    if ruleset is None:
        assert not example.datasets, "a ruleset that does not compile cannot have data"
        return
    for dataset in example.datasets:
        _evaluate(ruleset, dataset, folder)


# --- the tests ---------------------------------------------------------------------------


def test_the_docs_have_examples() -> None:
    examples = [e for page in PAGES.values() for e in page.examples]
    assert len(examples) >= 50
    assert sum(len(e.datasets) for e in examples) >= 20


@pytest.mark.parametrize("doc", sorted(PAGES))
def test_markers_are_well_formed(doc: str) -> None:
    assert not PAGES[doc].problems, "\n".join(PAGES[doc].problems)


@pytest.mark.parametrize(("doc", "example"), list(_all_examples()))
def test_example(
    doc: str, example: Example, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)  # imports resolve relative to the current folder
    check_example(example, PAGES[doc], tmp_path)


def test_every_code_is_documented() -> None:
    text = (DOCS / "reference" / "errors.md").read_text(encoding="utf-8")
    documented = set(re.findall(r"^## (IK\d{3})\b", text, flags=re.MULTILINE))
    assert documented == set(CODES)


def test_the_reference_lists_exactly_the_specified_functions_with_their_signatures() -> None:
    text = (DOCS / "reference" / "language.md").read_text(encoding="utf-8")
    section = text.split("\n## Functions\n", 1)[1].split("\n## ", 1)[0]
    headings = re.findall(r"^### `(.+)`$", section, flags=re.MULTILINE)
    assert headings == [function.signature for function in FUNCTIONS.values()]
    assert set(DESCRIPTIONS) == set(FUNCTIONS)


# --- the checker itself can fail ------------------------------------------------------------

_WRONG = """
```ikr
ruleset contoh { scale 0 to 10 region kode }
input kode: text
input akta: percent { missing zero }
indicator skor = bands akta { [0, 80) -> 0  [80, 100] -> 10 }
```

```csv
kode,akta
3201,85
```

<!-- expect -->
| region | skor |
|---|---|
| 3201 | {points} |
"""


def test_a_wrong_expected_value_fails(tmp_path: Path) -> None:
    page = read_page("wrong.md", _WRONG.replace("{points}", "0"))
    assert not page.problems
    with pytest.raises(AssertionError, match=r"expected 0, got 10\.0"):
        check_example(page.examples[0], page, tmp_path)
    right = read_page("right.md", _WRONG.replace("{points}", "10"))
    check_example(right.examples[0], right, tmp_path)


def test_a_wrong_error_code_fails(tmp_path: Path) -> None:
    text = (
        "<!-- expect-error IK401 -->\n```ikr\nruleset x { }\ninput a: percent\n"
        "indicator s = bands a { [0, 50) -> 0  (50, 100] -> 1 }\n```\n"
    )
    page = read_page("wrong.md", text)
    with pytest.raises(AssertionError, match=r"expected IK401, got \['IK402'\]"):
        check_example(page.examples[0], page, tmp_path)


def test_a_misplaced_marker_is_reported() -> None:
    page = read_page("wrong.md", "<!-- expect -->\n| region | x |\n|---|---|\n| 1 | 2 |\n")
    assert page.problems == ["wrong.md:1: 'expect' needs a csv block above it"]


def test_reading_a_page() -> None:
    text = io.StringIO()
    text.write("<!-- file: a.ikr -->\n```ikr\nlet x = 1\n```\n\n")
    text.write("<!-- expect-warning IK302 -->\n```ikr\nruleset r { }\n```\n")
    text.write("```csv\nkode\n1\n```\n<!-- expect-data-error IK505 params: w=4 -->\n")
    page = read_page("p.md", text.getvalue())
    assert not page.problems
    first, second = page.examples
    assert first.file_name == "a.ikr"
    assert second.warnings == ["IK302"]
    (dataset,) = second.datasets
    assert dataset.expectation is not None
    assert dataset.expectation.error == "IK505"
    assert dataset.expectation.params == {"w": "4"}
    assert list(csv.reader(io.StringIO(dataset.block.text))) == [["kode"], ["1"]]
