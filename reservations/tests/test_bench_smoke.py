"""A smoke run of the benchmark harness (seconds, tiny data): proves `make bench` works end to end."""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.postgres


def test_bench_smoke_run_prints_every_scenario_and_writes_json(tmp_path):
    if shutil.which("wrk") is None:
        if os.environ.get("CI"):
            pytest.fail("wrk is required in CI (apt-get install wrk); .ci/run installs it")
        pytest.skip("wrk is not installed (apt-get install wrk); the benchmark smoke run needs it")
    output = tmp_path / "latest.json"
    nodes = shutil.which("redis-server") and shutil.which("pgbouncer")  # the topology tests insist on them
    result = subprocess.run(
        [
            sys.executable,
            "bench/run.py",
            "--smoke",
            "--output",
            str(output),
            *(["--nodes", "2"] if nodes else []),
        ],
        cwd=PROJECT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    for line in (
        "health",
        "1 hold/release",
        "1b 4-seat hold",
        "2 checkout",
        "3 hot seats",
        "4a grid 200",
        "4b grid 304",
        "5a event list",
        "5b grid 304 (50,000 seats)",
        "5c feed poll",
        "8a grid 200 (50,000 seats)",
        "8b ... anonymous, under writes",
        "8c ... holder, under writes",
        "grid under writes (8b / 8a",
        "21 report (",
        "box office: report of",
        "22a queue place (GET), database",
        "22b queue join (POST), database",
        "waiting room (database (PostgreSQL))",
        "storm:",
        "6 best available",
        "best available:",
        "stadium:",
        "expiry:",
    ):
        assert line in result.stdout
    results = json.loads(output.read_text())
    scenarios = results["scenarios"]
    failed = {name: row for name, row in scenarios.items() if row["errors"] or not row["rps"] > 0}
    # The rows that failed, whole (a repr of all of them is cut short), and the servers' tracebacks.
    tracebacks = result.stdout.partition("\nserver errors in ")[2]
    assert not failed, f"{failed}\nserver errors in {tracebacks}" if tracebacks else str(failed)
    assert scenarios["2 checkout (4 seats)"]["reservations_per_s"] > 0
    assert set(scenarios["4b grid 304 (1,000 seats)"]["statuses"]) == {"304"}
    assert not any(results["invariants"].values()), results["invariants"]
    assert (
        results["best_available"]["reservations"] > 0 and results["best_available"]["not_side_by_side"] == 0
    )
    assert scenarios["1b 4-seat hold (seat_ids)"]["holds_per_s"] > 0
    if nodes:
        assert "2 nodes on PgBouncer" in result.stdout
        assert (
            results["nodes"]["checkout"]["reservations_per_s"] > 0
            and results["nodes"]["checkout"]["errors"] == 0
        )
    assert results["expiry"]["holds"] == 500 and results["stadium"]["grid_gzip_bytes"] > 0
    assert set(scenarios["5b grid 304 (50,000 seats)"]["statuses"]) == {"304"}
    grids = results["grids"]  # issue 20: the whole grid alone, under writes, and as a holder
    assert grids["writes"]["rps"] > 0 and grids["writes_ratio"] > 0 and grids["holder_ratio"] > 0, grids
    assert all(
        set(scenarios[name]["statuses"]) == {"200"}
        for name in ("8a grid 200 (50,000 seats), anonymous", "8c ... holder, under writes")
    )
    storm = results["storm"]  # every viewer's copy, built from feed answers only, equals a fresh grid
    assert storm["seats_changed"] > 0 and storm["copies_differing"] == storm["poll_failures"] == 0, storm
    # Issue 21: the report answers while customers hold and release; the attendee list is complete.
    report = next(row for name, row in scenarios.items() if name.startswith("21 report"))
    assert set(report["statuses"]) == {"200"}, report
    assert results["boxoffice"]["csv_tickets"] == 500 and results["boxoffice"]["csv_median_s"] > 0
    # Issue 22: every queue answer is a 200; customers joined (in a 1 s round not always all of them)
    # and none twice.
    for store, room in results["waiting_room"].items():
        assert set(room["join"]["statuses"]) == set(room["get"]["statuses"]) == {"200"}, (store, room)
        assert 0 < int(room["stats"]["waiting"]) <= room["customers"], (store, room["stats"])
