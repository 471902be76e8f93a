"""Run a command against PostgreSQL: DATABASE_URL if it is set, else a throwaway local server.

    python tools/with_postgres.py pytest -q

Without DATABASE_URL, the server comes from the ``pgserver`` package (PostgreSQL binaries from
PyPI), keeps its data under the system's temp folder between runs (a second start takes about a
second) and stops when the command ends.
"""

import hashlib
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from urllib.parse import parse_qs, quote, urlsplit

PROJECT = Path(__file__).resolve().parent.parent


def start_server(datadir: Path):
    """A running pgserver PostgreSQL with its data in ``datadir`` (created on first use)."""
    import pgserver

    return pgserver.get_server(datadir, cleanup_mode="stop")


def server_url(server, database: str = "postgres") -> str:
    """A DATABASE_URL for the server's Unix socket (pgserver listens on no TCP port)."""
    socket_dir = parse_qs(urlsplit(server.get_uri()).query)["host"][0]
    return f"postgres://postgres@{quote(socket_dir, safe='')}/{database}"


def throwaway_server_url() -> tuple[str, object]:
    tag = hashlib.sha1(str(PROJECT).encode()).hexdigest()[:10]
    server = start_server(Path(tempfile.gettempdir()) / f"seat-reservation-pg-{tag}")
    return server_url(server), server


def main(argv: list[str]) -> int:
    if not argv:
        print(__doc__, file=sys.stderr)
        return 2
    env = dict(os.environ)
    server = None
    if not env.get("DATABASE_URL"):
        env["DATABASE_URL"], server = throwaway_server_url()
        print(f"with_postgres: started a throwaway PostgreSQL ({env['DATABASE_URL']})", flush=True)
    try:
        return subprocess.call(argv, env=env)
    finally:
        if server is not None:
            server.cleanup()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
