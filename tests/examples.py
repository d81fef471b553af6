"""Every shipped ruleset with its example data, for tests that run them all."""

from __future__ import annotations

EXAMPLES = [
    ("rulesets/kla/2025.ikr", "examples/kla_2025.csv"),
    ("rulesets/kks/2021.ikr", "examples/kks_2021.csv"),
    ("rulesets/kks/2025.ikr", "examples/kks_2025.csv"),
    ("rulesets/stunting/2024.ikr", "examples/stunting_2024.csv"),
    ("rulesets/examples/stunting_outcome.ikr", "examples/jabar_stunting_2024.csv"),
]
#: The data file of each, as test ids.
EXAMPLE_IDS = [data for _, data in EXAMPLES]
