"""The `indikator` command: parses arguments, calls the public API, renders.

Exit codes: 0 success, 1 ruleset or data errors, 2 usage errors. `--lang` picks the
language of labels and messages: Indonesian by default for the analyst's commands
(evaluate, explain, report, next, readiness, compare, diff), English for the ruleset
author's (check, fmt, graph, test), whose language and error reference are English.
"""

from __future__ import annotations

import contextlib
import contextvars
import datetime as dt
import functools
import io
import math
import os
import signal
import sys
import threading
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar, cast

import attrs
import click

from indikator.advice import next_tier
from indikator.cases import run_file
from indikator.catalogue import is_name, list_rulesets, shipped_path
from indikator.compare import compare, diff
from indikator.diagram import IMAGE_FORMATS, render_image, to_dot, to_mermaid
from indikator.display import number, places_beside
from indikator.display import table as text_table
from indikator.errors import (
    DataError,
    Diagnostic,
    IndikatorError,
    RulesetError,
    RulesetNotFoundError,
    Severity,
    render,
    title,
)
from indikator.evidence import (
    EvidenceReport,
    check_evidence,
    regions_of,
    write_evidence,
)
from indikator.evidence_register import read_register
from indikator.formatter import format_file
from indikator.gaps import gaps
from indikator.messages import Message, closest, phrases
from indikator.outputs import (
    Input,
    cannot_write,
    json_ready,
    json_text,
    refuse_inputs,
    require_extension,
    terminal_text,
    writing,
)
from indikator.provenance import provenance_json, provenance_text
from indikator.readiness import readiness
from indikator.record import (
    Options,
    RunRecord,
    indikator_version,
    make_files_record,
    make_record,
    relative,
    verification_text,
    verify_record,
)
from indikator.record_files import (
    SHEET,
    embed_html,
    read_record,
    record_json,
    sheet_rows,
    sidecar,
    write_sidecar,
)
from indikator.report import render_report
from indikator.report_profile import write_profile
from indikator.report_stages import groups_section, stages_section
from indikator.results import Result, Results
from indikator.rollup_view import group_sheets, group_view, take_group, write_groups
from indikator.ruleset import Catalogue, Ruleset, check_file, load
from indikator.schemes import evaluate_schemes
from indikator.stages import DEFAULT_STAGES, evaluate_stages, one_stage, stage_files
from indikator.stages_view import stages_dict, stages_text, write_stages
from indikator.tables import (
    Table,
    data_note,
    evaluate_table,
    needs_whole_table,
    read_csv,
    read_table,
    replace_atomically,
    table_format,
    write_table,
)
from indikator.template import write_template
from indikator.workbook import write_workbook

__all__ = ["main"]


def _help_language(argv: list[str], environ: Mapping[str, str]) -> str:
    """The language of `--help`, settled before click reads any option.

    INDIKATOR_LANG if set, else `--lang` on the command line, else the locale (LC_ALL,
    LC_MESSAGES, LANG): `LANG=id_ID.UTF-8` asks for Indonesian.
    """
    chosen = environ.get("INDIKATOR_LANG", "")
    for i, arg in enumerate(argv):
        if arg.startswith("--lang=") and not chosen:
            chosen = arg.removeprefix("--lang=")
        elif arg == "--lang" and i + 1 < len(argv) and not chosen:
            chosen = argv[i + 1]
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        chosen = chosen or environ.get(name, "")
    return "id" if chosen.lower().startswith("id") else "en"


#: The language of `--help` (the help texts are made when this module is imported).
HELP_LANG = _help_language(sys.argv[1:], os.environ)


def _help(key: str) -> str:
    """A help text of the command line, from the catalogue, in `HELP_LANG`."""
    return Message(key).render(HELP_LANG)


_LANGUAGES = click.Choice(["id", "en"])
# The analyst's commands speak Indonesian unless told otherwise; the author's, English.
_LANG = click.option(
    "--lang",
    type=_LANGUAGES,
    default="id",
    show_default=True,
    help=_help("help.lang"),
)
_AUTHOR_LANG = click.option(
    "--lang", type=_LANGUAGES, default="en", show_default=True, help=_help("help.lang_messages")
)
# How numbers written as text are written; without it '1.000' and '85,5' are refused.
_LOCALE = click.option(
    "--locale",
    type=click.Choice(["id", "en"]),
    help=_help("help.locale"),
)
_FILE = click.Path(dir_okay=False, path_type=Path)


if TYPE_CHECKING:
    _PathType = click.ParamType[Path]
else:  # click < 8.2: ParamType is not generic
    _PathType = click.ParamType


class _RulesetArg(_PathType):
    """RULESET: a file, or a shipped ruleset by name ('kla', 'kks@2021').

    A file or folder of that name in the current folder wins over the shipped ruleset;
    anything that is not written as a name (a path, 'x.ikr') stays a path, so its
    errors are the reader's (IK004). An unknown name is a usage error with a guess.
    """

    name = "ruleset"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Path:
        path = Path(value)
        if path.exists() or not is_name(str(value)):
            return path
        try:
            return shipped_path(str(value))
        except RulesetNotFoundError as error:
            self.fail(error.render(HELP_LANG), param, ctx)


_RULESET = _RulesetArg()

if TYPE_CHECKING:
    _DateType = click.ParamType[dt.date]
else:  # click < 8.2: ParamType is not generic
    _DateType = click.ParamType


class _DateArg(_DateType):
    """`--as-of 2026-11-16`: a date, year first."""

    name = "date"

    def convert(
        self, value: Any, param: click.Parameter | None, ctx: click.Context | None
    ) -> dt.date:
        if isinstance(value, dt.date):
            return value
        try:
            return dt.date.fromisoformat(str(value))
        except ValueError:
            self.fail(Message("evidence.as_of", value=str(value)).render(HELP_LANG), param, ctx)


_Command = TypeVar("_Command", bound=Callable[..., Any])
# `--format text|json`, on every command with a JSON mode.
_FORMAT = click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help=_help("help.format"),
)


def _data_options(
    *, fmt: bool = False, params_b: bool = False, extra: bool = True
) -> Callable[[_Command], _Command]:
    """The options of every command that reads a ruleset and data, in one order.

    `--params FILE`, `--sheet NAME`, `--lang` (Indonesian by default), `--format text|json`
    when `fmt` (the command has a JSON mode), `--ignore-extra` unless `extra` is False
    (`diff`, which reads the data with two rulesets), and `--locale`. `params_b`: the
    `--params` file applies to ruleset B only (`diff`).
    """
    options = [
        click.option(
            "--params",
            type=_FILE,
            help=_help("help.params_b") if params_b else _help("help.params"),
        ),
        click.option("--sheet", multiple=True, help=_help("help.sheets")),
        click.option("--header-row", type=click.IntRange(min=1), help=_help("help.header_row")),
        _LANG,
        *([_FORMAT] if fmt else []),
        *(
            [click.option("--ignore-extra", is_flag=True, help=_help("help.ignore_extra"))]
            if extra
            else []
        ),
        _LOCALE,
    ]

    def apply(command: _Command) -> _Command:
        # The command sees `--sheet` and `--header-row` as one `_Sheets`, which `_read` takes.
        @functools.wraps(command)
        def wrapper(*args: Any, sheet: tuple[str, ...], header_row: int | None, **kw: Any) -> Any:
            return command(*args, sheet=_Sheets(sheet, header_row), **kw)

        for option in reversed(options):
            wrapper = option(wrapper)
        return cast("_Command", wrapper)

    return apply


@attrs.frozen
class _Sheets:
    """Where the data is in its file: `--sheet` (repeatable, or 'all') and `--header-row`."""

    names: tuple[str, ...] = ()
    header_row: int | None = None

    @property
    def chosen(self) -> str | tuple[str, ...] | None:
        """`read_table`'s `sheet`: None (the first), one name, 'all', or several names."""
        return (self.names[0] if len(self.names) == 1 else self.names) if self.names else None


def _read(
    path: Path,
    sheet: _Sheets,
    locale: str | None,
    ruleset: Ruleset | None,
    lang: str,
    *,
    again: bool = False,
) -> Table:
    """Read DATA for `ruleset`; how it was read (header row, labels, sheets) on stderr.

    `again`: the command read this file before and said how; it is not said twice.
    """
    table = read_table(
        path, sheet=sheet.chosen, locale=locale, header_row=sheet.header_row, ruleset=ruleset
    )
    return table if again else _said(table, lang)


def _said(table: Table, lang: str) -> Table:
    """The table, after saying on stderr how its file was read, if any liberty was taken."""
    if table.reading is not None and table.reading.lines(lang):
        _echo(table.reading.text(lang), err=True)
    return table


@click.group(help=_help("help.command.main"))
@click.version_option(package_name="indikator")
@click.pass_context
def main(ctx: click.Context) -> None:
    """The `indikator` command; its help is the catalogue's `help.command.main`."""
    _exit_on_sigterm(ctx)


def _exit_on_sigterm(ctx: click.Context) -> None:
    """Make SIGTERM an ordinary exit (status 143) for as long as the command runs.

    By default SIGTERM ends the process on the spot, leaving a half-written `.part` file
    beside the output; as SystemExit, every `finally` and cleanup handler runs first.
    """
    if threading.current_thread() is not threading.main_thread():
        return  # only the main thread may set a handler (a test runner's worker thread)
    previous = signal.signal(signal.SIGTERM, _terminated)
    ctx.call_on_close(lambda: signal.signal(signal.SIGTERM, previous))


def _terminated(signum: int, _frame: object) -> None:
    # A writer interrupted half-way (openpyxl's row generator) complains while it is torn
    # down ("Exception ignored in ..."); the exit is deliberate, so that is only noise.
    sys.unraisablehook = lambda _: None
    raise SystemExit(128 + signum)  # the shell's status for "ended by signal signum"


