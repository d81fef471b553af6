"""Run records: what an output was made from, so that anyone can check it again.

Input: the files a command read (the ruleset and each file it imports or extends, the
parameter file, the data), its options and the results as written. Output: a `RunRecord`
(`make_record`), stored as JSON beside an output and inside it (`record_files`), and
checked (`verify_record`): every file's SHA-256 is compared, the evaluation is run again with the
same options and its results are compared exactly, value by value, with those recorded.

Paths are stored relative to the folder of the file that holds the record, so a folder
of outputs and inputs can be moved or sent as a whole. Errors: `RecordError` when a file
holds no record or one that cannot be read.
"""

from __future__ import annotations

import hashlib
import json
import math
import numbers
import os
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

import attrs

from indikator.errors import IndikatorError
from indikator.messages import Message
from indikator.record_again import read_again, schemes_again, sensitivity_again
from indikator.rollup_view import take_group
from indikator.ruleset import Ruleset, load
from indikator.stages import DEFAULT_STAGES, evaluate_stages, stage_files

__all__ = [
    "FORMAT",
    "MAX_CELLS",
    "FileChange",
    "FileDigest",
    "Options",
    "RecordError",
    "RunRecord",
    "ValueChange",
    "Verification",
    "WrittenResults",
    "data_file",
    "file_sha256",
    "indikator_version",
    "make_files_record",
    "make_record",
    "relative",
    "results_of",
    "run_again",
    "verification_text",
    "verify_record",
]

#: The version of the record's JSON layout; a reader refuses one it does not know.
FORMAT = 1
#: Above this many result cells the record keeps only their digest, not the values.
MAX_CELLS = 200_000


class RecordError(IndikatorError, ValueError):
    """A file holds no run record, or one that cannot be read; the message says which."""


@attrs.frozen(kw_only=True)
class FileDigest:
    """A file the run read: its role (ruleset, import, params, data), path and SHA-256."""

    role: str
    path: Path  # absolute while in memory; relative to the record's folder when stored
    sha256: str

    def shown(self, base: Path) -> str:
        """The path as the record stores it: relative to the folder `base`."""
        return relative(self.path, base)


@attrs.frozen(kw_only=True)
class Options:
    """How the data was read and the results written: enough to run them again."""

    sheet: tuple[str, ...] = ()
    header_row: int | None = None
    locale: str | None = None
    lang: str = "id"
    ignore_extra: bool = False
    by: str | None = None  # `--by COL`: the column taken out of the table, not an input
    stages: bool = False  # `report --stages`: the results are the last stage's
    stage_column: str | None = None
    draws: int | None = None  # `sensitivity --draws --seed --robust`
    seed: int | None = None
    robust: float | None = None


@attrs.frozen(kw_only=True)
class WrittenResults:
    """The results as written: their digest and, when not too many, the values themselves."""

    digest: str
    regions: int
    columns: tuple[str, ...]
    rows: tuple[tuple[Any, ...], ...] | None  # None above MAX_CELLS


