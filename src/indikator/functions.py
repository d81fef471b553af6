"""The old home of `indikator.check.functions`, kept so `indikator.functions` still imports."""

from __future__ import annotations

from indikator.check.functions import DESCRIPTIONS, FUNCTIONS, check_call

__all__ = ["DESCRIPTIONS", "FUNCTIONS", "check_call"]