#: What `-o` of a command that prints a report writes: its text, or its JSON document.
_REPORT_SUFFIXES = (".txt", ".md", ".json")
#: The folder a printed JSON document's run record is relative to: -o's, else the current.
_RECORD_BASE: contextvars.ContextVar[Path | None] = contextvars.ContextVar(
    "record_base", default=None
)
#: The files-only records of the report -o writes, written beside it when it is written.
_REPORT_RECORDS: contextvars.ContextVar[list[RunRecord] | None] = contextvars.ContextVar(
    "report_records", default=None
)


def _report_file(*, exits_after_report: bool = False) -> Callable[[_Command], _Command]:
    """`-o FILE`: the report a command prints, written to FILE instead (atomically).

    `.json` writes the JSON document (`--format json`), `.txt`/`.md` the text with its
    banners. FILE may not be one of the command's inputs (IK601) nor end otherwise (IK603).
    An error leaves no file; `exits_after_report`: the command exits 1 after a complete
    report (`readiness` when evaluation would be refused), which is still written.
    """

    def decorate(command: _Command) -> _Command:
        @functools.wraps(command)
        def wrapper(*args: Any, output: Path | None = None, **kwargs: Any) -> Any:
            if output is None:
                return command(*args, **kwargs)
            lang = kwargs.get("lang", "id")
            with _exit_on_error(lang):
                require_extension(output, _REPORT_SUFFIXES, what="text", suggestion="laporan.txt")
                ruleset = kwargs.get("ruleset") or kwargs.get("ruleset_a")
                read = ("data", "old", "new", "ruleset_b", "register")
                data = tuple(kwargs[k] for k in read if kwargs.get(k))
                _refuse_inputs(
                    output, "laporan.txt", ruleset=ruleset, data=data, params=kwargs.get("params")
                )
            if "fmt" in kwargs:
                kwargs["fmt"] = "json" if output.suffix.lower() == ".json" else "text"
            buffer = io.StringIO()
            code: int | str | None = 0
            base = _RECORD_BASE.set(output.resolve().parent)  # the report's run record
            kept = _REPORT_RECORDS.set([])
            try:
                with contextlib.redirect_stdout(buffer):
                    command(*args, **kwargs)
            except SystemExit as stop:
                if stop.code not in (0, None) and not (exits_after_report and stop.code == 1):
                    raise  # an error: its message is on standard error, no file is written
                code = stop.code
            finally:
                _RECORD_BASE.reset(base)
                made = _REPORT_RECORDS.get() or []
                _REPORT_RECORDS.reset(kept)
            with _exit_on_error(lang), writing(output):
                text = buffer.getvalue()
                replace_atomically(output, lambda path: path.write_text(text, encoding="utf-8"))
                for run in made:  # beside the report, once it is written
                    write_sidecar(attrs.evolve(run, output=output.resolve()), sidecar(output))
            _echo(Message("cli.wrote", path=str(output)).render(lang))
            if code:
                sys.exit(code)
            return None

        option = click.option("-o", "--output", type=_FILE, help=_help("help.output_text"))
        return cast("_Command", option(wrapper))

    return decorate


def _echo(text: str, *, err: bool = False) -> None:
    """Print text for people: control characters from data or rulesets are shown escaped."""
    click.echo(terminal_text(text), err=err)


def _echo_exact(text: str) -> None:
    """Print a file's text (`fmt`, `graph`): exact when redirected, escaped on a terminal."""
    click.echo(terminal_text(text) if sys.stdout.isatty() else text, nl=False)


@main.command(help=_help("help.command.check"))
@click.argument("file", type=_RULESET)
@click.option(
    "--strict",
    is_flag=True,
    help=_help("help.strict"),
)
@_FORMAT
@_AUTHOR_LANG
def check(file: Path, *, strict: bool, fmt: str, lang: str) -> None:
    """The `check` command; its help is the catalogue's `help.command.check`."""
    with _exit_on_error(lang, fmt):
        checked = check_file(file, strict=strict)
    _report(checked.warnings, checked.sources, fmt, lang)
    if strict and checked.warnings:
        sys.exit(1)
    if fmt == "text":
        # Never "no problems" (tidak ada masalah) right under a warning: say how many.
        warned = bool(checked.warnings)
        if isinstance(checked, Catalogue):
            key = "friction.ok_catalogue_warned" if warned else "cli.ok_catalogue"
            definitions = len(checked.scored)
        else:
            key = "friction.ok_warned" if warned else "cli.ok"
            definitions = len(checked.plan.steps)
        counts: dict[str, str | int] = {
            "file": str(file),
            "definitions": definitions,
            "inputs": len(checked.inputs),
        }
        if warned:
            counts["warnings"] = len(checked.warnings)
        _echo(Message(key, **counts).render(lang))


@main.command(name="list", help=_help("help.command.list"))
@_FORMAT
@_LANG
def list_command(*, fmt: str, lang: str) -> None:
    """The `list` command; its help is the catalogue's `help.command.list`."""
    infos = list_rulesets()
    latest = {info.scheme: info.edition for info in infos}  # sorted: the last is the latest
    if fmt == "json":
        items = [
            {
                "name": info.name,
                "scheme": info.scheme,
                "edition": info.edition,
                "latest": latest[info.scheme] == info.edition,
                "title": info.title_en if lang == "en" else info.title,
                "sources": list(info.sources),
            }
            for info in infos
        ]
        _echo(json_text(items))
        return
    blocks = []
    for info in infos:
        head = f"{info.name}  {info.title_en if lang == 'en' else info.title}"
        if latest[info.scheme] == info.edition:
            head += "  " + Message("sheets.list_latest", scheme=info.scheme).render(lang)
        sources = Message("sheets.list_sources").render(lang)
        lines = [head, f"    {sources}:", *(f"    - {source}" for source in info.sources)]
        blocks.append("\n".join(lines))
    _echo("\n\n".join(blocks))


@main.command(name="sources", help=_help("help.command.sources"))
@click.argument("ruleset", type=_RULESET)
@_FORMAT
@_LANG
def sources_command(ruleset: Path, *, fmt: str, lang: str) -> None:
    """The `sources` command; its help is the catalogue's `help.command.sources`."""
    with _exit_on_error(lang):
        checked = check_file(ruleset)
    provenance = checked.provenance
    if fmt == "json":
        _echo(json_text(provenance_json(provenance, lang)))
        return
    _echo(provenance_text(provenance, lang))


def _report(diagnostics: tuple[Diagnostic, ...], sources: Any, fmt: str, lang: str) -> None:
    if fmt == "json":
        items = [_json(d, lang) for d in diagnostics]
        _echo(json_text(items))
        return
    for diagnostic in diagnostics:
        _echo(render(diagnostic, sources, lang=lang), err=True)
    errors = sum(d.severity is Severity.ERROR for d in diagnostics)
    warnings = len(diagnostics) - errors
    if diagnostics:
        _echo(Message("cli.summary", errors=errors, warnings=warnings).render(lang), err=True)


def _json(diagnostic: Diagnostic, lang: str) -> dict[str, Any]:
    """A diagnostic for `check --format json`: code, texts in `lang`, and where."""
    return {
        "code": diagnostic.code,
        "severity": diagnostic.severity.value,
        "title": title(diagnostic.code, lang),
        "message": diagnostic.message.render(lang),
        **_location(diagnostic.span),
        "hint": diagnostic.hint.render(lang) if diagnostic.hint else None,
        "notes": [
            {"message": n.message.render(lang), **_location(n.span)} for n in diagnostic.notes
        ],
    }


def _location(span: Any) -> dict[str, Any]:
    fields = ("file", "line", "column", "end_line", "end_column")
    return {field: getattr(span, field) if span else None for field in fields}