@attrs.frozen(kw_only=True)
class RunRecord:
    """One run: the command, the files it read with their SHA-256, and its results."""

    command: str  # 'evaluate', 'report', ... (any command with `checks` 'files')
    ruleset: Path
    data: Path | None  # None: the command read no data (`template`)
    params: Path | None
    output: Path | None
    options: Options
    files: tuple[FileDigest, ...]
    parameters: tuple[tuple[str, float], ...]  # every parameter value in force
    results: WrittenResults
    version: str
    time: str  # UTC, ISO 8601
    # the command's options that shape the page, not the results ('--region', '9914')
    arguments: tuple[str, ...] = ()
    # 'results': verify runs it again and compares the results; 'files': it compares
    # the files' SHA-256 only (a command whose output is not results made again)
    checks: str = "results"

    def argv(self, base: Path) -> list[str]:
        """The command line that runs this again from `base` (paths relative to it)."""
        if self.checks == "files" or _named_files(self):
            return self._files_argv(base)
        args = ["indikator", self.command, relative(self.ruleset, base)]
        args.append(relative(data_file(self), base))
        if self.output is not None:
            args += ["-o", relative(self.output, base)]
        if self.params is not None:
            args += ["--params", relative(self.params, base)]
        for name in self.options.sheet:
            args += ["--sheet", name]
        if self.options.header_row is not None:
            args += ["--header-row", str(self.options.header_row)]
        args += ["--lang", self.options.lang]
        if self.options.ignore_extra:
            args.append("--ignore-extra")
        if self.options.locale is not None:
            args += ["--locale", self.options.locale]
        if self.options.stages:
            args.append("--stages")
        if self.options.stage_column is not None:
            args += ["--stage-column", self.options.stage_column]
        if self.options.by is not None:
            args += ["--by", self.options.by]
        return [*args, *self.arguments]

    def _files_argv(self, base: Path) -> list[str]:
        """The command line of a files-only record: its files in the order they were named."""
        args = ["indikator", self.command]
        for file in self.files:
            if file.role in {"ruleset", "data"}:
                args.append(relative(file.path, base))
            elif file.role == "evidence":
                args += ["--evidence", relative(file.path, base)]
        if self.output is not None:
            args += ["-o", relative(self.output, base)]
        if self.params is not None:
            args += ["--params", relative(self.params, base)]
        return [*args, *self.arguments]

    def to_dict(self, base: Path) -> dict[str, Any]:
        """The record as JSON values, every path relative to the folder `base`."""
        results = self.results
        return {
            "indikator_record": FORMAT,
            "indikator": self.version,
            "time": self.time,
            "command": self.argv(base),
            "run": {
                "command": self.command,
                "ruleset": relative(self.ruleset, base),
                "data": None if self.data is None else relative(self.data, base),
                "params": None if self.params is None else relative(self.params, base),
                "output": None if self.output is None else relative(self.output, base),
                **attrs.asdict(self.options),
                "arguments": list(self.arguments),
                "checks": self.checks,
            },
            "files": [
                {"role": f.role, "path": relative(f.path, base), "sha256": f.sha256}
                for f in self.files
            ],
            "parameters": dict(self.parameters),
            "results": {
                "digest": results.digest,
                "regions": results.regions,
                "columns": list(results.columns),
                "rows": None if results.rows is None else [list(row) for row in results.rows],
            },
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], base: Path) -> RunRecord:
        """The record stored by `to_dict`, its paths resolved against `base`."""
        if data.get("indikator_record") != FORMAT:
            raise RecordError(Message("record.format", found=str(data.get("indikator_record"))))
        run, results = data["run"], data["results"]
        rows = results["rows"]
        return cls(
            command=run["command"],
            ruleset=base / run["ruleset"],
            data=None if run["data"] is None else base / run["data"],
            params=None if run["params"] is None else base / run["params"],
            output=None if run["output"] is None else base / run["output"],
            options=Options(
                sheet=tuple(run["sheet"]),
                header_row=run["header_row"],
                locale=run["locale"],
                lang=run["lang"],
                ignore_extra=run["ignore_extra"],
                by=run.get("by"),
                stages=run.get("stages", False),
                stage_column=run.get("stage_column"),
                draws=run.get("draws"),
                seed=run.get("seed"),
                robust=run.get("robust"),
            ),
            files=tuple(
                FileDigest(role=f["role"], path=base / f["path"], sha256=f["sha256"])
                for f in data["files"]
            ),
            parameters=tuple(sorted(data["parameters"].items())),
            results=WrittenResults(
                digest=results["digest"],
                regions=results["regions"],
                columns=tuple(results["columns"]),
                rows=None if rows is None else tuple(tuple(row) for row in rows),
            ),
            version=data["indikator"],
            time=data["time"],
            arguments=tuple(run.get("arguments", ())),
            checks=_checks(run.get("checks", "results")),
        )


def _named_files(record: RunRecord) -> bool:
    """Whether the command line names its files in order, not as RULESET DATA."""
    rulesets = sum(file.role == "ruleset" for file in record.files)
    return rulesets > 1 or record.command not in ("evaluate", "report", "explain", "next")


