"""A private PostgreSQL server for the tests: started once per session, stopped after.

`postgres` (a session fixture) gives a `Postgres` that runs SQL through `psql`. It is
INDIKATOR_TEST_POSTGRES's server when that names one (a libpq connection string);
otherwise a throwaway one: `initdb` in a temporary folder (trust authentication, C
locale), listening only on a unix socket in that folder, so no port can clash. PostgreSQL
refuses to run as root, so under root (CI) the server runs as `nobody` (`runuser`). With
no server binaries on the machine the tests that need it skip, saying so.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator, Sequence
from pathlib import Path

import pytest

__all__ = ["Postgres", "find_bindir", "postgres"]

ENV = "INDIKATOR_TEST_POSTGRES"
NEEDED = ("initdb", "pg_ctl", "postgres", "psql")
PORT = 5432  # the socket's name only: nothing listens on TCP


class Postgres:
    """A server `psql` reaches with `dsn`; `run` executes SQL and returns its output."""

    def __init__(self, psql: str, dsn: str) -> None:
        self.psql = psql
        self.dsn = dsn

    def run(self, sql: str, *, csv: bool = False) -> str:
        """Run `sql` (stopping at the first error); its output, as CSV with `csv`."""
        args = [self.psql, self.dsn, "-X", "-v", "ON_ERROR_STOP=1", "-q"]
        done = subprocess.run(  # noqa: S603  # our own arguments
            [*args, *(["--csv"] if csv else [])],
            input=sql,
            capture_output=True,
            text=True,
            check=False,
        )
        if done.returncode != 0:
            raise AssertionError(done.stderr)
        return done.stdout

    def load_csv(self, table: str, path: Path, columns: list[str]) -> None:
        """The CSV file at `path` as `table` (made again), every column text, '' NULL."""
        names = ", ".join(f'"{c}"' for c in columns)
        typed = ", ".join(f'"{c}" TEXT' for c in columns)
        self.run(f"DROP TABLE IF EXISTS {table};\nCREATE TABLE {table} ({typed});")
        options = f"FORMAT csv, HEADER true, NULL '', FORCE_NULL ({names})"
        self.run(f"\\copy {table} FROM '{path}' WITH ({options})")


def find_bindir() -> Path | None:
    """The folder with initdb, pg_ctl, postgres and psql: pg_config's, Debian's, PATH's."""
    candidates: list[str] = []
    if pg_config := shutil.which("pg_config"):
        done = subprocess.run([pg_config, "--bindir"], capture_output=True, text=True, check=False)  # noqa: S603
        candidates.append(done.stdout.strip())
    # Debian puts each major version in its own folder; the newest first.
    versions = Path("/usr/lib/postgresql").glob("*/bin")
    newest = sorted(versions, key=lambda p: p.parent.name.zfill(4), reverse=True)
    candidates += [str(p) for p in newest]
    if initdb := shutil.which("initdb"):
        candidates.append(str(Path(initdb).resolve().parent))
    for folder in candidates:
        if folder and all((Path(folder) / name).is_file() for name in NEEDED[:3]):
            return Path(folder)
    return None


def _psql(bindir: Path) -> str | None:
    own = bindir / "psql"  # Debian's /usr/bin/psql is a wrapper that wants a cluster
    return str(own) if own.is_file() else shutil.which("psql")


def _as_server_user(folder: Path) -> Sequence[str]:
    """The command prefix that runs the server: nobody's, under root (which it refuses)."""
    if os.geteuid() != 0:
        return ()
    runuser = shutil.which("runuser")
    if runuser is None:
        pytest.skip("running as root without runuser: PostgreSQL refuses to run as root")
    shutil.chown(folder, "nobody")
    return (runuser, "-u", "nobody", "--")


def _run(args: Sequence[str], what: str) -> None:
    done = subprocess.run(args, capture_output=True, text=True, check=False)  # noqa: S603
    if done.returncode != 0:
        pytest.fail(f"{what} failed: {done.stdout}{done.stderr}")


@pytest.fixture(scope="session")
def postgres() -> Iterator[Postgres]:
    """INDIKATOR_TEST_POSTGRES's server, or a private one for this session."""
    given = os.environ.get(ENV)
    bindir = find_bindir()
    psql = _psql(bindir) if bindir else shutil.which("psql")
    if given:
        if psql is None:
            pytest.skip(f"{ENV} is set but psql is not installed")
        yield Postgres(psql, given)
        return
    if bindir is None or psql is None:
        pytest.skip(f"no PostgreSQL server binaries ({', '.join(NEEDED)}) and {ENV} unset")
    folder = Path(tempfile.mkdtemp(prefix="indikator-pg-"))
    data, log = folder / "data", folder / "server.log"
    try:
        prefix = _as_server_user(folder)
        init = [str(bindir / "initdb"), "-D", str(data), "-A", "trust", "-U", "postgres"]
        _run([*prefix, *init, "--no-locale", "-E", "UTF8", "--no-sync"], "initdb")
        options = f"-k {folder} -p {PORT} -c listen_addresses='' -c fsync=off"
        ctl = [*prefix, str(bindir / "pg_ctl"), "-D", str(data), "-l", str(log), "-w"]
        _run([*ctl, "-o", options, "start"], "pg_ctl start")
        try:
            yield Postgres(psql, f"host={folder} port={PORT} user=postgres dbname=postgres")
        finally:
            _run([*ctl, "-m", "fast", "stop"], "pg_ctl stop")
    finally:
        shutil.rmtree(folder, ignore_errors=True)