@main.command(help=_help("help.command.evaluate"))
@click.argument("rulesets", nargs=-1, required=True, type=_RULESET, metavar="RULESET...")
@click.argument("data", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help=_help("help.output_columns"),
)
@click.option("--show", metavar="COLS", help=_help("help.show"))
@click.option("--rollups", "rollups_output", type=_FILE, help=_help("help.rollups"))
@click.option(
    "--engine", type=click.Choice(["numpy", "duckdb"]), default="numpy", help=_help("help.engine")
)
@click.option("--record", "record_path", type=_FILE, help=_help("help.record"))
@click.option("--by", metavar="COL", help=_help("help.by"))
@_data_options()
def evaluate(
    rulesets: tuple[Path, ...],
    data: Path,
    *,
    output: Path | None,
    show: str | None,
    rollups_output: Path | None,
    engine: str,
    record_path: Path | None,
    by: str | None,
    params: Path | None,
    sheet: _Sheets,
    lang: str,
    ignore_extra: bool,
    locale: str | None,
) -> None:
    """The `evaluate` command; its help is the catalogue's `help.command.evaluate`."""
    if len(rulesets) > 1:  # several schemes on one table: one block of columns per scheme
        one_only = (params, show, rollups_output, by, record_path)
        if engine != "numpy" or any(option is not None for option in one_only):
            raise click.UsageError(Message("facts.one_ruleset_options").render(lang))
        extra = "ignore" if ignore_extra else "error"
        _evaluate_schemes(
            rulesets, data, output=output, sheet=sheet, lang=lang, extra=extra, locale=locale
        )
        return
    ruleset = rulesets[0]
    _record_apart(record_path, output, lang)
    with _exit_on_error(lang):
        for written in (output, rollups_output, record_path):
            if written is not None:
                if written is not record_path:  # an unknown format fails before the long part
                    table_format(written)
                ending = ".record.json" if written is record_path else written.suffix
                suggestion = f"{Path(data).stem}_hasil{ending}"
                _refuse_inputs(written, suggestion, ruleset=ruleset, data=(data,), params=params)
        compiled = load(ruleset, params=params)
        for written in (output, rollups_output, record_path):
            if written is not None:
                _refuse_inputs(written, suggestion, ruleset=ruleset, compiled=compiled)
        if rollups_output is not None and not compiled.plan.rollups and by is None:
            raise click.UsageError(Message("sheets.no_rollups").render(lang))
        _warned(compiled, ruleset, lang)
        if engine == "numpy":  # `--engine duckdb` reads the data inside DuckDB (below)
            table = _read(data, sheet, locale, compiled, lang)
            if by is not None:  # the grouping column is read here, not as an input
                inputs = [i.name for i in compiled.plan.inputs]
                table, groups = take_group(table, by, file=str(data), inputs=inputs)
        note = data_note(data).banner(lang)
        assumed = compiled.provenance.banner(lang)
        workbook = output is not None and table_format(output) == ".xlsx"
        extra = "ignore" if ignore_extra else "error"
        if engine == "duckdb":  # the data read and evaluated inside DuckDB (indikator.sql)
            from indikator.sql.engine import evaluate_path  # noqa: PLC0415

            refused = {**_reading(sheet, locale), "--by": by}  # refused, not ignored
            reading = [name for name, value in refused.items() if value]
            results: Results | None
            # A CSV file is read as numpy reads it, in blocks (out of core); its account
            # of how it was read on stderr, as `_read` says it.
            results = evaluate_path(
                compiled,
                data,
                extra=extra,
                reading=reading,
                account=lambda read: _said(Table(reading=read), lang),
            )
            columns = results.columns(lang)
        else:
            columns, results = _evaluate(compiled, table, extra, lang, whole=workbook or bool(by))
        view = None
        if by is not None and results is not None:
            view = group_view(results, groups, by=by, lang=lang)
        shown = _shown_columns(compiled, columns, show, lang)
        notes = "\n".join(text for text in (note, assumed) if text is not None) or None
        run = None
        if output is not None:
            options = _record_options(sheet, locale, lang, ignore_extra=ignore_extra, by=by)
            run = make_record(
                compiled, ruleset, data, columns, params=params, output=output, options=options
            )
        if output is not None and run is not None and results is not None and workbook:
            sheets = group_sheets(view) if view is not None else None
            rows = {SHEET: sheet_rows(run, output.resolve().parent)}
            with writing(output):
                write_workbook(
                    output,
                    compiled,
                    results,
                    run,
                    lang=lang,
                    note=notes,
                    extra=sheets,
                    sheets=rows,
                )
        elif output is not None and run is not None:
            base = output.resolve().parent
            about: dict[str, Any] | None = None
            if table_format(output) == ".json":
                about = {**_banners(note, assumed), "record": run.to_dict(base)}
            sheets = {"asal_angka": compiled.provenance.rows(lang)}
            metadata = {"indikator.record": record_json(run, base)}
            with writing(output):
                write_table(
                    _written(columns, output),
                    output,
                    note=notes,
                    sheets=sheets,
                    about=about,
                    metadata=metadata,
                )
        if output is not None and run is not None:
            _write_record(run, record_path or sidecar(output))
        if rollups_output is not None and view is not None:
            with writing(rollups_output):
                write_groups(view, rollups_output, note=notes)
        elif rollups_output is not None and results is not None:
            with writing(rollups_output):
                write_table(_written(_stacked(results), rollups_output), rollups_output)
        if rollups_output is not None:
            rolled = _rollups_record(
                compiled, ruleset, data, rollups_output, params=params, sheet=sheet,
                locale=locale, lang=lang, by=by, ignore_extra=ignore_extra,
            )  # fmt: skip
            _write_record(rolled, sidecar(rollups_output))
    _banner(note)
    _banner(assumed)
    _echo(_table(compiled, columns, shown, lang))
    if results is not None:
        for text in _rollup_tables(compiled, results, lang):
            _echo("\n" + text)
    if view is not None:
        _echo("\n" + terminal_text(view.to_text()))


def _rollups_record(
    compiled: Ruleset,
    ruleset: Path,
    data: Path,
    output: Path,
    *,
    params: Path | None,
    sheet: _Sheets,
    locale: str | None,
    lang: str,
    by: str | None,
    ignore_extra: bool,
) -> RunRecord:
    """The files-only record of `evaluate --rollups FILE`: the rollups are not made again."""
    arguments = [
        "--rollups", output.name, *(["--by", by] if by else []), "--lang", lang,
        *_reading_arguments(sheet, locale, ignore_extra=ignore_extra),
    ]  # fmt: skip
    return make_files_record(
        "evaluate", [(compiled, ruleset)], [("data", data)], params=params, arguments=arguments
    )


def _evaluate_schemes(
    rulesets: tuple[Path, ...],
    data: Path,
    *,
    output: Path | None,
    sheet: _Sheets,
    lang: str,
    extra: str,
    locale: str | None = None,
) -> None:
    """`evaluate kla kks stunting DATA`: each scheme's total and tier per region."""
    with _exit_on_error(lang):
        suggestion = f"{Path(data).stem}_hasil{output.suffix}" if output else ""
        if output is not None:
            table_format(output)  # an unknown output format fails before the long part
            _refuse_inputs(output, suggestion, data=(data,))
        compiled = [load(path) for path in rulesets]
        for path, one in zip(rulesets, compiled, strict=True):
            if output is not None:
                _refuse_inputs(output, suggestion, ruleset=path, compiled=one)
            _warned(one, path, lang)
        table = _read(data, sheet, locale, None, lang)
        columns = evaluate_schemes(compiled, table, extra=extra).columns(lang)
        note = data_note(data).banner(lang)
        assumed = [a for a in dict.fromkeys(_assumed(one, lang) for one in compiled) if a]
        if output is not None:
            json = table_format(output) == ".json"
            about = _banners(note, "\n".join(assumed) or None) if json else None
            with writing(output):
                write_table(_written(columns, output), output, note=note, about=about)
            arguments = [
                "--lang",
                lang,
                *_reading_arguments(sheet, locale, ignore_extra=extra == "ignore"),
            ]
            options = _record_options(sheet, locale, lang, ignore_extra=extra == "ignore")
            run = make_files_record(
                "evaluate", list(zip(compiled, rulesets, strict=True)), [("data", data)],
                output=output, arguments=arguments, options=options, values=columns, again=True,
            )  # fmt: skip
            _write_record(run, sidecar(output))
    _banner(note)
    for text in assumed:
        _banner(text)
    rows = [[_cell(columns[c][i], lang) for c in columns] for i in range(len(columns["region"]))]
    words = phrases("cli.column.", lang)
    _echo(text_table([words.get(c, c) for c in columns], rows))


def _warned(compiled: Ruleset, ruleset: Path, lang: str) -> None:
    """One line on standard error when the checker warned (an unreachable tier, IK407)."""
    if not compiled.warnings:
        return
    codes = ", ".join(dict.fromkeys(d.code for d in compiled.warnings))
    note = Message(
        "friction.evaluate_warnings",
        count=len(compiled.warnings),
        codes=codes,
        ruleset=str(ruleset),
    )
    _echo(note.render(lang), err=True)


def _version() -> str:
    return indikator_version()


def _record_options(
    sheet: _Sheets,
    locale: str | None,
    lang: str,
    *,
    ignore_extra: bool,
    by: str | None = None,
    staged: bool = False,
    stage_column: str | None = None,
) -> Options:
    """How the data was read and the results written, as a run record keeps them."""
    return Options(
        sheet=sheet.names,
        header_row=sheet.header_row,
        locale=locale,
        lang=lang,
        ignore_extra=ignore_extra,
        by=by,
        stages=staged,
        stage_column=stage_column,
    )


def _record_apart(record_path: Path | None, output: Path | None, lang: str) -> None:
    """A usage error when `--record` names the output itself, which the record would replace."""
    if record_path is not None and output is not None and record_path.resolve() == output.resolve():
        message = Message("record.is_output", path=str(record_path))
        raise click.UsageError(message.render(lang))


def _write_record(run: RunRecord, path: Path) -> None:
    """The run record beside the output (or at `--record`), atomically."""
    with writing(path):
        write_sidecar(run, path)


def _reading_arguments(sheet: _Sheets, locale: str | None, *, ignore_extra: bool) -> list[str]:
    """How the data was read, as options on a files-only record's command line."""
    args = [item for name in sheet.names for item in ("--sheet", name)]
    if sheet.header_row is not None:
        args += ["--header-row", str(sheet.header_row)]
    args += ["--locale", locale] if locale is not None else []
    return [*args, "--ignore-extra"] if ignore_extra else args


def _digest_only(run: RunRecord) -> RunRecord:
    """The record without the results' values, as a JSON document prints it: the digest."""
    return attrs.evolve(run, results=attrs.evolve(run.results, rows=None))


def _sensitivity_arguments(options: Options, sheet: _Sheets) -> list[str]:
    """`sensitivity`'s options on its record's command line."""
    return [
        "--draws", str(options.draws), "--seed", str(options.seed),
        "--robust", repr(options.robust), "--lang", options.lang,
        *_reading_arguments(sheet, options.locale, ignore_extra=options.ignore_extra),
    ]  # fmt: skip


def _json_format(fmt: str) -> list[str]:
    """`--format json` on a record's command line when the document was JSON."""
    return ["--format", "json"] if fmt == "json" else []


def _recording(fmt: str) -> bool:
    """Whether a report needs its files-only record: printed as JSON, or written by -o."""
    return fmt == "json" or _REPORT_RECORDS.get() is not None


def _keep_record(run: RunRecord, fmt: str, document: dict[str, Any]) -> None:
    """The record in the JSON `document`, and beside the report -o writes."""
    kept = _REPORT_RECORDS.get()
    if kept is not None:
        kept.append(run)
    if fmt == "json":
        document["record"] = _files_record_dict(run)


def _files_record_dict(run: RunRecord) -> dict[str, Any]:
    """A printed JSON document's files-only record, relative to -o's folder or the current."""
    return run.to_dict(_RECORD_BASE.get() or Path.cwd())


def _banner(note: str | None, *, err: bool = False) -> None:
    """The synthetic-data banner (`tables.DataNote.banner`), when the data carries one.

    First on standard output before text; on standard error beside JSON, which stays a
    document a program can read.
    """
    if note is not None:
        _echo(f"*** {note} ***", err=err)


