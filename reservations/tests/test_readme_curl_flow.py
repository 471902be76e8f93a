"""The README's curl flow, run as printed against a real HTTP server on PostgreSQL."""

import re
import subprocess
from pathlib import Path

import pytest

from reservations.models import Reservation, Seat

README = Path(__file__).resolve().parents[2] / "README.md"

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def readme_curl_block() -> str:
    blocks = re.findall(r"```bash\n(.*?)```", README.read_text(), flags=re.S)
    return next(block for block in blocks if block.startswith("BASE="))


def run_flow(base_url: str) -> str:
    result = subprocess.run(
        ["bash", "-c", "set -eo pipefail\n" + readme_curl_block()],
        env={"BASE": base_url, "PATH": "/usr/bin:/bin:/usr/local/bin"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def test_readme_curl_flow_works_as_printed_and_again(live_server, make_event, settings):
    settings.RATE_LIMITS_ENABLED = True  # what `make run` has
    event = make_event(10)
    out = run_flow(live_server.url)
    assert '"message": "Seat A1 locked for 5 minutes"' in out
    races = sorted(re.findall(r"race: (\d+)", out))
    assert races == ["200", "409", "409", "409", "409"], out
    reservation_id = int(re.search(r"reserved: (\d+)", out).group(1))
    assert '"seats": ["A1"]' in out
    [code] = re.findall(r"ticket: A1 valid (\S+)", out)
    assert Reservation.objects.get(pk=reservation_id).tickets.get().code == code
    assert re.search(r"tickets: 200 application/pdf \S+\.pdf", out), out
    assert f"SUMMARY:{event.name}" in out
    assert '"message": "Reservation cancelled"' in out
    reservation = Reservation.objects.get(pk=reservation_id)
    assert reservation.status == "cancelled" and reservation.user.username == "curl-alice"
    seats = {seat.seat_number: seat for seat in Seat.objects.filter(event=event)}
    assert seats["A1"].status == "available"
    assert seats["A2"].status == "locked" and seats["A2"].locked_by.username.startswith("curl-racer-")

    # Again, as a newcomer would: the accounts exist now, and the flow still works as printed.
    again = run_flow(live_server.url)
    assert sorted(re.findall(r"race: (\d+)", again)) == ["200", "409", "409", "409", "409"], again
    assert '"message": "Reservation cancelled"' in again
    assert Seat.objects.get(event=event, seat_number="A3").status == "locked"
