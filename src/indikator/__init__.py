"""indikator: Indonesian government evaluation schemes as text rulesets.

Write a scheme (KLA, KKS, stunting, your own) as a ruleset file, check it, and evaluate
one region or a million at once, with an explanation of every number.

Examples:
    >>> import indikator
    >>> rs = indikator.loads('''
    ... ruleset demo { scale 0 to 100 }
    ... input akta: percent { missing zero }
    ... indicator skor = linear akta from 0 to 100 onto 0 to 100
    ... tiers on skor { below "Belum" baik "Baik" [60, 100] }
    ... ''')
    >>> rs.evaluate({"akta": 72.5}).tier()
    'Baik'
"""

import sys as _sys
import types as _types
from importlib import import_module as _import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from indikator.catalogue import RulesetInfo, list_rulesets, load_ruleset
    from indikator.errors import (
        DataError,
        Diagnostic,
        IndikatorError,
        InternalError,
        QuestionError,
        RulesetCheckError,
        RulesetError,
        RulesetNotFoundError,
        RulesetSyntaxError,
    )
    from indikator.explain import Explanation
    from indikator.gaps import Gaps, GapWorth, gaps
    from indikator.provenance import Provenance
    from indikator.results import Result, Results
    from indikator.ruleset import Catalogue, Ruleset, check_file, load, loads
    from indikator.schemes import Schemes, evaluate_schemes

__all__ = [
    "Catalogue",
    "DataError",
    "Diagnostic",
    "Explanation",
    "GapWorth",
    "Gaps",
    "IndikatorError",
    "InternalError",
    "Provenance",
    "QuestionError",
    "Result",
    "Results",
    "Ruleset",
    "RulesetCheckError",
    "RulesetError",
    "RulesetInfo",
    "RulesetNotFoundError",
    "RulesetSyntaxError",
    "Schemes",
    "check_file",
    "evaluate_schemes",
    "gaps",
    "list_rulesets",
    "load",
    "load_ruleset",
    "loads",
]

# `import indikator` loads none of its modules (nor numpy, lark or networkx): a name is
# imported when it is first used, so a command-line tool or web app that only needs
# part of the library does not pay for all of it.
_WHERE = {
    "Catalogue": "indikator.ruleset",
    "DataError": "indikator.errors",
    "Diagnostic": "indikator.errors",
    "Explanation": "indikator.explain",
    "GapWorth": "indikator.gaps",
    "Gaps": "indikator.gaps",
    "IndikatorError": "indikator.errors",
    "InternalError": "indikator.errors",
    "Provenance": "indikator.provenance",
    "QuestionError": "indikator.errors",
    "Result": "indikator.results",
    "Results": "indikator.results",
    "Ruleset": "indikator.ruleset",
    "RulesetCheckError": "indikator.errors",
    "RulesetError": "indikator.errors",
    "RulesetInfo": "indikator.catalogue",
    "RulesetNotFoundError": "indikator.errors",
    "RulesetSyntaxError": "indikator.errors",
    "Schemes": "indikator.schemes",
    "check_file": "indikator.ruleset",
    "evaluate_schemes": "indikator.schemes",
    "gaps": "indikator.gaps",
    "list_rulesets": "indikator.catalogue",
    "load": "indikator.ruleset",
    "load_ruleset": "indikator.catalogue",
    "loads": "indikator.ruleset",
}


def __getattr__(name: str) -> Any:
    if name == "__version__":
        from importlib import metadata  # noqa: PLC0415  # 30 ms: only when asked

        try:
            value: Any = metadata.version("indikator")
        except metadata.PackageNotFoundError:  # pragma: no cover  # a source tree, never installed
            value = "0+unknown"
    elif name in _WHERE:
        value = getattr(_import_module(_WHERE[name]), name)
    else:
        msg = f"module 'indikator' has no attribute {name!r}"
        raise AttributeError(msg)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *_WHERE, "__version__"])


class _Package(_types.ModuleType):
    def __setattr__(self, name: str, value: object) -> None:
        # Importing a submodule binds it on its package: `indikator.gaps` is the function
        # of that name (as it was when this file imported everything), not its module.
        if name == "gaps" and isinstance(value, _types.ModuleType):
            return
        super().__setattr__(name, value)


_sys.modules[__name__].__class__ = _Package