def _assumed(compiled: Ruleset, lang: str) -> str | None:
    """The assumption banner of a ruleset (`Provenance.banner`): None when nothing is assumed."""
    return compiled.provenance.banner(lang)


def _banners(note: str | None, assumed: str | None) -> dict[str, str]:
    """The banners of a JSON output, as `explain --format json` carries them.

    `note`: the synthetic-data banner (`DataNote.banner`); `assumptions`: the assumption
    banner (`_assumed`). Each key only when there is such a banner; both in both languages.
    """
    keys = {"note": note, "assumptions": assumed}
    return {key: text for key, text in keys.items() if text is not None}


def _note(paths: tuple[Path, ...], lang: str) -> str | None:
    """The synthetic-data banner of a command reading several data files, once."""
    notes = dict.fromkeys(data_note(path).banner(lang) for path in paths)
    return "\n".join(note for note in notes if note is not None) or None


def _assumed_sides(a: Ruleset, b: Ruleset, lang: str) -> str | None:
    """The assumption banner of `diff`: once when both rulesets give the same one.

    Otherwise one line per ruleset that assumes something, 'A: ...' and 'B: ...', as the
    head line of `diff` names them.
    """
    first, second = _assumed(a, lang), _assumed(b, lang)
    if first == second:
        return first
    sides = (("A", first), ("B", second))
    return "\n".join(f"{side}: {text}" for side, text in sides if text is not None)


def _refuse_inputs(
    output: Path,
    suggestion: str,
    *,
    ruleset: Path | None = None,
    data: tuple[Path, ...] = (),
    params: Path | None = None,
    compiled: Ruleset | None = None,
) -> None:
    """IK601 if OUTPUT is one of the command's inputs; `compiled` adds the imported files.

    Called with the files named on the command line before anything is read, and again
    with the ruleset's imports once it is loaded, still before any output is written.
    """
    inputs = [Input(path, "data") for path in data]
    inputs += [Input(path, "ruleset") for path in (ruleset,) if path is not None]
    inputs += [Input(path, "params") for path in (params,) if path is not None]
    if compiled is not None:
        inputs += [Input(file, "import") for file in compiled.sources]
    refuse_inputs(output, inputs, suggestion=suggestion)


def _written(columns: dict[str, list[Any]], output: Path) -> dict[str, list[Any]]:
    """The columns as `output` can hold them: JSON has no NaN or infinity, so null."""
    if table_format(output) != ".json":
        return columns
    return {name: json_ready(values) for name, values in columns.items()}


PROGRESS_ROWS = 200_000  # above this many rows, `evaluate` shows a progress bar


def _evaluate(
    compiled: Ruleset, table: Table, extra: str, lang: str, *, whole: bool = False
) -> tuple[dict[str, list[Any]], Results | None]:
    """The output columns, and the `Results` when the whole table was evaluated at once.

    Ranks and rollups compare regions (and a workbook, `whole`, shows every array), so
    such a table is evaluated whole; a large one otherwise in chunks, with a progress bar.
    """
    size = len(next(iter(table.values()), ()))
    if needs_whole_table(compiled) or whole:
        if size > PROGRESS_ROWS:  # one evaluation: no bar that would sit still until the end
            rows = number(size, lang, places=0)
            _echo(Message("cli.evaluating_whole", rows=rows).render(lang), err=True)
        # Every array is read at once (columns, `let` values, the workbook's sheets).
        results = compiled.evaluate_many(table, extra=extra, keep="all")
        return results.columns(lang), results
    if size <= PROGRESS_ROWS:
        return evaluate_table(compiled, table, extra=extra, lang=lang), None
    with click.progressbar(
        length=size, label=Message("cli.evaluating").render(lang), file=sys.stderr
    ) as bar:
        columns = evaluate_table(compiled, table, extra=extra, lang=lang, progress=bar.update)
    return columns, None


def _stacked(results: Results) -> dict[str, list[Any]]:
    """Every rollup as one table; with several, a first column names the rollup."""
    tables = results.rollups()
    if len(tables) == 1:
        return next(iter(tables.values()))
    names = list(dict.fromkeys(column for table in tables.values() for column in table))
    out: dict[str, list[Any]] = {"rollup": [], **{name: [] for name in names}}
    for rollup, table in tables.items():
        size = len(next(iter(table.values())))
        out["rollup"] += [rollup] * size
        for name in names:
            out[name] += table.get(name, [None] * size)
    return out


@main.command(name="test", help=_help("help.command.test_cases"))
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
@_AUTHOR_LANG
def test_cases(paths: tuple[Path, ...], *, lang: str) -> None:
    """The `test_cases` command; its help is the catalogue's `help.command.test_cases`."""
    files = sorted(
        {f for p in paths or (Path(),) for f in ([p] if p.is_file() else p.rglob("*.cases.toml"))}
    )
    passed = failed = 0
    for file in files:
        try:
            outcomes = run_file(file)
        except IndikatorError as error:
            _echo(f"{file}: {error.render(lang)}", err=True)
            failed += 1
            continue
        for outcome in outcomes:
            if outcome.passed:
                passed += 1
                continue
            failed += 1
            _echo(Message("cli.case_failed", case=f"{file}::{outcome.case.name}").render(lang))
            for failure in outcome.failures:
                _echo(f"    {failure.render(lang)}")
    _echo(Message("cli.passed_failed", passed=passed, failed=failed).render(lang))
    sys.exit(1 if failed else 0)


def _shown_columns(
    ruleset: Ruleset, columns: dict[str, list[Any]], show: str | None, lang: str
) -> list[str]:
    """The columns of the terminal table: `--show` ids, or name, score, tier and ranks.

    The region always comes first. An unknown id is a usage error with a guess.
    """
    if show is None:
        wanted = ["name", ruleset.score_name, "tier", *(r.name for r in ruleset.plan.ranks)]
        return ["region", *(name for name in wanted if name in columns)]
    wanted = [name.strip() for name in show.split(",") if name.strip()]
    for name in wanted:
        if name not in columns:
            close = closest(name, columns)
            known = ", ".join(columns)
            message = (
                Message("sheets.show_unknown_close", name=name, close=close)
                if close
                else Message("sheets.show_unknown", name=name, known=known)
            )
            raise click.UsageError(message.render(lang))
    return ["region", *dict.fromkeys(name for name in wanted if name != "region")]


def _table(ruleset: Ruleset, columns: dict[str, list[Any]], shown: list[str], lang: str) -> str:
    """The terminal table of `shown` columns; a rank reads '8 dari 15 di Jawa Barat'."""
    ranks = {r.name: r for r in ruleset.plan.ranks}
    whole = {c for c in shown if _whole_numbers(columns[c])}
    cells = {c: [_cell(v, lang, whole=c in whole) for v in columns[c]] for c in shown}
    for name in shown:
        if _yes_no(ruleset, name):  # a yes/no `let`, held as 1.0/0.0
            cells[name] = [_cell(None if v is None else bool(v), lang) for v in columns[name]]
    c = ruleset.plan.classification
    if c is not None and c.subject in shown and c.subject not in whole:
        # the classified score keeps enough decimals to stay on its tier's side of an edge
        scores = columns[c.subject]
        cells[c.subject] = [
            _cell(v, lang) if not isinstance(v, float) else
            number(v, lang, places=places_beside(v, c.cuts), fixed=True)
            for v in scores
        ]  # fmt: skip
    for name in set(shown) & set(ranks):
        cells[name] = _rank_texts(columns, ranks[name], lang)
    rows = [[cells[c][i] for c in shown] for i in range(len(columns["region"]))]
    words = phrases("cli.column.", lang)
    # a rank is headed by its label, which says what it ranks within
    words.update({n: r.label.text(lang) for n, r in ranks.items() if r.label is not None})
    return text_table([words.get(c, c) for c in shown], rows)


def _yes_no(ruleset: Ruleset, column: str) -> bool:
    try:
        return ruleset.kind(column) == "bool"
    except KeyError:  # not a definition: the region, a met flag, the tier, a rank
        return False


def _whole_numbers(values: list[Any]) -> bool:
    """Whether a column holds whole numbers only (missing ones aside): shown without decimals."""
    present = [v for v in values if v is not None]
    return bool(present) and all(
        isinstance(v, float) and not isinstance(v, bool) and v.is_integer() for v in present
    )


def _rank_texts(columns: dict[str, list[Any]], rank: Any, lang: str) -> list[str]:
    """Each region's rank as '8 dari 15 di Jawa Barat' ('-' without a rank)."""
    ranks = columns[rank.name]
    groups = columns[rank.within] if rank.within else [None] * len(ranks)
    sizes: dict[Any, int] = {}
    for value, group in zip(ranks, groups, strict=True):
        if value is not None:
            sizes[group] = sizes.get(group, 0) + 1
    texts = []
    for value, group in zip(ranks, groups, strict=True):
        if value is None:
            texts.append("-")
            continue
        message = (
            Message("sheets.rank_of", rank=value, size=sizes[group])
            if group is None
            else Message("sheets.rank_of_in", rank=value, size=sizes[group], group=str(group))
        )
        texts.append(terminal_text(message.render(lang)))
    return texts


def _rollup_tables(ruleset: Ruleset, results: Results, lang: str) -> list[str]:
    """Each rollup as a titled text table: its grouping value, then every item."""
    texts = []
    for step in ruleset.plan.rollups:
        table = results.rollup(step.name)
        label = step.label.text(lang) if step.label else step.name
        title = Message("sheets.rollup_title", label=label, name=step.name).render(lang)
        functions = {name: function for name, function, _ in step.items}
        rows = []
        for i in range(len(table[step.by])):
            row = [terminal_text(str(table[step.by][i]))]
            for name, _, _ in step.items:
                row.append(_rollup_cell(table[name][i], functions[name], lang))
            rows.append(row)
        headers = [step.by, *(name for name, _, _ in step.items)]
        texts.append(terminal_text(title) + "\n" + text_table(headers, rows))
    return texts


