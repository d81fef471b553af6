"""Development tasks for indikator: ``nox -l`` lists them, ``nox`` runs the default ones."""

from __future__ import annotations

import os
import shutil
import sys
import zipfile
from pathlib import Path

import nox

nox.needs_version = ">=2025.2.9"
nox.options.default_venv_backend = "uv|virtualenv"
nox.options.sessions = ["tests", "lint", "typecheck", "docs", "package"]

ROOT = Path(__file__).parent
PYPROJECT = nox.project.load_toml(ROOT / "pyproject.toml")

RULESETS_DIR = ROOT / "rulesets"
GRAMMAR_IN_WHEEL = "indikator/grammars/indikator.lark"
TYPED_MARKER = "indikator/py.typed"  # PEP 561: mypy reads indikator's own annotations
DIST_DIR = ROOT / "build" / "dist"
SITE_DIR = ROOT / "build" / "site"
LINT_PATHS = ("src", "tests", "benchmarks", "examples", "noxfile.py", "conftest.py")

VSCODE_DIR = ROOT / "editors" / "vscode"
VSIX = VSCODE_DIR / "indikator.vsix"
HIGHLIGHT_FIXTURE = ROOT / "tests" / "fixtures" / "highlight.ikr"  # every keyword, every function

DEMO_RULESET = "rulesets/kla/2025.ikr"
DEMO_DATA = "examples/kla_2025.csv"


def _groups(*names: str) -> tuple[str, ...]:
    """Return the requirements of the named ``[dependency-groups]`` of pyproject.toml."""
    return nox.project.dependency_groups(PYPROJECT, *names)


def _venv_bin(venv: Path, name: str) -> Path:
    """Return the path of the executable ``name`` inside the virtual environment ``venv``."""
    if sys.platform == "win32":
        return venv / "Scripts" / f"{name}.exe"
    return venv / "bin" / name


@nox.session
def tests(session: nox.Session) -> None:
    """Run the test suite against the installed package (pass pytest arguments after ``--``)."""
    # A real install, not an editable one, so the tests see the wheel's layout
    # (grammar and rulesets inside the package) rather than the checkout fallback.
    session.install(".", *_groups("test"))
    profile = os.environ.get("HYPOTHESIS_PROFILE", "ci")
    session.run("pytest", *session.posargs, env={"HYPOTHESIS_PROFILE": profile})


@nox.session
def postgres(session: nox.Session) -> None:
    """Run the PostgreSQL tests alone, on a private server (tests/postgres.py).

    Needs PostgreSQL's server binaries (Debian: the postgresql package), or
    INDIKATOR_TEST_POSTGRES naming a server; without either the tests skip.
    """
    session.install(".", *_groups("test"))
    session.run("pytest", "tests/unit/test_sql_postgres.py", "-ra", *session.posargs)


@nox.session
def spark(session: nox.Session) -> None:
    """Run the shipped rulesets' Spark SQL in a local Spark session (tests/unit/test_sql_spark.py).

    Installs pyspark (large, so not in the test group nor in CI); Spark needs Java.
    """
    if shutil.which("java") is None:
        session.skip("no java on PATH: Spark needs a Java runtime (e.g. openjdk-17-jre)")
    # pandas < 3: pyspark's toPandas warns that it does not support pandas 3 yet.
    session.install(".", *_groups("test"), "pyspark>=3.5", "pandas>=2,<3")
    session.run("pytest", "tests/unit/test_sql_spark.py", "-ra", *session.posargs)


@nox.session
def lint(session: nox.Session) -> None:
    """Check style and formatting with ruff (never rewrites files)."""
    session.install(*_groups("lint"))
    paths = [path for path in LINT_PATHS if (ROOT / path).exists()]
    session.run("ruff", "check", *paths)
    session.run("ruff", "format", "--check", *paths)


@nox.session
def typecheck(session: nox.Session) -> None:
    """Type-check the package, the tests and this file with mypy --strict."""
    session.install("-e", ".", *_groups("typing"))
    session.run("mypy", *session.posargs)


@nox.session
def docs(session: nox.Session) -> None:
    """Build the documentation site with mkdocs, treating every warning as an error."""
    session.install("-e", ".", *_groups("docs"))
    session.run("mkdocs", "build", "--strict", "--site-dir", str(SITE_DIR))


@nox.session
def grammar(session: nox.Session) -> None:
    """Rewrite the grammar's LALR tables (src/indikator/_lalr_tables.py) after editing it."""
    session.install("-e", ".")
    tables = ROOT / "src" / "indikator" / "_lalr_tables.py"
    write = f"from indikator.syntax import write_tables; write_tables({str(tables)!r})"
    session.run("python", "-c", write)


