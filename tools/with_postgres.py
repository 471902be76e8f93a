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
from urllib.parse import quote

PROJECT = Path(__file__).resolve().parent.parent


def throwaway_server_url() -> tuple[str, object]:
    import pgserver

    tag = hashlib.sha1(str(PROJECT).encode()).hexdigest()[:10]
    datadir = Path(tempfile.gettempdir()) / f"seat-reservation-pg-{tag}"
    server = pgserver.get_server(datadir, cleanup_mode="stop")
    # Connect through the server's Unix socket, which lives in its data folder.
    return f"postgres://postgres@{quote(str(datadir), safe='')}/postgres", server


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