def _rollup_cell(value: Any, function: str, lang: str) -> str:
    if value is None:
        return "-"
    if function in ("all", "any"):
        return phrases("value.", lang)["yes" if value else "no"]
    if function == "share":
        return f"{number(value, lang, places=1, fixed=True)} %"
    if function == "count":
        return number(value, lang, places=0)
    return number(value, lang, places=2, fixed=True)


def _cell(value: Any, lang: str, *, whole: bool = False) -> str:
    if value is None:
        return "-"
    if isinstance(value, bool):  # a met flag
        return phrases("value.", lang)["yes" if value else "no"]
    if isinstance(value, float):  # region codes in a number column stay without separators
        return f"{value:.0f}" if whole else number(value, lang, places=2, fixed=True)
    return terminal_text(str(value))  # escaped before the widths are measured


# -- explain and report ---------------------------------------------------------------


@main.command(help=_help("help.command.explain"))
@_report_file()
@click.argument("ruleset", type=_RULESET)
@click.argument("data", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--region", required=True, help=_help("help.region"))
@_data_options(fmt=True)
def explain(
    ruleset: Path,
    data: Path,
    *,
    region: str,
    fmt: str,
    params: Path | None,
    sheet: _Sheets,
    lang: str,
    ignore_extra: bool,
    locale: str | None,
) -> None:
    """The `explain` command; its help is the catalogue's `help.command.explain`."""
    compiled, results, note = _evaluated(
        ruleset, data, params, sheet, lang, ignore_extra=ignore_extra, locale=locale
    )
    result = _region(results, region, lang)
    tree = result.explain(lang)
    sources = list(compiled.header.sources) if compiled.header else []
    name = result[compiled.plan.region_name] if compiled.plan.region_name else None
    with _exit_on_error(lang):  # what each of its excluded cells is worth
        table = _read(data, sheet, locale, compiled, lang, again=True)
        worth = gaps(compiled, table, extra="ignore" if ignore_extra else "error", lang=lang)
    cells = worth.of(result.region)
    if fmt == "json":
        document = {
            "region": result.region,
            "name": name,
            "explanation": tree.to_dict(),
            "gaps": [cell.to_dict() for cell in cells],
            "sources": sources,
        }
        assumed = _assumed(compiled, lang)
        document.update(_banners(note, assumed))
        run = _Run(
            ruleset=ruleset,
            data=data,
            params=params,
            sheet=sheet,
            locale=locale,
            lang=lang,
            ignore_extra=ignore_extra,
        )
        with _exit_on_error(lang):
            document["record"] = _json_record(
                run, compiled, results, "explain", ["--region", result.region]
            )
        _banner(note, err=True)
        _banner(assumed, err=True)
        _echo(json_text(document))
        return
    _banner(note)
    _banner(_assumed(compiled, lang))
    _echo(Message("cli.region", region=result.region).render(lang) + (f" ({name})" if name else ""))
    _echo(tree.to_text())
    if cells:
        _echo("\n" + worth.to_text(result.region))
    if sources:
        _echo("\n" + Message("cli.sources").render(lang))
        if compiled.provenance.count("assumed"):  # never a regulation for an invented number
            _echo(Message("prov.sources_caveat").render(lang))
        _echo("\n".join(f"- {source}" for source in sources))


@main.command(help=_help("help.command.report"))
@click.argument("rulesets", nargs=-1, required=True, type=_RULESET, metavar="RULESET...")
@click.argument("data", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "-o",
    "--output",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help=_help("help.output_html"),
)
@click.option("--region", help=_help("help.report_region"))
@click.option(
    "--sensitivity",
    "draws",
    type=click.IntRange(min=1),
    help=_help("help.report_draws"),
)
@click.option(
    "--seed", type=click.IntRange(min=0), default=0, show_default=True, help=_help("help.seed")
)
@click.option("--record", "record_path", type=_FILE, help=_help("help.record"))
@click.option("--evidence", "register", type=_FILE, help=_help("help.evidence"))
@click.option("--as-of", "as_of", type=_DateArg(), metavar="YYYY-MM-DD", help=_help("help.as_of"))
@click.option("--stages", "staged", is_flag=True, help=_help("help.report_stages"))
@click.option("--stage-column", metavar="COL", help=_help("help.stage_column"))
@click.option("--by", metavar="COL", help=_help("help.by"))
@_data_options()
def report(
    rulesets: tuple[Path, ...],
    data: Path,
    *,
    output: Path,
    region: str | None,
    draws: int | None,
    seed: int,
    record_path: Path | None,
    register: Path | None,
    as_of: dt.date | None,
    staged: bool,
    stage_column: str | None,
    by: str | None,
    params: Path | None,
    sheet: _Sheets,
    lang: str,
    ignore_extra: bool,
    locale: str | None,
) -> None:
    """The `report` command; its help is the catalogue's `help.command.report`."""
    if len(rulesets) > 1:  # the region profile across schemes
        one_only = (params, region, draws, register, as_of, stage_column, by, record_path)
        if staged or any(option is not None for option in one_only):
            raise click.UsageError(Message("facts.report_one_ruleset_options").render(lang))
        extra = "ignore" if ignore_extra else "error"
        _profile(rulesets, data, output, sheet=sheet, lang=lang, extra=extra, locale=locale)
        return
    ruleset = rulesets[0]
    if register is None and as_of is not None:  # said, not silently ignored
        raise click.UsageError(Message("evidence.needs_register").render(lang))
    _record_apart(record_path, output, lang)
    with _exit_on_error(lang):
        require_extension(output, (".html", ".htm"), what="report", suggestion="laporan.html")
        for written in (output, record_path):
            if written is not None:
                suggestion = "laporan.html" if written is output else "laporan.html.record.json"
                _refuse_inputs(
                    written,
                    suggestion,
                    ruleset=ruleset,
                    data=(data, *((register,) if register else ())),
                    params=params,
                )
    if staged or by is not None:
        season_options = _SeasonOptions(staged=staged, stage_column=stage_column, by=by)
        compiled, results, note, sections, table = _season_report(
            ruleset,
            data,
            params,
            sheet,
            lang,
            options=season_options,
            ignore_extra=ignore_extra,
            locale=locale,
        )
    else:
        compiled, results, note = _evaluated(
            ruleset, data, params, sheet, lang, ignore_extra=ignore_extra, output=output,
            locale=locale,
        )  # fmt: skip
        sections, table = "", None
    if record_path is not None:
        with _exit_on_error(lang):  # nor over a file the ruleset imports
            _refuse_inputs(record_path, "laporan.html.record.json", compiled=compiled)
    if region is not None:
        region = _region(results, region, lang).region
    with _exit_on_error(lang):
        sensitivity = None
        if draws is not None:
            table = table or _read(data, sheet, locale, compiled, lang, again=True)
            extra = "ignore" if ignore_extra else "error"
            sensitivity = compiled.sensitivity(table, draws=draws, seed=seed, extra=extra)
        documents = None
        if register is not None:  # with stages, the regions of the last stage, each once
            raw = table if staged else _read(data, sheet, locale, compiled, lang, again=True)
            documents = _evidence(compiled, raw, register, as_of, lang)
    with _exit_on_error(lang):
        options = _record_options(
            sheet, locale, lang, ignore_extra=ignore_extra, by=by, staged=staged,
            stage_column=stage_column,
        )  # fmt: skip
        arguments = _page_arguments(region, draws, seed)
        if register is not None:  # the page's evidence, relative to the page as its record
            arguments += ["--evidence", relative(register.resolve(), output.resolve().parent)]
            arguments += [] if as_of is None else ["--as-of", as_of.isoformat()]
        run = make_record(
            compiled,
            ruleset,
            data,
            results.columns(lang),
            command="report",
            params=params,
            output=output,
            options=options,
            arguments=arguments,
        )
        page = render_report(
            compiled, results, region=region, lang=lang, note=note,
            sensitivity=sensitivity, evidence=documents, sections=sections,
        )  # fmt: skip
        page = embed_html(page, run, output.resolve().parent, lang)
        with writing(output):
            replace_atomically(output, lambda path: path.write_text(page, encoding="utf-8"))
        _write_record(run, record_path or sidecar(output))
    _banner(note)
    _banner(_assumed(compiled, lang))
    _echo(Message("cli.wrote", path=str(output)).render(lang))


def _profile(
    rulesets: tuple[Path, ...],
    data: Path,
    output: Path,
    *,
    sheet: _Sheets,
    lang: str,
    extra: str,
    locale: str | None,
) -> None:
    """`report kla kks stunting DATA -o FILE`: each scheme's total and tier per region."""
    with _exit_on_error(lang):
        require_extension(output, (".html", ".htm"), what="report", suggestion="laporan.html")
        _refuse_inputs(output, "laporan.html", data=(data,))
        compiled = [load(path) for path in rulesets]
        for path, one in zip(rulesets, compiled, strict=True):
            _refuse_inputs(output, "laporan.html", ruleset=path, compiled=one)
        table = _read(data, sheet, locale, None, lang)
        schemes = evaluate_schemes(compiled, table, extra=extra)
        note = data_note(data).banner(lang)
        with writing(output):
            write_profile(compiled, schemes, output, lang=lang, note=note)
    _banner(note)
    for text in dict.fromkeys(_assumed(one, lang) for one in compiled):
        _banner(text)
    _echo(Message("cli.wrote", path=str(output)).render(lang))


def _page_arguments(region: str | None, draws: int | None, seed: int) -> list[str]:
    """The options of `report` that shape the page, for its run record's command line."""
    arguments = [] if region is None else ["--region", region]
    if draws is not None:
        arguments += ["--sensitivity", str(draws), "--seed", str(seed)]
    return arguments


@attrs.frozen(kw_only=True)
class _Run:
    """What a printing command read and how: the makings of its JSON document's run record."""

    ruleset: Path
    data: Path
    params: Path | None
    sheet: _Sheets
    locale: str | None
    lang: str
    ignore_extra: bool


def _json_record(
    run: _Run, compiled: Ruleset, results: Results, command: str, arguments: list[str]
) -> dict[str, Any]:
    """The run record of a JSON document printed (or written by -o): the digest, no values.

    Its paths are relative to the folder of `-o`'s file, or to the current folder.
    """
    options = _record_options(run.sheet, run.locale, run.lang, ignore_extra=run.ignore_extra)
    made = make_record(
        compiled,
        run.ruleset,
        run.data,
        results.columns(run.lang),
        command=command,
        params=run.params,
        options=options,
        arguments=[*arguments, "--format", "json"],
        values=False,
    )
    return made.to_dict(_RECORD_BASE.get() or Path.cwd())


@attrs.frozen
class _SeasonOptions:
    """`report --stages [--stage-column C]` and `report --by COLUMN`."""

    staged: bool
    stage_column: str | None
    by: str | None


def _season_report(
    ruleset: Path,
    data: Path,
    params: Path | None,
    sheet: _Sheets,
    lang: str,
    *,
    options: _SeasonOptions,
    ignore_extra: bool,
    locale: str | None,
) -> tuple[Ruleset, Results, str | None, str, Table]:
    """The report's results, with the sections of the stages and of `--by`.

    With stages, the page reports the last stage (the table returned is that stage's, for
    `--sensitivity`); the section says what each verification changed.
    """
    with _exit_on_error(lang):
        compiled = load(ruleset, params=params)
        table = _read(data, sheet, locale, compiled, lang)
        extra = "ignore" if ignore_extra else "error"
        inputs = [i.name for i in compiled.plan.inputs]
        sections = ""
        if options.staged:
            tables, where = stage_files(
                [(str(data), table)], DEFAULT_STAGES, column=options.stage_column,
                region=compiled.plan.region,
            )  # fmt: skip
            if options.by is not None:  # every stage without the column; the last one's groups
                for stage, part in tables.items():
                    tables[stage], groups = take_group(
                        part, options.by, file=str(data), inputs=inputs
                    )
            season = evaluate_stages(compiled, tables, extra=extra, where=where)
            results, table = season.results[-1], tables[season.stages[-1]]
            sections = stages_section(season, lang)
        else:
            if options.by is not None:
                table, groups = take_group(table, options.by, file=str(data), inputs=inputs)
            results = compiled.evaluate_many(table, extra=extra, keep="all")  # a report reads all
        if options.by is not None:
            sections += groups_section(group_view(results, groups, by=options.by, lang=lang))
        note = data_note(data).banner(lang)
    return compiled, results, note, sections, table


def _evaluated(
    ruleset: Path,
    data: Path,
    params: Path | None,
    sheet: _Sheets,
    lang: str,
    *,
    ignore_extra: bool,
    output: Path | None = None,
    locale: str | None = None,
) -> tuple[Ruleset, Results, str | None]:
    """Load and evaluate; an `output` that is a file the ruleset imports exits with IK601.

    The third item is the data's synthetic-data banner in `lang`, or None.
    """
    with _exit_on_error(lang):
        compiled = load(ruleset, params=params)
        if output is not None:
            _refuse_inputs(output, "laporan.html", ruleset=ruleset, compiled=compiled)
        table = _read(data, sheet, locale, compiled, lang)
        extra = "ignore" if ignore_extra else "error"
        results = compiled.evaluate_many(table, extra=extra, keep="all")  # explanations read all
        note = data_note(data).banner(lang)
    return compiled, results, note


def _region(results: Results, region: str, lang: str) -> Result:
    """One region's result, or exit naming a few of the ids the data does have."""
    try:
        return results.region(region)
    except KeyError:
        some = ", ".join(results.regions[: min(5, len(results))])
        more = ", ..." if len(results) > 5 else ""  # noqa: PLR2004
        message = Message("cli.no_region", region=region, count=len(results), some=some + more)
        _echo(message.render(lang), err=True)
        sys.exit(1)


@contextlib.contextmanager
def _exit_on_error(lang: str, fmt: str = "text") -> Iterator[None]:
    """The one error handler of the commands: indikator's errors and write failures exit 1.

    Messages are rendered in `lang`; a ruleset's diagnostics as `fmt` (`check --format
    json` prints them as a JSON list on standard output), everything else as text on
    standard error. Usage errors are click's, which exit 2 before a command runs.
    """
    try:
        yield
    except RulesetError as error:
        _report(error.diagnostics, error.sources, fmt, lang)
        sys.exit(1)
    except IndikatorError as error:
        _echo(_on_the_command_line(error).render(lang), err=True)
        sys.exit(1)
    except OSError as error:  # a write not wrapped in `writing`, which names the file it meant
        _echo(cannot_write(Path(str(error.filename)), error).render(lang), err=True)
        sys.exit(1)


def _on_the_command_line(error: IndikatorError) -> IndikatorError:
    """The error as the command line says it: IK502 names `--ignore-extra`.

    The library's message names the Python keyword `extra='ignore'`, which a user of the
    command cannot type.
    """
    if not isinstance(error, DataError):
        return error
    said = {"data.extra_column": "cli.extra_column", "data.extra_columns": "cli.extra_columns"}
    problems = [
        attrs.evolve(problem, message=Message(key, **dict(problem.message.args)))
        if (key := said.get(problem.message.key))
        else problem
        for problem in error.problems
    ]
    return DataError(problems)


# -- the analyst's workflow: next, readiness, compare, diff ----------------------------

_TOP = click.option(
    "--top",
    type=click.IntRange(min=0),
    default=5,
    show_default=True,
    help=_help("help.top"),
)


def _analyst_output(fmt: str, text: str, data: Any) -> None:
    _echo(json_text(data) if fmt == "json" else text)


@main.command(name="next", help=_help("help.command.next_tier"))
@_report_file()
@click.argument("ruleset", type=_RULESET)
@click.argument("data", type=_FILE)
@click.option("--region", "regions", multiple=True, required=True, help=_help("help.regions"))
@click.option(
    "--max-sets",
    type=click.IntRange(min=1),
    default=5,
    show_default=True,
    help=_help("help.sets"),
)
@click.option(
    "--max-size",
    type=click.IntRange(min=1),
    default=6,
    show_default=True,
    help=_help("help.max_size"),
)
@_data_options(fmt=True)
def next_tier_command(
    *,
    ruleset: Path,
    data: Path,
    regions: tuple[str, ...],
    max_sets: int,
    max_size: int,
    params: Path | None,
    sheet: _Sheets,
    lang: str,
    fmt: str,
    ignore_extra: bool,
    locale: str | None,
) -> None:
    """The `next_tier` command; its help is the catalogue's `help.command.next_tier`."""
    with _exit_on_error(lang):
        compiled, results, note = _evaluated(
            ruleset, data, params, sheet, lang, ignore_extra=ignore_extra, locale=locale
        )
        for region in regions:  # an unknown one exits 1 naming some known ids, as explain
            _region(results, region, lang)
        plans = [
            next_tier(compiled, results, r, max_sets=max_sets, max_size=max_size, lang=lang)
            for r in regions
        ]
        text = "\n\n".join(plan.to_text() for plan in plans)
        assumed = _assumed(compiled, lang)
        _banner(note, err=fmt == "json")
        _banner(assumed, err=fmt == "json")
        # one object per region, each carrying the banners as explain's object does
        banners: dict[str, Any] = {**_banners(note, assumed)}
        if fmt == "json":
            run = _Run(
                ruleset=ruleset,
                data=data,
                params=params,
                sheet=sheet,
                locale=locale,
                lang=lang,
                ignore_extra=ignore_extra,
            )
            asked = [option for r in regions for option in ("--region", r)]
            asked += ["--max-sets", str(max_sets), "--max-size", str(max_size)]
            banners["record"] = _json_record(run, compiled, results, "next", asked)
        _analyst_output(fmt, text, [{**plan.to_dict(), **banners} for plan in plans])


@main.command(name="readiness", help=_help("help.command.readiness"))
@_report_file(exits_after_report=True)
@click.argument("ruleset", type=_RULESET)
@click.argument("data", type=_FILE)
@click.option("--evidence", "register", type=_FILE, help=_help("help.evidence"))
@click.option("--as-of", "as_of", type=_DateArg(), metavar="YYYY-MM-DD", help=_help("help.as_of"))
@click.option("--evidence-xlsx", "evidence_xlsx", type=_FILE, help=_help("help.evidence_xlsx"))
@click.option("--stage", metavar="STAGE", help=_help("help.readiness_stage"))
@click.option("--stage-column", metavar="COL", help=_help("help.stage_column"))
@_data_options(fmt=True)
def readiness_command(
    *,
    ruleset: Path,
    data: Path,
    register: Path | None,
    as_of: dt.date | None,
    evidence_xlsx: Path | None,
    stage: str | None,
    stage_column: str | None,
    params: Path | None,
    sheet: _Sheets,
    lang: str,
    fmt: str,
    ignore_extra: bool,
    locale: str | None,
) -> None:
    """The `readiness` command; its help is the catalogue's `help.command.readiness`."""
    if register is None and (as_of or evidence_xlsx):  # said, not silently ignored
        raise click.UsageError(Message("evidence.needs_register").render(lang))
    if stage_column is not None and stage is None:
        raise click.UsageError(Message("stages.column_needs_stage").render(lang))
    with _exit_on_error(lang):
        if evidence_xlsx is not None:
            require_extension(
                evidence_xlsx, (".xlsx",), what="table", suggestion="data_dukung.xlsx",
                option="--evidence-xlsx",
            )  # fmt: skip
            _refuse_inputs(
                evidence_xlsx, "data_dukung.xlsx", ruleset=ruleset,
                data=(data, *((register,) if register else ())), params=params,
            )  # fmt: skip
        compiled = load(ruleset, params=params)
        # CSV cells stay text, so a decimal comma is reported per cell, not for the file.
        raw = (
            _said(
                read_csv(data, locale=locale, header_row=sheet.header_row, ruleset=compiled), lang
            )
            if data.suffix.lower() == ".csv" and not sheet.names
            else _read(data, sheet, locale, compiled, lang)  # a CSV with --sheet: refused
        )
        if stage is not None:  # one stage of a season's table, e.g. the final one
            raw = one_stage(
                raw, stage, column=stage_column, where=str(data), region=compiled.plan.region
            )
        report = readiness(compiled, raw, extra="ignore" if ignore_extra else "error", lang=lang)
        text, found = report.to_text(), report.to_dict()
        arguments = [
            "--lang", lang, *(["--as-of", as_of.isoformat()] if as_of else []),
            *_reading_arguments(sheet, locale, ignore_extra=ignore_extra),
        ]  # fmt: skip
        read = [("data", data), *([("evidence", register)] if register else [])]
        if register is not None:
            documents = _evidence(compiled, raw, register, as_of, lang)
            text, found = (
                f"{text}\n\n{documents.to_text()}",
                {**found, "evidence": documents.to_dict()},
            )
            if evidence_xlsx is not None:
                write_evidence(documents, evidence_xlsx, note=_note((data, register), lang))
                xlsx = ["--evidence-xlsx", evidence_xlsx.name]  # beside its record: the name
                made = make_files_record(
                    "readiness", [(compiled, ruleset)], read, params=params,
                    arguments=[*arguments, *xlsx],
                )  # fmt: skip
                _write_record(made, sidecar(evidence_xlsx))
        if _recording(fmt):
            run = make_files_record(
                "readiness", [(compiled, ruleset)], read, params=params,
                arguments=[*arguments, *_json_format(fmt)],
            )  # fmt: skip
            _keep_record(run, fmt, found)
        note, assumed = (
            _note((data, *((register,) if register else ())), lang),
            _assumed(compiled, lang),
        )
        _banner(note, err=fmt == "json")
        _banner(assumed, err=fmt == "json")
        _analyst_output(fmt, text, {**found, **_banners(note, assumed)})
    sys.exit(1 if report.blocked else 0)


def _evidence(
    compiled: Ruleset, raw: Any, register: Path, as_of: dt.date | None, lang: str
) -> EvidenceReport:
    """The evidence register checked against the ruleset and the data's regions."""
    regions = regions_of(compiled, raw)
    found = read_register(register, compiled, [region for region, _ in regions])
    day = as_of or dt.date.today()  # noqa: DTZ011  # the analyst's own calendar day
    return check_evidence(compiled, found, regions, as_of=day, lang=lang)


@main.command(name="compare", help=_help("help.command.compare"))
@_report_file()
@click.argument("ruleset", type=_RULESET)
@click.argument("old", type=_FILE)
@click.argument("new", type=_FILE)
@_TOP
@click.option(
    "--min-change",
    type=click.FloatRange(min=0),
    default=0,
    show_default=True,
    help=_help("help.min_change"),
)
@_data_options(fmt=True)
def compare_command(
    *,
    ruleset: Path,
    old: Path,
    new: Path,
    top: int,
    min_change: float,
    params: Path | None,
    sheet: _Sheets,
    lang: str,
    fmt: str,
    ignore_extra: bool,
    locale: str | None,
) -> None:
    """The `compare` command; its help is the catalogue's `help.command.compare`."""
    with _exit_on_error(lang):
        compiled = load(ruleset, params=params)
        extra = "ignore" if ignore_extra else "error"
        tables = (
            _read(old, sheet, locale, compiled, lang),
            _read(new, sheet, locale, compiled, lang),
        )
        result = compare(compiled, *tables, top=top, extra=extra, lang=lang, min_change=min_change)
        note, assumed = _note((old, new), lang), _assumed(compiled, lang)
        document = {**result.to_dict(), **_banners(note, assumed)}
        if _recording(fmt):
            arguments = [
                "--top", str(top), "--min-change", repr(min_change), "--lang", lang,
                *_reading_arguments(sheet, locale, ignore_extra=ignore_extra), *_json_format(fmt),
            ]  # fmt: skip
            read = [("data", old), ("data", new)]
            run = make_files_record(
                "compare", [(compiled, ruleset)], read, params=params, arguments=arguments
            )
            _keep_record(run, fmt, document)
        _banner(note, err=fmt == "json")
        _banner(assumed, err=fmt == "json")
        _analyst_output(fmt, result.to_text(), document)


@main.command(name="diff", help=_help("help.command.diff"))
@_report_file()
@click.argument("ruleset_a", type=_RULESET)
@click.argument("ruleset_b", type=_RULESET)
@click.argument("data", type=_FILE)
@_TOP
@_data_options(fmt=True, params_b=True, extra=False)
def diff_command(
    *,
    ruleset_a: Path,
    ruleset_b: Path,
    data: Path,
    top: int,
    params: Path | None,
    sheet: _Sheets,
    lang: str,
    fmt: str,
    locale: str | None,
) -> None:
    """The `diff` command; its help is the catalogue's `help.command.diff`."""
    with _exit_on_error(lang):
        a = load(ruleset_a)
        b = load(ruleset_b, params=params)
        result = diff(a, b, _read(data, sheet, locale, a, lang), top=top, lang=lang)
        note, assumed = _note((data,), lang), _assumed_sides(a, b, lang)
        document = {**result.to_dict(), **_banners(note, assumed)}
        if _recording(fmt):
            arguments = [
                "--top", str(top), "--lang", lang,
                *_reading_arguments(sheet, locale, ignore_extra=False), *_json_format(fmt),
            ]  # fmt: skip
            rulesets = [(a, ruleset_a), (b, ruleset_b)]
            run = make_files_record(
                "diff", rulesets, [("data", data)], params=params, arguments=arguments
            )
            _keep_record(run, fmt, document)
        _banner(note, err=fmt == "json")
        for line in (assumed or "").splitlines():  # one banner per ruleset when they differ
            _banner(line, err=fmt == "json")
        _analyst_output(fmt, result.to_text(), document)


@main.command(name="fmt", help=_help("help.command.fmt"))
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--check", is_flag=True, help=_help("help.check"))
@click.option("--write", is_flag=True, help=_help("help.write"))
@_AUTHOR_LANG
def fmt_command(paths: tuple[Path, ...], *, check: bool, write: bool, lang: str) -> None:
    """The `fmt` command; its help is the catalogue's `help.command.fmt`."""
    if check and write:
        raise click.UsageError(Message("cli.check_and_write").render(lang))
    files = sorted({f for p in paths for f in (p.rglob("*.ikr") if p.is_dir() else [p])})
    if not (check or write) and len(files) != 1:
        raise click.UsageError(Message("cli.one_file").render(lang))
    failed = False
    with _exit_on_error(lang):  # a file that cannot be written stops the run
        for file in files:
            try:
                with writing(file):  # a failure names the file, not its temporary twin
                    text, changed = format_file(file, write=write)
            except RulesetError as error:  # report it, go on with the other files
                _report(error.diagnostics, error.sources, "text", lang)
                failed = True
                continue
            if check and changed:
                _echo(str(file))
                failed = True
            elif write and changed:
                _echo(Message("cli.reformatted", file=str(file)).render(lang), err=True)
            elif not (check or write):
                _echo_exact(text)
    sys.exit(1 if failed else 0)


# What `graph -o` writes: text (DOT, Mermaid) or an image drawn by Graphviz.
GRAPH_FILES = (".dot", ".gv", ".mmd", *(f".{suffix}" for suffix in sorted(IMAGE_FORMATS)))


@main.command(name="graph", help=_help("help.command.graph"))
@click.argument("ruleset", type=_RULESET)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["dot", "mermaid"]),
    help=_help("help.graph_format"),
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help=_help("help.graph_output"),
)
@_AUTHOR_LANG
def graph_command(ruleset: Path, fmt: str | None, output: Path | None, lang: str) -> None:
    """The `graph` command; its help is the catalogue's `help.command.graph`."""
    image = output is not None and output.suffix.lower().removeprefix(".") in IMAGE_FORMATS
    if image and fmt == "mermaid":
        raise click.UsageError(Message("cli.images_from_dot").render(lang))
    mermaid = fmt == "mermaid" or (fmt is None and output is not None and output.suffix == ".mmd")
    with _exit_on_error(lang):
        suggestion = f"{ruleset.stem}.{'mmd' if mermaid else 'svg' if image else 'dot'}"
        if output is not None:
            require_extension(output, GRAPH_FILES, what="graph", suggestion=suggestion)
            _refuse_inputs(output, suggestion, ruleset=ruleset)
        compiled = load(ruleset)
        text = to_mermaid(compiled) if mermaid else to_dot(compiled)
        if output is not None:
            _refuse_inputs(output, suggestion, ruleset=ruleset, compiled=compiled)
            with writing(output):
                _write_graph(text, output, image=image)
    if output is None:
        _echo_exact(text)


