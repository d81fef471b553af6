"""Golden error messages: each `tests/golden/errors/*.ikr` holds one mistake.

The expected rendering sits next to it: in English in a `.out` file, in Indonesian in an
`.id.out` file, each reviewed by hand when written (regenerate with
`pytest --update-golden` and review the diff like code).
"""

from __future__ import annotations

from pathlib import Path

import pytest

import indikator
from indikator.errors import CODES, render
from tests.goldens import check_golden

GOLDEN = Path(__file__).parents[1] / "golden" / "errors"
CASES = sorted(GOLDEN.glob("*.ikr"))


def _rendered(path: Path, lang: str) -> str:
    relative = path.relative_to(GOLDEN.parents[1].parent)
    try:
        # A case named *_strict.ikr is loaded with strict=True (IK422).
        ruleset = indikator.load(relative, root=GOLDEN, strict=path.stem.endswith("_strict"))
    except indikator.RulesetError as error:
        return "\n".join(render(d, error.sources, lang=lang) for d in error.diagnostics) + "\n"
    return "\n".join(render(d, ruleset.sources, lang=lang) for d in ruleset.warnings) + "\n"


@pytest.mark.golden
@pytest.mark.parametrize("lang", ["en", "id"])
@pytest.mark.parametrize("path", CASES, ids=[p.stem for p in CASES])
def test_golden_error(
    path: Path,
    lang: str,
    update_golden: bool,  # noqa: FBT001  # a pytest fixture, passed by name
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(GOLDEN.parents[1].parent)
    actual = _rendered(path, lang)
    expected_file = path.with_suffix(".out" if lang == "en" else ".id.out")
    check_golden(expected_file, actual, update=update_golden)
    code = path.stem.split("_")[0]
    assert f"[{code}]" in actual, f"{path.name} should produce {code}"


def test_every_ruleset_code_has_a_golden_case() -> None:
    covered = {p.stem.split("_")[0] for p in CASES}
    ruleset_codes = {c for c in CODES if c < "IK500"}
    # IK106 is covered in test_check.py; IK107 needs a chain of 100 files, made in
    # test_front_hardening.py; IK413 needs 32,768 tiers, tested in test_exactness.py; IK430
    # comes from `sensitivity` only, not from loading, tested in test_sensitivity.py.
    assert ruleset_codes - covered == {"IK106", "IK107", "IK413", "IK430"}
