"""Pushpin on this machine (``make run``, the tests, the benchmark): the repository's configuration
(``deploy/pushpin/``) with the ports, the route to gunicorn and the folders of this run.

Read from the environment by ``python manage.py pushpin`` (the Procfile's ``push``):
``PUSHPIN_PORT`` (where browsers connect, default 8000), ``PUSHPIN_CONTROL_PORT`` (where the relay
publishes, default 5561), ``PUSHPIN_ROUTE`` (the web node(s), default ``127.0.0.1:8001``),
``PUSHPIN_DIR`` (its sockets and logs, default ``.pushpin/`` in the project), ``PUSHPIN_ADDRESS`` (the
address it listens on, default ``127.0.0.1``); and ``PUSH_SIG_KEY``, the key it signs requests with.
"""

import configparser
import os
import shutil
from pathlib import Path

from django.conf import settings

CONFIG = Path(settings.BASE_DIR) / "deploy" / "pushpin" / "pushpin.conf"
INSTALL_HINT = "Pushpin is not installed: apt-get install pushpin (Debian, Ubuntu) or see https://pushpin.org/docs/install/"


def installed() -> bool:
    return shutil.which("pushpin") is not None


def write_config(*, folder: Path, port: int, control_port: int, route: str) -> Path:
    """The repository's configuration with this run's ports, route and folders, written in
    ``folder``; returns the path to give ``pushpin --config``."""
    parser = configparser.RawConfigParser(strict=False)
    parser.optionxform = str  # keep keys as written
    parser.read(CONFIG)
    run, log = folder / "run", folder / "log"
    run.mkdir(parents=True, exist_ok=True)
    log.mkdir(parents=True, exist_ok=True)
    parser["global"]["rundir"] = str(run)
    parser["runner"]["http_port"] = str(port)
    parser["runner"]["logdir"] = str(log)
    parser["proxy"]["routesfile"] = str(folder / "routes")
    if settings.PUSH_SIG_KEY:  # the key the web nodes verify Grip-Sig with
        parser["proxy"]["sig_key"] = settings.PUSH_SIG_KEY
    handler = parser["handler"]
    handler["push_in_http_port"] = str(control_port)
    handler["push_in_spec"] = "ipc://{rundir}/{ipc_prefix}push-in"
    handler["push_in_sub_specs"] = "ipc://{rundir}/{ipc_prefix}push-in-sub"
    handler["command_spec"] = "ipc://{rundir}/{ipc_prefix}command"
    (folder / "routes").write_text(f"* {route}\n")
    config = folder / "pushpin.conf"
    with config.open("w") as file:
        parser.write(file)
    return config


def command_from_environment() -> list[str]:
    folder = Path(os.environ.get("PUSHPIN_DIR") or Path(settings.BASE_DIR) / ".pushpin").resolve()
    port = int(os.environ.get("PUSHPIN_PORT") or 8000)
    config = write_config(
        folder=folder,
        port=port,
        control_port=int(os.environ.get("PUSHPIN_CONTROL_PORT") or 5561),
        route=os.environ.get("PUSHPIN_ROUTE") or "127.0.0.1:8001",
    )
    address = os.environ.get("PUSHPIN_ADDRESS") or "127.0.0.1"
    return ["pushpin", f"--config={config}", f"--port={address}:{port}", "--merge-output"]