def _write_graph(text: str, output: Path, *, image: bool) -> None:
    """Write the diagram, or draw it with Graphviz, replacing OUTPUT in one step."""
    if image:
        render_image(text, output)  # atomic too
    else:
        replace_atomically(output, lambda temporary: temporary.write_text(text, encoding="utf-8"))


def _a_number(value: float) -> float:
    """Refuse NaN, which passes click's range check (every comparison with it is false)."""
    if math.isnan(value):
        raise click.BadParameter("not a number")
    return value


@main.command(name="sensitivity", help=_help("help.command.sensitivity"))
@click.argument("ruleset", type=_RULESET)
@click.argument("data", type=_FILE)
@click.option(
    "--draws",
    type=click.IntRange(min=1, max=1_000_000),
    default=1000,
    show_default=True,
    help=_help("help.draws"),
)
@click.option(
    "--seed", type=click.IntRange(min=0), default=0, show_default=True, help=_help("help.seed")
)
@click.option(
    "--robust",
    type=click.FloatRange(min=0.0, max=1.0, min_open=True),
    callback=lambda _ctx, _param, value: _a_number(value),
    default=0.95,
    show_default=True,
    help=_help("help.robust"),
)
@click.option(
    "-o",
    "--output",
    type=_FILE,
    help=_help("help.sensitivity_output"),
)
@_data_options(fmt=True)
def sensitivity_command(
    *,
    ruleset: Path,
    data: Path,
    draws: int,
    seed: int,
    robust: float,
    output: Path | None,
    params: Path | None,
    sheet: _Sheets,
    lang: str,
    fmt: str,
    ignore_extra: bool,
    locale: str | None,
) -> None:
    """The `sensitivity` command; its help is the catalogue's `help.command.sensitivity`."""
    with _exit_on_error(lang):
        if output is not None:
            table_format(output)
            suggestion = f"{Path(data).stem}_sensitivitas{output.suffix}"
            _refuse_inputs(output, suggestion, ruleset=ruleset, data=(data,), params=params)
        compiled = load(ruleset, params=params)
        table = _read(data, sheet, locale, compiled, lang)
        result = compiled.sensitivity(
            table,
            draws=draws,
            seed=seed,
            robust_at=robust,
            extra="ignore" if ignore_extra else "error",
        )
        note = data_note(data).banner(lang)
        assumed = _assumed(compiled, lang)
        document = {**result.to_dict(), **_banners(note, assumed)}
        options = attrs.evolve(
            _record_options(sheet, locale, lang, ignore_extra=ignore_extra),
            draws=draws, seed=seed, robust=robust,
        )  # fmt: skip
        run = make_files_record(
            "sensitivity", [(compiled, ruleset)], [("data", data)], params=params, output=output,
            arguments=_sensitivity_arguments(options, sheet), options=options,
            values=result.to_rows(lang), again=True,
        )  # fmt: skip
        if output is not None and output.suffix.lower() == ".json":
            document["record"] = _digest_only(run).to_dict(output.resolve().parent)
        if output is not None:
            notes = "\n".join(t for t in (note, assumed) if t is not None) or None
            sheets = {
                "parameter": result.parameter_rows(lang),
                "asal_angka": compiled.provenance.rows(lang),
            }
            with writing(output):
                if output.suffix.lower() == ".json":  # the same document as --format json
                    text = json_text(document) + "\n"
                    replace_atomically(output, lambda path: path.write_text(text, encoding="utf-8"))
                else:
                    write_table(result.to_rows(lang), output, note=notes, sheets=sheets)
            _write_record(run, sidecar(output))
            document.pop("record", None)  # printed below: relative to the current folder
        if fmt == "json":
            arguments = (*run.arguments, "--format", "json")
            printed = attrs.evolve(_digest_only(run), output=None, arguments=arguments)
            document["record"] = _files_record_dict(printed)
        _banner(note, err=fmt == "json")
        _banner(assumed, err=fmt == "json")
        _analyst_output(fmt, result.to_text(lang), document)


