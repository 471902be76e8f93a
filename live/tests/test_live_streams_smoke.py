"""A tiny run of bench/live_streams.py (60 streams on a 600-seat arena of six blocks, windows of a
second): proves the benchmark works end to end on real servers (gunicorn, PostgreSQL, Pushpin, the
relay) and that its invariants hold: every stream gets every hold, no copy differs from the grid
after the storm."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.postgres


def test_live_streams_tiny_run_holds_every_invariant():
    if shutil.which("pushpin") is None:
        if os.environ.get("CI"):
            pytest.fail("pushpin is required in CI (apt-get install pushpin)")
        pytest.skip("pushpin is not installed; the live streams bench needs it")
    result = subprocess.run(
        [sys.executable, "bench/live_streams.py", "--smoke", "--max-seconds=300"],
        cwd=PROJECT,
        capture_output=True,
        text=True,
        timeout=330,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    for line in (
        "every stream got the hold: 4 of 4 holds",
        "copies differing from the grid 0 of 60",
        "polls/s",
    ):
        assert line in result.stdout, result.stdout
    assert "invariants: all hold" in result.stdout