@nox.session
def package(session: nox.Session) -> None:
    """Build the wheel, install it in a clean venv and check every shipped file with its CLI."""
    # Rulesets and the catalogues they import: `indikator check` takes both.
    rulesets = sorted(RULESETS_DIR.rglob("*.ikr"))
    if not rulesets:
        session.error(f"no *.ikr rulesets under {RULESETS_DIR}")

    session.install("build")
    shutil.rmtree(DIST_DIR, ignore_errors=True)
    session.run("python", "-m", "build", "--wheel", "--outdir", str(DIST_DIR))
    wheels = list(DIST_DIR.glob("*.whl"))
    if len(wheels) != 1:
        session.error(f"expected exactly one wheel in {DIST_DIR}, found {len(wheels)}")
    wheel = wheels[0]

    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
    version = PYPROJECT["project"]["version"]
    expected = {GRAMMAR_IN_WHEEL, TYPED_MARKER, f"indikator-{version}.dist-info/licenses/LICENSE"}
    expected |= {
        f"indikator/rulesets/{path.relative_to(RULESETS_DIR).as_posix()}" for path in rulesets
    }
    if missing := sorted(expected - names):
        session.error(f"{wheel.name} lacks: {', '.join(missing)}")

    venv = Path(session.create_tmp()) / "wheel-venv"
    shutil.rmtree(venv, ignore_errors=True)
    session.run("python", "-m", "venv", str(venv))
    session.run(
        str(_venv_bin(venv, "python")), "-m", "pip", "install", "--quiet", str(wheel), external=True
    )
    cli = str(_venv_bin(venv, "indikator"))
    for ruleset in rulesets:
        session.run(cli, "check", str(ruleset), external=True)


FUZZ_TESTS = ("tests/property/test_fuzz_parser.py", "tests/property/test_fuzz_readers.py")


@nox.session
def fuzz(session: nox.Session) -> None:
    """Fuzz the front end and the data readers for long: 100x the examples of the suite.

    Fresh random seeds each run; in the readers' fuzz, each file must also be read within
    a generous deadline. Pass another multiplier after ``--`` (e.g. ``nox -s fuzz -- 1000``).
    """
    session.install(".", *_groups("test"))
    scale = session.posargs[0] if session.posargs else "100"
    env = {"HYPOTHESIS_PROFILE": "fuzz", "INDIKATOR_FUZZ_SCALE": scale}
    session.run("pytest", *FUZZ_TESTS, "-p", "no:cacheprovider", env=env)


@nox.session
def bench(session: nox.Session) -> None:
    """Run the benchmarks (pass benchmarks/run.py arguments after ``--``)."""
    session.install(".[sql]")  # the scale part runs the DuckDB engine
    # One requirement at a time: a peer engine that cannot be installed here is left out
    # (run.py says so and skips it) instead of stopping the whole benchmark.
    for requirement in _groups("bench"):
        try:
            session.install(requirement)
        except nox.command.CommandFailed:
            session.warn(f"could not install {requirement}; the benchmark runs without it")
    session.run("python", "benchmarks/run.py", *session.posargs)


@nox.session
def demo(session: nox.Session) -> None:
    """Evaluate the example KLA ruleset on the example data, as the README shows."""
    session.install(".")
    session.run("indikator", "evaluate", DEMO_RULESET, DEMO_DATA)


@nox.session
def vscode(session: nox.Session) -> None:
    """Test the VS Code extension's grammar on every shipped ruleset; build its .vsix.

    Needs Node.js and npm. The parser gives every token its role (tests/editor_tokens.py);
    editors/vscode/test/tokenize.mjs checks the TextMate grammar's scopes against them, and
    test/extension.test.cjs that the extension starts `indikator lsp` as configured.
    """
    session.install(".")
    files = [*sorted(RULESETS_DIR.rglob("*.ikr")), HIGHLIGHT_FIXTURE]
    roles = Path(session.create_tmp()).resolve() / "roles.json"
    session.run("python", "-m", "tests.editor_tokens", str(roles), *map(str, files))
    # The licence ships inside the .vsix; the copy is git-ignored.
    shutil.copyfile(ROOT / "LICENSE", VSCODE_DIR / "LICENSE")
    VSIX.unlink(missing_ok=True)
    with session.chdir(VSCODE_DIR):
        session.run("npm", "ci", "--no-audit", "--no-fund", external=True)
        session.run("node", "test/tokenize.mjs", str(roles), external=True)
        session.run("node", "test/extension.test.cjs", external=True)
        package = ("vsce", "package", "--allow-missing-repository", "--out", str(VSIX))
        session.run("npx", "--no-install", *package, external=True)
    with zipfile.ZipFile(VSIX) as archive:
        names = set(archive.namelist())
    needed = {
        "extension/package.json",
        "extension/extension.js",
        "extension/syntaxes/indikator.tmLanguage.json",
        "extension/language-configuration.json",
        "extension/node_modules/vscode-languageclient/package.json",
    }
    if missing := sorted(needed - names):
        session.error(f"{VSIX.name} lacks: {', '.join(missing)}")
    print(f"built {VSIX.relative_to(ROOT)}: code --install-extension {VSIX.relative_to(ROOT)}")


@nox.session
def golden(session: nox.Session) -> None:
    """Rewrite the golden files under tests/golden from the current output; review the diff."""
    session.install(".", *_groups("test"))
    session.run("pytest", "-m", "golden", "--update-golden", *session.posargs)