@main.command(name="template", help=_help("help.command.template"))
@click.argument("ruleset", type=_RULESET)
@click.option("-o", "--output", type=_FILE, required=True, help=_help("help.template_output"))
@click.option("--by-agency", is_flag=True, help=_help("help.by_agency"))
@_LANG
def template_command(ruleset: Path, *, output: Path, by_agency: bool, lang: str) -> None:
    """The `template` command; its help is the catalogue's `help.command.template`."""
    with _exit_on_error(lang):
        _refuse_inputs(output, "isian.xlsx", ruleset=ruleset)
        compiled = load(ruleset)
        _refuse_inputs(output, "isian.xlsx", compiled=compiled)
        with writing(output):
            write_template(compiled, output, by_agency=by_agency, lang=lang)
        arguments = [*(["--by-agency"] if by_agency else []), "--lang", lang]
        run = make_files_record(
            "template", [(compiled, ruleset)], [], output=output, arguments=arguments
        )
        _write_record(run, sidecar(output))
    _echo(Message("cli.wrote", path=str(output)).render(lang))


@main.command(name="lsp", help=_help("help.command.lsp"))
def lsp_command() -> None:
    """The `lsp` command; its help is the catalogue's `help.command.lsp`."""
    from indikator import lsp  # noqa: PLC0415  # pygls is optional: imported only here

    if not lsp.available():
        # Before any editor has said which language it wants: both, one per line.
        message = Message("lsp.unavailable")
        click.echo(f"{message.render('en')}\n{message.render('id')}", err=True)
        sys.exit(1)
    lsp.serve()


