"""Value types: what a value is (a number with a unit, yes/no, an option, text, a tier).

`check` infers one per definition and expression; units catch `percent + count` mistakes.
"""

from __future__ import annotations

from typing import Literal

import attrs

from indikator.messages import Message

__all__ = ["BOOL", "COUNT", "NUMBER", "PERCENT", "POINTS", "Kind", "Type"]

Kind = Literal["number", "bool", "option", "text", "tier"]


@attrs.frozen(kw_only=True)
class Type:
    """What a value is: a number with a unit, yes/no, an option, or text."""

    kind: Kind
    unit: str | None = None
    choices: tuple[str, ...] = ()

    def describe(self) -> Message:
        """For messages: 'a number in %', 'yes/no', ..."""
        match self.kind:
            case "number":
                return (
                    Message("type.number_in", unit=self.unit)
                    if self.unit
                    else Message("type.number")
                )
            case "bool":
                return Message("type.bool")
            case "option":
                return Message("type.option")
            case "text":
                return Message("type.text")
            case "tier":
                return Message("type.tier")


NUMBER = Type(kind="number")
BOOL = Type(kind="bool")
POINTS = Type(kind="number", unit="points")
PERCENT = Type(kind="number", unit="%")
COUNT = Type(kind="number", unit="count")