def data_file(record: RunRecord) -> Path:
    """The data a results record read; a record without one cannot be run again."""
    if record.data is None:
        raise RecordError(Message("record.unreadable", path=str(record.ruleset)))
    return record.data


def _checks(found: object) -> str:
    """The record's `checks`, refused when unknown: never a files-only check taken as more."""
    if found not in ("results", "files"):
        raise RecordError(Message("record.format", found=f"checks={found}"))
    return str(found)


def indikator_version() -> str:
    """The version of indikator as installed ('0+unknown' in a source tree never installed)."""
    try:
        return metadata.version("indikator")
    except metadata.PackageNotFoundError:
        return "0+unknown"


def _now() -> str:
    """The time of the run, UTC: SOURCE_DATE_EPOCH when set, for reproducible builds."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "")
    moment = datetime.fromtimestamp(int(epoch), UTC) if epoch.isdigit() else datetime.now(UTC)
    return moment.isoformat(timespec="seconds").replace("+00:00", "Z")


def file_sha256(path: Path) -> str:
    """The SHA-256 of a file's bytes, in hex."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def make_record(
    ruleset: Ruleset,
    ruleset_path: str | Path,
    data: str | Path,
    columns: Mapping[str, Sequence[Any]],
    *,
    command: str = "evaluate",
    params: str | Path | None = None,
    output: str | Path | None = None,
    options: Options | None = None,
    arguments: Sequence[str] = (),
    values: bool = True,
) -> RunRecord:
    """The record of evaluating `ruleset` (loaded from `ruleset_path`) on `data`.

    `columns` are the results as written (`Results.columns(lang)`), `options` how the
    data was read, `arguments` the command's other options, which shape the output but
    not the results (a report's `--region`). Every file is hashed now: the ruleset, each
    file it imports or extends, `params` and `data`. The time is now, or
    SOURCE_DATE_EPOCH when set. Without `values` the record keeps only the results'
    digest (a record printed beside a command's JSON), not every value.
    """
    main = Path(ruleset_path).resolve()
    read = [("ruleset", main)]
    read += [
        ("import", Path(name).resolve())
        for name in ruleset.sources
        if Path(name).is_file() and Path(name).resolve() != main
    ]
    read += [("params", Path(params).resolve())] if params is not None else []
    read += [("data", Path(data).resolve())]
    return RunRecord(
        command=command,
        ruleset=main,
        data=Path(data).resolve(),
        params=None if params is None else Path(params).resolve(),
        output=None if output is None else Path(output).resolve(),
        options=options or Options(),
        files=tuple(FileDigest(role=r, path=p, sha256=file_sha256(p)) for r, p in read),
        parameters=tuple(sorted(ruleset.params.items())),
        results=results_of(columns, keep=values),
        version=indikator_version(),
        time=_now(),
        arguments=tuple(arguments),
    )


def make_files_record(
    command: str,
    rulesets: Sequence[tuple[Ruleset, str | Path]],
    read: Sequence[tuple[str, str | Path]],
    *,
    params: str | Path | None = None,
    output: str | Path | None = None,
    arguments: Sequence[str] = (),
    options: Options | None = None,
    values: Mapping[str, Sequence[Any]] | None = None,
    again: bool = False,
) -> RunRecord:
    """The record of a command whose output `verify` does not make again: its files only.

    `rulesets` are the compiled rulesets with their paths, in the order the command was
    given them; `read` the other files, each with its role ('data', 'evidence'), in order.
    Every file is hashed now, each ruleset's imports too. `arguments` are the command's
    options besides its files. `values` are the output's values, kept with their digest.
    With `again` (`evaluate` with several schemes, `sensitivity`: see `run_again`) `verify`
    makes them again with `options` and compares; else it checks the files only.
    """
    files: list[tuple[str, Path]] = []
    for ruleset, path in rulesets:
        main = Path(path).resolve()
        files.append(("ruleset", main))
        files += [
            ("import", Path(name).resolve())
            for name in ruleset.sources
            if Path(name).is_file() and Path(name).resolve() not in (main, *(p for _, p in files))
        ]
    files += [("params", Path(params).resolve())] if params is not None else []
    files += [(role, Path(path).resolve()) for role, path in read]
    data = next((path for role, path in files if role == "data"), None)
    return RunRecord(
        command=command,
        ruleset=files[0][1],
        data=data,
        params=None if params is None else Path(params).resolve(),
        output=None if output is None else Path(output).resolve(),
        options=options or Options(),
        files=tuple(FileDigest(role=r, path=p, sha256=file_sha256(p)) for r, p in files),
        parameters=tuple(sorted(rulesets[-1][0].params.items())),
        results=results_of(values or {}, keep=again),
        version=indikator_version(),
        time=_now(),
        arguments=tuple(arguments),
        checks="results" if again else "files",
    )


