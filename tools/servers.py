"""Real servers on free loopback ports, for the benchmarks and the tests: gunicorn, Redis, PgBouncer,
Pushpin (and the relay that publishes to it).

No port is chosen and then given up for the server to bind later (another process may take it in
between): gunicorn is handed a socket this process bound and keeps listening on; Redis and PgBouncer,
which bind their own, are started again on another port if theirs was taken, and a server counts as
started only once that very process listens on its port.
"""

import contextlib
import os
import pwd
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path
from urllib.parse import quote

PROJECT = Path(__file__).resolve().parent.parent


def procfile(name: str) -> list[str]:
    """The command of process ``name`` in the Procfile (the one list of a deployment's processes),
    as arguments for this interpreter: ``python`` and ``gunicorn`` run from this environment."""
    for line in (PROJECT / "Procfile").read_text().splitlines():
        process, _, command = line.partition(":")
        if process.strip() == name:
            program, *args = shlex.split(command)
            prefix = {"python": [sys.executable], "gunicorn": [sys.executable, "-m", "gunicorn"]}
            return [*prefix.get(program, [program]), *args]
    raise KeyError(f"no process {name!r} in the Procfile")


def free_port() -> int:
    """A port free now (a server that binds it itself may find it taken: see ``_start_listening``)."""
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
    """The Procfile's ``web`` process (gunicorn) with gthread workers; started and ready when
    constructed."""

    def __init__(
        self,
        env: dict[str, str],
        *,
        workers: int = 2,
        threads: int = 4,
        log: Path,
        headers: dict | None = None,
        listener: socket.socket | None = None,
        start_seconds: float = 30,
    ):
        # Bound and listening here (or by the caller: ``listener``, e.g. for a proxy started before),
        # handed to gunicorn (fd://): the port is never free for another.
        with listener or socket.create_server(("127.0.0.1", 0)) as listener:
            self.port = listener.getsockname()[1]
            self.url = f"http://127.0.0.1:{self.port}"
            command = [
                *procfile("web"),
                f"--bind=fd://{listener.fileno()}",
                f"--workers={workers}",
                "--worker-class=gthread",
                f"--threads={threads}",
                "--keep-alive=30",
            ]
            self.log = log
            self.process = subprocess.Popen(
                command,
                cwd=PROJECT,
                env=env,
                stdout=log.open("w"),
                stderr=subprocess.STDOUT,
                pass_fds=[listener.fileno()],
            )
        deadline = time.monotonic() + start_seconds  # a busy machine boots Django slowly
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
        log = workdir / "redis.log"

        def start(port: int) -> subprocess.Popen:
            command = [
                "redis-server",
                "--bind",
                "127.0.0.1",
                "--port",
                str(port),
                "--save",
                "",
                "--appendonly",
                "no",
            ]
            return subprocess.Popen(command, cwd=workdir, stdout=log.open("w"), stderr=subprocess.STDOUT)

        self.process, self.port = _start_listening(start, "redis-server", log)
        self.url = f"redis://127.0.0.1:{self.port}/0"

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
        self.pool_size = pool_size
        host = settings_dict["HOST"] or "127.0.0.1"
        db_port = settings_dict.get("PORT") or 5432
        user = settings_dict["USER"] or "postgres"
        self.workdir = workdir = Path(tempfile.mkdtemp(prefix="seat-pgbouncer-"))
        workdir.chmod(0o777)
        (workdir / "userlist.txt").write_text(f'"{user}" ""\n')
        ini, log = workdir / "pgbouncer.ini", workdir / "pgbouncer.log"
        command = ["pgbouncer", str(ini)]
        if os.geteuid() == 0:  # as the owner of PostgreSQL's socket folder, which it must reach
            owner = os.stat(host).st_uid if host.startswith("/") else pwd.getpwnam("nobody").pw_uid
            command[1:1] = ["-u", pwd.getpwuid(owner).pw_name]

        def start(port: int) -> subprocess.Popen:
            log.unlink(missing_ok=True)  # a failed attempt's log is not this one's
            ini.write_text(
                f"""[databases]
* = host={host} port={db_port}

[pgbouncer]
listen_addr = 127.0.0.1
listen_port = {port}
unix_socket_dir =
auth_type = trust
auth_file = {workdir / "userlist.txt"}
admin_users = {user}
pool_mode = transaction
default_pool_size = {pool_size}
max_client_conn = 500
logfile = {log}
"""
            )
            return subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)

        self.process, self.port = _start_listening(start, "pgbouncer", log)
        self.url = f"postgres://{user}@127.0.0.1:{self.port}/{settings_dict['NAME']}"
        self.admin_url = f"postgres://{user}@127.0.0.1:{self.port}/pgbouncer"

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


