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

from importlib import metadata as _metadata

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

try:
    __version__ = _metadata.version("indikator")
except _metadata.PackageNotFoundError:  # pragma: no cover  # a source tree, never installed
    __version__ = "0+unknown"