# -- the season's stages ---------------------------------------------------------------


@main.command(name="stages", help=_help("help.command.stages"))
@click.argument("ruleset", type=_RULESET)
@click.argument("data", nargs=-1, required=True, type=_FILE)
@click.option("--stages", "names", metavar="A,B,C", help=_help("help.stages"))
@click.option("--stage-column", metavar="COL", help=_help("help.stage_column"))
@click.option("-o", "--output", type=_FILE, help=_help("help.stages_output"))
@_data_options(fmt=True)
def stages_command(
    ruleset: Path,
    data: tuple[Path, ...],
    *,
    names: str | None,
    stage_column: str | None,
    output: Path | None,
    fmt: str,
    params: Path | None,
    sheet: _Sheets,
    lang: str,
    ignore_extra: bool,
    locale: str | None,
) -> None:
    """The `stages` command; its help is the catalogue's `help.command.stages`."""
    order = _stage_names(names, lang)
    with _exit_on_error(lang):
        if output is not None:
            table_format(output)  # an unknown output format fails before the long part
            _refuse_inputs(output, "tahap.xlsx", ruleset=ruleset, data=data, params=params)
        compiled = load(ruleset, params=params)
        if output is not None:
            _refuse_inputs(output, "tahap.xlsx", compiled=compiled)
        files = [(str(path), _read(path, sheet, locale, compiled, lang)) for path in data]
        region = compiled.plan.region
        tables, where = stage_files(files, order, column=stage_column, region=region)
        extra = "ignore" if ignore_extra else "error"
        staged = evaluate_stages(compiled, tables, stages=order, extra=extra, where=where)
        note, assumed = _note(data, lang), _assumed(compiled, lang)
        if output is not None:
            notes = "\n".join(t for t in (note, assumed) if t is not None) or None
            with writing(output):
                write_stages(staged, output, lang, note=notes)
            arguments = [
                *(["--stages", ",".join(order)] if names is not None else []),
                *(["--stage-column", stage_column] if stage_column else []), "--lang", lang,
                *_reading_arguments(sheet, locale, ignore_extra=ignore_extra),
            ]  # fmt: skip
            run = make_files_record(
                "stages", [(compiled, ruleset)], [("data", path) for path in data],
                params=params, output=output, arguments=arguments,
            )  # fmt: skip
            _write_record(run, sidecar(output))
    _banner(note, err=fmt == "json")
    _banner(assumed, err=fmt == "json")
    _analyst_output(
        fmt, stages_text(staged, lang), {**stages_dict(staged, lang), **_banners(note, assumed)}
    )
    if output is not None:
        _echo(Message("cli.wrote", path=str(output)).render(lang), err=fmt == "json")


def _stage_names(names: str | None, lang: str) -> tuple[str, ...]:
    """`--stages a,b,c` as names in order; a name given twice or none at all is a usage error."""
    if names is None:
        return DEFAULT_STAGES
    order = tuple(name.strip() for name in names.split(",") if name.strip())
    if not order or len(set(order)) != len(order):
        raise click.UsageError(Message("stages.bad_names", names=names).render(lang))
    return order


@main.command(name="sql", help=_help("help.command.sql"))
@click.argument("ruleset", type=_RULESET)
@click.option(
    "--dialect", type=click.Choice(["duckdb", "postgres", "spark"]), default="duckdb",
    help=_help("help.sql_dialect"),
)  # fmt: skip
@click.option("--table", default="data", show_default=True, help=_help("help.sql_table"))
@click.option("--by", "by", metavar="COL", help=_help("help.sql_by"))
@click.option("--from", "scores", metavar="VIEW", help=_help("help.sql_from"))
@click.option("--keep", multiple=True, metavar="COL", help=_help("help.sql_keep"))
@click.option("-o", "--output", type=_FILE, help=_help("help.sql_output"))
@click.option("--params", type=_FILE, help=_help("help.params"))
@_LANG
def sql_command(
    ruleset: Path,
    *,
    dialect: str,
    table: str,
    by: str | None,
    scores: str | None,
    keep: tuple[str, ...],
    output: Path | None,
    params: Path | None,
    lang: str,
) -> None:
    """The `sql` command; its help is the catalogue's `help.command.sql`."""
    if scores is not None and by is None:
        raise click.UsageError(Message("sql.from_needs_by").render(lang))
    with _exit_on_error(lang):
        if output is not None:
            _refuse_inputs(output, "ruleset.sql", ruleset=ruleset, params=params)
        loaded = load(ruleset, params=params)
        if by is None:
            text = loaded.to_sql(dialect=dialect, table=table, keep=keep) + ";\n"
        else:
            text = loaded.rollup_sql(by, dialect=dialect, table=table, scores=scores) + ";\n"
        if output is None:
            _echo(text.rstrip("\n"))
            return
        with writing(output):
            replace_atomically(output, lambda path: path.write_text(text, encoding="utf-8"))
    _echo(Message("cli.wrote", path=str(output)).render(lang))


def _reading(sheet: _Sheets, locale: str | None) -> dict[str, object]:
    """The reading options of a data file, by name (`evaluate --engine duckdb` refuses them)."""
    return {"--sheet": sheet.names, "--header-row": sheet.header_row, "--locale": locale}


@main.command(name="verify", help=_help("help.command.verify"))
@click.argument("record_file", metavar="RECORD", type=click.Path(dir_okay=False, path_type=Path))
@_LANG
def verify_command(record_file: Path, *, lang: str) -> None:
    """The `verify` command; its help is the catalogue's `help.command.verify`."""
    with _exit_on_error(lang):
        run = read_record(record_file)
        verification = verify_record(run)
    _echo(verification_text(verification, record_file, lang))
    sys.exit(0 if verification.same else 1)