class PushpinServer:
    """The Procfile's ``push`` process (Pushpin with deploy/pushpin/'s configuration) on free loopback
    ports, in front of the web node at ``route`` (``host:port``): ``url`` for browsers, ``control_url``
    for the relay (``PUSH_URL``). Its own processes (condure, the handler) listen, not the runner:
    a port counts as taken by it when one of them listens there."""

    def __init__(self, route: str, workdir: Path, env: dict[str, str] | None = None):
        self.workdir = workdir
        self.log = workdir / "pushpin.log"
        self.control_port = 0

        def start(port: int) -> subprocess.Popen:
            self.control_port = free_port()
            return self._start(route, env, port, self.control_port)

        self._again = lambda: self._start(route, env, self.port, self.control_port)
        self.process, self.port = _start_listening(
            start, "pushpin", self.log, ports=lambda port: (port, self.control_port)
        )
        self.url = f"http://127.0.0.1:{self.port}"
        self.control_url = f"http://127.0.0.1:{self.control_port}"

    def _start(
        self, route: str, env: dict[str, str] | None, port: int, control_port: int
    ) -> subprocess.Popen:
        run_env = {
            "DJANGO_SECRET_KEY": "only-starts-pushpin",  # manage.py needs settings; overridden by env
            **(env or os.environ),
            "PUSHPIN_PORT": str(port),
            "PUSHPIN_CONTROL_PORT": str(control_port),
            "PUSHPIN_ROUTE": route,
            "PUSHPIN_DIR": str(self.workdir / f"pushpin-{port}"),
        }
        return subprocess.Popen(
            procfile("push"),
            cwd=PROJECT,
            env=run_env,
            stdout=self.log.open("a"),
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its processes are stopped with it
        )

    def kill(self) -> None:
        """Every process of it killed at once (SIGKILL), as a crash or an out-of-memory kill would:
        its connections drop without a goodbye. Its runner starts each of its processes in a process
        group of its own, so each is killed by its id; returns once they are all gone."""
        processes = _with_descendants(self.process.pid)
        for pid in processes:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        self.process.wait()
        deadline = time.monotonic() + 20
        while any(_alive(pid) for pid in processes) and time.monotonic() < deadline:
            time.sleep(0.05)

    def start_again(self) -> None:
        """Started again after ``kill()`` on the same ports (the clients' and the relay's addresses),
        listening on both when it returns. The ports were its own a moment ago; should another
        process have taken one meanwhile, this fails rather than move."""
        self.process = self._again()
        deadline = time.monotonic() + 20
        while not all(_listens_on(self.process.pid, port) for port in (self.port, self.control_port)):
            if time.monotonic() > deadline or self.process.poll() is not None:
                raise RuntimeError(f"pushpin did not start again\n{self.log.read_text()}")
            time.sleep(0.05)

    def stop(self) -> None:
        processes = _with_descendants(self.process.pid)
        _stop(self.process)  # the runner stops its processes
        for pid in processes:  # anything of its own left behind
            with contextlib.suppress(ProcessLookupError):
                if _alive(pid):
                    os.kill(pid, signal.SIGKILL)


class RelayServer:
    """The Procfile's ``relay`` process (``env`` names ``PUSH_URL``), started and relaying when
    constructed."""

    def __init__(self, env: dict[str, str], log: Path):
        self.process = subprocess.Popen(
            procfile("relay"), cwd=PROJECT, env=env, stdout=log.open("a"), stderr=subprocess.STDOUT
        )
        deadline = time.monotonic() + 60
        while "Relaying seat changes" not in log.read_text():
            if time.monotonic() > deadline or self.process.poll() is not None:
                self.stop()
                raise RuntimeError(f"the relay did not start:\n{log.read_text()}")
            time.sleep(0.05)

    def stop(self) -> None:
        _stop(self.process)


def _start_listening(
    start: Callable[[int], subprocess.Popen],
    name: str,
    log: Path,
    attempts: int = 5,
    ports: Callable[[int], tuple[int, ...]] | None = None,
) -> tuple[subprocess.Popen, int]:
    """``start(port)`` on a free port until the process it starts (or one of its children) listens
    there itself, and on the other ``ports(port)``; started again on another port if one was taken
    meanwhile (the process then exits, or is stopped here)."""
    for _ in range(attempts):
        port = free_port()
        process = start(port)
        wanted = ports(port) if ports else (port,)
        deadline = time.monotonic() + 20
        while process.poll() is None and not all(_listens_on(process.pid, p) for p in wanted):
            if time.monotonic() > deadline:
                _stop(process)
                raise RuntimeError(f"{name} did not start\n{log.read_text() if log.exists() else ''}")
            time.sleep(0.05)
        if process.poll() is None:
            return process, port
    raise RuntimeError(f"{name} did not start on a free port in {attempts} attempts\n{log.read_text()}")


def _listens_on(pid: int, port: int) -> bool:
    """Process ``pid`` or one of its descendants has a socket listening on TCP ``port`` (Linux: /proc)."""
    links = []
    for process in _with_descendants(pid):
        try:
            links += [os.readlink(f"/proc/{process}/fd/{fd}") for fd in os.listdir(f"/proc/{process}/fd")]
        except OSError:  # it has just exited
            continue
    sockets = {link[8:-1] for link in links if link.startswith("socket:[")}
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        fields = line.split()  # sl, local address:port (hex), remote, state (0A: LISTEN), ..., inode
        if fields[3] == "0A" and int(fields[1].split(":")[1], 16) == port and fields[9] in sockets:
            return True
    return False


def _alive(pid: int) -> bool:
    """Process ``pid`` runs (a zombie, ended but not yet reaped, does not)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()[0] != "Z"
    except OSError:
        return False


def _with_descendants(pid: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            parent = int(stat.rpartition(")")[2].split()[1])
            children.setdefault(parent, []).append(int(entry))
    found, queue = [], [pid]
    while queue:
        current = queue.pop()
        found.append(current)
        queue.extend(children.get(current, []))
    return found


def _stop(process: subprocess.Popen, timeout: float = 10) -> None:
    """SIGTERM, then SIGKILL if it has not ended within ``timeout`` seconds."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
