"""A real gunicorn server on a free loopback port, for the benchmarks and the fault tests."""

import os
import pwd
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import quote

PROJECT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def database_url(settings_dict: dict) -> str:
    """A DATABASE_URL for a Django PostgreSQL connection's settings (HOST may be a socket folder)."""
    user = quote(settings_dict["USER"] or "postgres", safe="")
    password = f":{quote(settings_dict['PASSWORD'], safe='')}" if settings_dict.get("PASSWORD") else ""
    host = quote(settings_dict["HOST"] or "", safe="")
    port = f":{settings_dict['PORT']}" if settings_dict.get("PORT") else ""
    return f"postgres://{user}{password}@{host}{port}/{settings_dict['NAME']}"


class GunicornServer:
    """``gunicorn seat_reservation.wsgi`` with gthread workers; started and ready when constructed."""

    def __init__(
        self,
        env: dict[str, str],
        *,
        workers: int = 2,
        threads: int = 4,
        log: Path,
        headers: dict | None = None,
    ):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        command = [
            sys.executable,
            "-m",
            "gunicorn",
            "seat_reservation.wsgi",
            f"--bind=127.0.0.1:{self.port}",
            f"--workers={workers}",
            "--worker-class=gthread",
            f"--threads={threads}",
            "--keep-alive=30",
        ]
        self.log = log
        self.process = subprocess.Popen(
            command, cwd=PROJECT, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT
        )
        deadline = time.monotonic() + 30
        while True:
            try:
                request = urllib.request.Request(self.url + "/api/health/", headers=headers or {})
                urllib.request.urlopen(request, timeout=2)
                return
            except OSError:
                if time.monotonic() > deadline or self.process.poll() is not None:
                    self.stop()
                    raise RuntimeError(f"gunicorn did not start:\n{log.read_text()}") from None
                time.sleep(0.2)

    def get(self, path: str, headers: dict[str, str] | None = None) -> tuple[float, bytes, dict]:
        """(seconds, body, headers) of a GET; error statuses (304, 4xx, 5xx) are returned, not raised."""
        request = urllib.request.Request(self.url + path, headers=headers or {})
        started = time.perf_counter()
        try:
            with urllib.request.urlopen(request, timeout=60) as response:
                body, response_headers = response.read(), dict(response.headers)
        except urllib.error.HTTPError as error:
            body, response_headers = error.read(), dict(error.headers)
        return time.perf_counter() - started, body, response_headers

    def stop(self) -> None:
        _stop(self.process, timeout=20)  # time for the workers' graceful shutdown


class RedisServer:
    """Debian's ``redis-server`` on a free loopback port, keeping nothing on disk."""

    def __init__(self, workdir: Path):
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process = subprocess.Popen(
            [
                "redis-server",
                "--bind",
                "127.0.0.1",
                "--port",
                str(self.port),
                "--save",
                "",
                "--appendonly",
                "no",
            ],
            cwd=workdir,
            stdout=(workdir / "redis.log").open("w"),
            stderr=subprocess.STDOUT,
        )
        _wait_for_port(self.port, self.process, "redis-server")

    def command(self, *args: str) -> str:
        return subprocess.run(
            ["redis-cli", "-p", str(self.port), *args], capture_output=True, text=True, check=True
        ).stdout

    def stop(self) -> None:
        _stop(self.process)


class PgBouncer:
    """Debian's ``pgbouncer`` on a free loopback port in transaction mode, in front of the PostgreSQL
    of ``settings_dict`` (a Django connection's). PgBouncer refuses to run as root: then it runs as
    the owner of PostgreSQL's socket folder, with its files in a folder anyone may write."""

    def __init__(self, settings_dict: dict, *, pool_size: int = 4):
        self.port, self.pool_size = free_port(), pool_size
        host = settings_dict["HOST"] or "127.0.0.1"
        port = settings_dict.get("PORT") or 5432
        user = settings_dict["USER"] or "postgres"
        self.workdir = workdir = Path(tempfile.mkdtemp(prefix="seat-pgbouncer-"))
        workdir.chmod(0o777)
        (workdir / "userlist.txt").write_text(f'"{user}" ""\n')
        (workdir / "pgbouncer.ini").write_text(
            f"""[databases]
* = host={host} port={port}

[pgbouncer]
listen_addr = 127.0.0.1
listen_port = {self.port}
unix_socket_dir =
auth_type = trust
auth_file = {workdir / "userlist.txt"}
admin_users = {user}
pool_mode = transaction
default_pool_size = {pool_size}
max_client_conn = 500
logfile = {workdir / "pgbouncer.log"}
"""
        )
        self.url = f"postgres://{user}@127.0.0.1:{self.port}/{settings_dict['NAME']}"
        self.admin_url = f"postgres://{user}@127.0.0.1:{self.port}/pgbouncer"
        command = ["pgbouncer", str(workdir / "pgbouncer.ini")]
        if os.geteuid() == 0:  # as the owner of PostgreSQL's socket folder, which it must reach
            owner = os.stat(host).st_uid if host.startswith("/") else pwd.getpwnam("nobody").pw_uid
            command[1:1] = ["-u", pwd.getpwuid(owner).pw_name]
        self.process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
        _wait_for_port(self.port, self.process, "pgbouncer", log=workdir / "pgbouncer.log")

    def pools(self) -> list[dict]:
        """``SHOW POOLS`` on the admin console."""
        import psycopg

        with psycopg.connect(self.admin_url, autocommit=True) as conn:
            cursor = conn.execute("SHOW POOLS")
            names = [column.name for column in cursor.description]
            return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]

    def stop(self) -> None:
        _stop(self.process)
        shutil.rmtree(self.workdir, ignore_errors=True)


def _wait_for_port(port: int, process: subprocess.Popen, name: str, log: Path | None = None) -> None:
    deadline = time.monotonic() + 20
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            if time.monotonic() > deadline or process.poll() is not None:
                _stop(process)
                detail = log.read_text() if log and log.exists() else ""
                raise RuntimeError(f"{name} did not start\n{detail}") from None
            time.sleep(0.1)


def _stop(process: subprocess.Popen, timeout: float = 10) -> None:
    """SIGTERM, then SIGKILL if it has not ended within ``timeout`` seconds."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
