"""A tiny run of bench/queue_crowd.py (200 customers, seconds of joining and admitting): proves the
crowd script works end to end and that its invariants hold on a real server (gunicorn, PostgreSQL,
Redis; with two nodes behind PgBouncer when pgbouncer is installed)."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.postgres


def test_queue_crowd_tiny_run_holds_every_invariant():
    if shutil.which("redis-server") is None:
        if os.environ.get("CI"):
            pytest.fail("redis-server is required in CI (apt-get install redis-server)")
        pytest.skip("redis-server is not installed; the crowd script needs it")
    nodes = "2" if shutil.which("pgbouncer") else "1"
    result = subprocess.run(
        [
            sys.executable,
            "bench/queue_crowd.py",
            "--customers=200",
            "--window=3",
            "--admit-seconds=3",
            "--per-minute=600",
            "--health-requests=100",
            "--clients=8",
            f"--nodes={nodes}",
            "--max-seconds=400",
        ],
        cwd=PROJECT,
        capture_output=True,
        text=True,
        timeout=450,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    for line in ("places / distinct                     200 / 200", "Spearman rho", "admitted per second"):
        assert line in result.stdout, result.stdout
    assert "invariants: all hold" in result.stdout
