"""Value types: what a value is (a number with a unit, yes/no, an option, text, a tier).

`check` infers one per definition and expression; units catch `percent + count` mistakes.
"""

from __future__ import annotations

from typing import Literal

import attrs

__all__ = ["BOOL", "COUNT", "NUMBER", "PERCENT", "POINTS", "Kind", "Type"]

Kind = Literal["number", "bool", "option", "text", "tier"]


@attrs.frozen(kw_only=True)
class Type:
    """What a value is: a number with a unit, yes/no, an option, or text."""

    kind: Kind
    unit: str | None = None
    choices: tuple[str, ...] = ()

    def describe(self) -> str:
        """'a number in %', 'yes/no', ..."""
        match self.kind:
            case "number":
                return f"a number in {self.unit}" if self.unit else "a number"
            case "bool":
                return "yes/no"
            case "option":
                return "an option"
            case "text":
                return "text"
            case "tier":
                return "a tier"


NUMBER = Type(kind="number")
BOOL = Type(kind="bool")
POINTS = Type(kind="number", unit="points")
PERCENT = Type(kind="number", unit="%")
COUNT = Type(kind="number", unit="count")
