"""A real gunicorn server on a free loopback port, for the benchmarks and the fault tests."""

import signal
import socket
import subprocess
import sys
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

    def __init__(self, env: dict[str, str], *, workers: int = 2, threads: int = 4, log: Path):
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
                urllib.request.urlopen(self.url + "/api/health/", timeout=2)
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
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