def _canonical(value: Any) -> Any:
    """A value as JSON holds it exactly: Python's own scalars, NaN and ±inf as None."""
    if value is None or isinstance(value, bool | str):
        return value
    if isinstance(value, numbers.Integral):
        return int(value)
    if isinstance(value, numbers.Real):
        number = float(value)
        return number if math.isfinite(number) else None
    return str(value)


def _dumps(value: Any) -> bytes:
    text = json.dumps(value, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
    return text.encode("utf-8", "surrogatepass")  # a lone surrogate is hashed, not raised


def results_of(columns: Mapping[str, Sequence[Any]], *, keep: bool = True) -> WrittenResults:
    """The results' digest: SHA-256 of their canonical JSON, `{"columns":[...],"rows":[...]}`.

    That is the compact JSON (no spaces) of the column ids and one list per region of its
    values (`_canonical`), made row by row so that a million regions need no second copy.
    The values are kept too, unless not `keep` or there are more than MAX_CELLS.
    """
    names = [str(name) for name in columns]
    size = len(next(iter(columns.values()), ()))
    kept: list[tuple[Any, ...]] | None = [] if keep and size * len(names) <= MAX_CELLS else None
    digest = hashlib.sha256(b'{"columns":' + _dumps(names) + b',"rows":[')
    for number, row in enumerate(zip(*columns.values(), strict=True)):
        values = [_canonical(value) for value in row]
        digest.update((b"," if number else b"") + _dumps(values))
        if kept is not None:
            kept.append(tuple(values))
    digest.update(b"]}")
    return WrittenResults(
        digest="sha256:" + digest.hexdigest(),
        regions=size,
        columns=tuple(names),
        rows=None if kept is None else tuple(kept),
    )


def run_again(record: RunRecord) -> dict[str, list[Any]]:
    """The results of the recorded run, made again from the files as they are now."""
    options, data = record.options, data_file(record)
    rulesets = [file.path for file in record.files if file.role == "ruleset"]
    if len(rulesets) > 1:
        return schemes_again(rulesets, data, options)
    if record.command == "sensitivity":
        return sensitivity_again(record.ruleset, record.params, data, options)
    compiled = load(record.ruleset, params=record.params)
    table = read_again(data, options, compiled)
    extra = "ignore" if options.ignore_extra else "error"
    inputs = [spec.name for spec in compiled.plan.inputs]
    file = str(data)
    if options.stages:  # as `report --stages`: the last stage, each without the --by column
        tables, where = stage_files(
            [(file, table)], DEFAULT_STAGES, column=options.stage_column,
            region=compiled.plan.region,
        )  # fmt: skip
        if options.by is not None:
            for stage, part in tables.items():
                tables[stage], _ = take_group(part, options.by, file=file, inputs=inputs)
        season = evaluate_stages(compiled, tables, extra=extra, where=where)
        return season.results[-1].columns(options.lang)
    if options.by is not None:
        table, _ = take_group(table, options.by, file=file, inputs=inputs)
    return compiled.evaluate_many(table, extra=extra).columns(options.lang)


# -- verifying --------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class FileChange:
    """A recorded file whose bytes differ now (`now` None: it is gone)."""

    role: str
    path: Path
    recorded: str
    now: str | None


@attrs.frozen(kw_only=True)
class ValueChange:
    """One region's value that differs: the column, as recorded and as made again.

    `column` None: the region is in only one of them (`recorded` or `now` is None).
    """

    region: str
    column: str | None
    recorded: Any
    now: Any


@attrs.frozen(kw_only=True)
class Verification:
    """What `verify_record` found: changed files, versions, and the results compared."""

    record: RunRecord
    files: tuple[FileChange, ...]
    version: str  # indikator's version now
    digest: str | None  # the results' digest now; None when they could not be made
    error: IndikatorError | None  # why the run could not be made again
    changes: tuple[ValueChange, ...]
    columns: tuple[tuple[str, ...], tuple[str, ...]]  # columns only recorded, only now
    consistent: bool  # the record's values give its own digest (it was not edited)

    @property
    def same(self) -> bool:
        """Whether everything is as recorded: files, version and every result exactly.

        A files-only record (`checks` 'files') is the same when its files and version are.
        """
        files = self.consistent and not self.files and self.version == self.record.version
        if self.record.checks == "files":
            return files and self.error is None
        return files and self.digest == self.record.results.digest


def verify_record(record: RunRecord) -> Verification:
    """Check `record`: hash every file again, run it again, compare the results exactly.

    The results are compared by their digest, so `same` is never true when one value,
    tier or column differs; the changed values are named when the record keeps them.
    """
    changed = tuple(change for f in record.files if (change := _changed(f)) is not None)
    recorded = record.results
    consistent = _consistent(recorded)
    if record.checks == "files":  # nothing is made again: the files tell all it can
        return Verification(
            record=record,
            files=changed,
            version=indikator_version(),
            digest=None,
            error=None,
            changes=(),
            columns=((), ()),
            consistent=consistent,
        )
    try:
        columns = run_again(record)
    except IndikatorError as error:
        return Verification(
            record=record,
            files=changed,
            version=indikator_version(),
            digest=None,
            error=error,
            changes=(),
            columns=((), ()),
            consistent=consistent,
        )
    now = results_of(columns)
    return Verification(
        record=record,
        files=changed,
        version=indikator_version(),
        consistent=consistent,
        digest=now.digest,
        error=None,
        changes=() if now.digest == recorded.digest else _value_changes(recorded, now),
        columns=(
            tuple(c for c in recorded.columns if c not in now.columns),
            tuple(c for c in now.columns if c not in recorded.columns),
        ),
    )


def _consistent(recorded: WrittenResults) -> bool:
    """Whether the values a record keeps give its digest: an edited value shows here."""
    if recorded.rows is None:
        return True
    columns = {
        name: [row[index] for row in recorded.rows] for index, name in enumerate(recorded.columns)
    }
    return results_of(columns).digest == recorded.digest


def _changed(file: FileDigest) -> FileChange | None:
    now = file_sha256(file.path) if file.path.is_file() else None
    if now == file.sha256:
        return None
    return FileChange(role=file.role, path=file.path, recorded=file.sha256, now=now)


def _value_changes(recorded: WrittenResults, now: WrittenResults) -> tuple[ValueChange, ...]:
    """Every value that differs, region by region (by the `region` column), in order."""
    if recorded.rows is None or now.rows is None:
        return ()
    old, new = _by_region(recorded), _by_region(now)
    out: list[ValueChange] = []
    for region, values in old.items():
        if region not in new:
            out.append(ValueChange(region=region, column=None, recorded=True, now=None))
            continue
        for column, value in values.items():
            if column in new[region] and _json(new[region][column]) != _json(value):
                out.append(
                    ValueChange(
                        region=region, column=column, recorded=value, now=new[region][column]
                    )
                )
    out += [
        ValueChange(region=region, column=None, recorded=None, now=True)
        for region in new
        if region not in old
    ]
    return tuple(out)


def _by_region(results: WrittenResults) -> dict[str, dict[str, Any]]:
    index = results.columns.index("region") if "region" in results.columns else None
    return {
        str(row[index]) if index is not None else str(number): dict(
            zip(results.columns, row, strict=True)
        )
        for number, row in enumerate(results.rows or (), start=1)
    }


def _json(value: Any) -> str:
    """The value exactly as the record writes it: 1 and 1.0, or 0.0 and -0.0, differ."""
    return json.dumps(value, ensure_ascii=False, allow_nan=False)


SHOWN = 20  # value changes listed before '... and N more'


def verification_text(verification: Verification, where: Path, lang: str = "id") -> str:
    """What `indikator verify` prints: each difference named, then the verdict.

    Paths are shown relative to the record's folder, as the record writes them.
    """
    record, base = verification.record, where.resolve().parent
    lines = [
        Message("record.head", path=str(where), version=record.version, time=record.time),
        Message("record.command", command=" ".join(record.argv(base))),
    ]
    lines += _file_lines(verification, base)
    if verification.version != record.version:
        lines.append(
            Message("record.version_changed", old=record.version, new=verification.version)
        )
    if not verification.consistent:
        lines.append(Message("record.inconsistent"))
    texts = [line.render(lang) for line in lines]
    if record.checks == "files":
        texts.append(Message("record.files_only", command=record.command).render(lang))
        key = "record.same_files" if verification.same else "record.differs"
        return "\n".join([*texts, Message(key).render(lang)])
    if verification.error is not None:
        texts.append(Message("record.rerun_failed").render(lang))
        texts += ["    " + line for line in verification.error.render(lang).splitlines()]
    elif verification.digest == record.results.digest:
        texts.append(
            Message(
                "record.results_same", regions=record.results.regions, digest=verification.digest
            ).render(lang)
        )
    else:
        texts += _result_lines(verification, lang)
    texts.append(Message("record.same" if verification.same else "record.differs").render(lang))
    return "\n".join(texts)


def _file_lines(verification: Verification, base: Path) -> list[Message]:
    same = len(verification.record.files) - len(verification.files)
    lines = [Message("record.files_same", count=same)] if same else []
    for change in verification.files:
        key = "record.file_changed" if change.now is not None else "record.file_missing"
        role = Message(f"record.role_{change.role}")
        lines.append(Message(key, path=relative(change.path, base), role=role))
        lines.append(Message("record.sha_recorded", sha=change.recorded))
        if change.now is not None:
            lines.append(Message("record.sha_now", sha=change.now))
    return lines


def _result_lines(verification: Verification, lang: str) -> list[str]:
    recorded = verification.record.results
    changes = verification.changes
    regions = len({c.region for c in changes})
    head = Message(
        "record.results_differ", count=len(changes), regions=regions, total=recorded.regions
    )
    digests = Message("record.digests", old=recorded.digest, new=str(verification.digest))
    lines = [head.render(lang), digests.render(lang)]
    gone, new = verification.columns
    if gone:
        lines.append(Message("record.columns_gone", columns=", ".join(gone)).render(lang))
    if new:
        lines.append(Message("record.columns_new", columns=", ".join(new)).render(lang))
    if recorded.rows is None:
        lines.append(Message("record.no_values").render(lang))
    lines += [_change_text(change, lang) for change in changes[:SHOWN]]
    if len(changes) > SHOWN:
        lines.append(Message("record.more", count=len(changes) - SHOWN).render(lang))
    return lines


def _change_text(change: ValueChange, lang: str) -> str:
    if change.column is None:
        key = "record.region_gone" if change.now is None else "record.region_new"
        return Message(key, region=change.region).render(lang)
    return Message(
        "record.value",
        region=change.region,
        column=change.column,
        old=_json(change.recorded),
        new=_json(change.now),
    ).render(lang)


def relative(path: Path, base: Path) -> str:
    """`path` relative to the folder `base`, with '/' on every system."""
    return Path(os.path.relpath(path, base)).as_posix()
