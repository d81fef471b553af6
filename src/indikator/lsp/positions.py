"""Positions: indikator's 1-based spans and offsets ↔ the protocol's 0-based UTF-16 ones.

The protocol counts a line's characters in UTF-16 code units by default, Python in code
points; the two differ only past U+FFFF (an emoji in a label), but differ they do.
"""

from __future__ import annotations

import bisect

from lsprotocol import types

from indikator.errors import Span

__all__ = ["Lines"]


class Lines:
    """A text's line starts, to turn offsets and spans into protocol positions and back."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.starts = [0, *(i + 1 for i, char in enumerate(text) if char == "\n")]

    def line_text(self, line: int) -> str:
        """Line `line` (0-based) without its line end; empty past the end."""
        if not 0 <= line < len(self.starts):
            return ""
        end = self.starts[line + 1] - 1 if line + 1 < len(self.starts) else len(self.text)
        return self.text[self.starts[line] : end]

    def position(self, offset: int) -> types.Position:
        """The protocol position of a code-point offset."""
        offset = max(0, min(offset, len(self.text)))
        line = bisect.bisect_right(self.starts, offset) - 1
        before = self.text[self.starts[line] : offset]
        return types.Position(line=line, character=_utf16(before))

    def offset(self, position: types.Position) -> int:
        """The code-point offset of a protocol position (clamped into the text)."""
        if position.line >= len(self.starts):
            return len(self.text)
        line = self.line_text(position.line)
        units = 0
        for index, char in enumerate(line):
            if units >= position.character:
                return self.starts[position.line] + index
            units += _utf16(char)
        return self.starts[position.line] + len(line)

    def range(self, start: int, end: int) -> types.Range:
        """The protocol range of the offsets [start, end)."""
        return types.Range(start=self.position(start), end=self.position(end))

    def span_offsets(self, span: Span) -> tuple[int, int]:
        """A span's 1-based line and column (code points) as offsets [start, end)."""
        return self._at(span.line, span.column), self._at(span.end_line, span.end_column)

    def span_range(self, span: Span) -> types.Range:
        """The protocol range of a span of this text."""
        return self.range(*self.span_offsets(span))

    def _at(self, line: int, column: int) -> int:
        if line - 1 >= len(self.starts):
            return len(self.text)
        index = max(line - 1, 0)
        return self.starts[index] + min(max(column - 1, 0), len(self.line_text(index)))


def _utf16(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2
