"""What the commands write: output files that are never an input, strict JSON, safe terminals.

Three rules for every command's output:

* an output file is never one of the command's inputs (data, ruleset, the files it
  imports, parameters), however it is spelt: `refuse_inputs` raises IK601 before
  anything is written, and `writing` turns a failed write into IK602 naming the path
  the user gave;
* JSON is strict (RFC 8259): a number that is not finite (NaN for a missing value,
  infinity after an overflow) is written `null` (`json_text`);
* text for a terminal carries no control characters (`terminal_text`), so a region
  name cannot move the cursor, retitle the window or hide text. Files written with
  `-o` keep the data byte for byte.
"""

from __future__ import annotations

import contextlib
import json
import math
import re
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

import attrs

from indikator.errors import OutputError
from indikator.messages import Message, Words

__all__ = [
    "Input",
    "cannot_write",
    "json_ready",
    "json_text",
    "refuse_inputs",
    "require_extension",
    "terminal_text",
    "writing",
]


@attrs.frozen
class Input:
    """A file a command reads; `role` is data, ruleset, import or params."""

    path: str | Path
    role: str


def refuse_inputs(
    output: Path, inputs: Iterable[Input], *, suggestion: str, option: str = "-o"
) -> None:
    """Raise IK601 if `output` is one of `inputs`: the same file, through links too.

    `suggestion` is a file name the hint offers instead.
    """
    for read in inputs:
        if _same_file(output, Path(read.path)):
            message = Message(
                "output.is_input",
                output=str(output),
                option=option,
                role=Message(f"output.role_{read.role}"),
                input=str(read.path),
            )
            hint = Message("output.hint_is_input", option=option, suggestion=suggestion)
            raise OutputError("IK601", message, hint)


def require_extension(
    output: Path, known: tuple[str, ...], *, what: str, suggestion: str, option: str = "-o"
) -> None:
    """Raise IK603 unless `output` ends in one of `known` ('.html').

    A report or a diagram written over 'data.csv' or 'other.ikr' is always a slip; the
    extension catches it even when that file is not an input of this command.
    """
    if output.suffix.lower() in known:
        return
    message = Message(
        "output.extension",
        output=str(output),
        option=option,
        what=Message(f"output.what_{what}"),
        known=Words(tuple(f"'{suffix}'" for suffix in known)),
    )
    hint = Message("output.hint_extension", option=option, suggestion=suggestion)
    raise OutputError("IK603", message, hint)


def _same_file(a: Path, b: Path) -> bool:
    # samefile compares device and inode, so a symbolic or hard link to an input counts.
    try:
        return a.samefile(b)
    except (OSError, ValueError):  # one does not exist (yet): there is nothing to destroy
        return False


@contextlib.contextmanager
def writing(output: Path) -> Iterator[None]:
    """Turn a failed write into IK602, naming `output` as given (not a temporary file)."""
    try:
        yield
    except OSError as error:
        raise cannot_write(output, error) from None


def cannot_write(output: Path, error: OSError) -> OutputError:
    """IK602 for `output`, with the system's reason and the folder to check."""
    reason = error.strerror or str(error)
    message = Message("output.cannot_write", output=str(output), reason=reason)
    hint = Message("output.hint_cannot_write", folder=str(output.parent))
    return OutputError("IK602", message, hint)


# -- strict JSON ------------------------------------------------------------------------


def json_ready(value: Any) -> Any:
    """`value` with every float that is not finite (NaN, ±inf) replaced by None.

    Mappings, lists and tuples are walked; tuples become lists, as JSON has only arrays.
    """
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, Mapping):
        return {key: json_ready(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [json_ready(item) for item in value]
    return value


# Characters json.dumps leaves as they are with ensure_ascii=False but a terminal acts on
# (DEL, C1 controls, bidirectional controls) or some JSON readers choke on (U+2028/9).
# They can only stand inside JSON strings, where \uXXXX means the same character.
_JSON_UNSAFE = re.compile("[\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def json_text(value: Any, *, indent: int | None = 2) -> str:
    r"""Strict JSON of `value` (see `json_ready`); safe to print, the same data when parsed.

    Examples:
        >>> print(json_text({"value": float("nan"), "name": "Kab\x1b]0;x\x9b"}, indent=None))
        {"value": null, "name": "Kab\u001b]0;x\u009b"}
    """
    text = json.dumps(json_ready(value), ensure_ascii=False, indent=indent, allow_nan=False)
    return _JSON_UNSAFE.sub(lambda match: f"\\u{ord(match.group()):04x}", text)


# -- terminals --------------------------------------------------------------------------

# Every C0 control but tab and newline (ESC starts the sequences that move the cursor or
# set the title; CR overwrites the line), DEL, the C1 controls (0x9b is an 8-bit CSI),
# the line and paragraph separators, and the bidirectional controls, which reorder what
# is shown (a "Trojan Source" name). Right-to-left scripts still show right to left:
# that needs no control character.
_TERMINAL_UNSAFE = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]"
)


def terminal_text(text: str) -> str:
    r"""`text` with every control character shown as a Python escape (`\x1b`, `\u202e`).

    Examples:
        >>> print(terminal_text("Kab \x1b]0;owned\x07 X\u202e"))
        Kab \x1b]0;owned\x07 X\u202e
    """
    return _TERMINAL_UNSAFE.sub(_escaped, text)


def _escaped(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"  # noqa: PLR2004  # one byte
