"""Live seat maps through a real Pushpin: Debian's ``pushpin`` with the repository's configuration, a
gunicorn node behind it and the Procfile's relay, on loopback. A few hundred open maps follow a storm
of holds and releases, a hold that runs out by time, and a relay restart, and each ends equal to a
fresh grid, having missed nothing on the way (no gap in cursors).

Outside CI this skips with a message when ``pushpin`` is not installed; in CI (``CI`` set) it fails.
"""

import json
import random
import threading
import time
import urllib.error
import urllib.request
from datetime import timedelta

import pytest
from django.utils import timezone

from live.tests.sse import Crowd, Viewer
from reservations import auth, services
from reservations.models import Seat
from tools.servers import GunicornServer, RelayServer

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

VIEWERS = 300


def call(url: str, method: str = "GET", token: str | None = None) -> tuple[int, dict]:
    headers = {"Content-Type": "application/json", **({"Authorization": f"Bearer {token}"} if token else {})}
    data = b"" if method == "POST" else None
    request = urllib.request.Request(url, data=data, headers=headers, method=method)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def wait_until(condition, what: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, f"not within {seconds} s: {what}"
        time.sleep(0.1)


def truth(web: GunicornServer, event_id: int) -> dict[int, str]:
    _, grid = call(f"{web.url}/api/events/{event_id}/seats/")
    return {seat["id"]: seat["status"] for seat in grid["seats"]}


def all_agree(viewers: list[Viewer], web: GunicornServer, event_id: int) -> bool:
    expected = truth(web, event_id)
    return all(viewer.seats == expected for viewer in viewers)


def test_hundreds_of_open_maps_follow_a_storm_a_hold_running_out_and_a_relay_restart(
    site, make_user, make_event
):
    pushpin, web, env, started = site
    event = make_event(200, seats_per_row=20)
    seat_ids = list(event.seats.order_by("pk").values_list("pk", flat=True))
    paths = [f"/api/events/{event.pk}/seats/stream/", f"/api/events/{event.pk}/seats/stream/?section=Main"]
    viewers = [Viewer(paths[index % 5 == 0]) for index in range(VIEWERS)]
    crowd = Crowd("127.0.0.1", pushpin.port, viewers)
    try:
        wait_until(lambda: all(viewer.cursor for viewer in viewers), "every map has its grid")
        assert all(len(viewer.seats) == 200 for viewer in viewers)

        # A storm: customers hold and give up seats through Pushpin, in parallel.
        customers = [auth.issue_token(user=make_user(f"storm{index}")) for index in range(6)]

        def storm(token: str, rng: random.Random) -> None:
            for _ in range(25):
                seat = rng.choice(seat_ids[10:-10])  # the others are for the steps after
                base = f"{pushpin.url}/api/events/{event.pk}/seats/{seat}"
                call(f"{base}/lock/", "POST", token)
                if rng.random() < 0.5:
                    call(f"{base}/unlock/", "POST", token)

        threads = [
            threading.Thread(target=storm, args=(token, random.Random(index)))
            for index, token in enumerate(customers)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        wait_until(lambda: all_agree(viewers, web, event.pk), "every map equals the grid after the storm")

        # A hold that runs out by time writes nothing: the relay still tells every map.
        runner = make_user("runner")
        services.lock_seat(user=runner, event_id=event.pk, seat_id=seat_ids[0])
        ends = timezone.now() + timedelta(seconds=2)
        Seat.objects.filter(pk=seat_ids[0]).update(locked_until=ends)
        wait_until(lambda: all(viewer.seats[seat_ids[0]] == "locked" for viewer in viewers), "the hold")
        wait_until(lambda: timezone.now() > ends, "the hold's end")
        wait_until(lambda: all(viewer.seats[seat_ids[0]] == "available" for viewer in viewers), "its end")

        # The relay restarts; what happened meanwhile reaches every map once it is back.
        relay = started.pop()
        relay.stop()
        for seat in seat_ids[-5:]:
            services.lock_seat(user=runner, event_id=event.pk, seat_id=seat)
        started.append(RelayServer(env, pushpin.workdir / "relay-2.log"))
        wait_until(lambda: all_agree(viewers, web, event.pk), "every map equals the grid after the restart")
        assert all(viewer.seats[seat] == "locked" for viewer in viewers for seat in seat_ids[-5:])
    finally:
        crowd.close()
    assert sum(viewer.gaps for viewer in viewers) == 0  # nothing was missed on the way
    assert {viewer.opened for viewer in viewers} == {1}  # nor did any stream, once open, have to reopen
    assert all(viewer.messages >= 3 for viewer in viewers)


def test_every_open_map_catches_up_after_pushpin_itself_is_killed_and_started_again(
    site, make_user, make_event
):
    pushpin, web, _env, _started = site
    event = make_event(200, seats_per_row=20)
    seat_ids = list(event.seats.order_by("pk").values_list("pk", flat=True))
    viewers = [Viewer(f"/api/events/{event.pk}/seats/stream/") for _ in range(VIEWERS)]
    crowd = Crowd("127.0.0.1", pushpin.port, viewers)
    runner, other = make_user("runner"), make_user("other")
    try:
        wait_until(lambda: all(viewer.cursor for viewer in viewers), "every map has its grid")
        services.lock_seat(user=runner, event_id=event.pk, seat_id=seat_ids[0])
        wait_until(lambda: all(viewer.seats[seat_ids[0]] == "locked" for viewer in viewers), "the first hold")

        # Pushpin dies with every stream open; meanwhile seats change (the relay's messages about them
        # reach nobody); then it starts again and hundreds of maps reconnect at once with their cursor.
        pushpin.kill()
        services.unlock_seat(user=runner, event_id=event.pk, seat_id=seat_ids[0])
        for seat in seat_ids[1:6]:
            services.lock_seat(user=other, event_id=event.pk, seat_id=seat)
        pushpin.start_again()
        wait_until(lambda: all(viewer.opened >= 2 for viewer in viewers), "every map reconnected")
        wait_until(lambda: all_agree(viewers, web, event.pk), "every map equals the grid after the restart")

        # Nothing is stuck: each reconnected stream goes on getting changes as they happen.
        services.lock_seat(user=other, event_id=event.pk, seat_id=seat_ids[-1])
        wait_until(lambda: all(viewer.seats[seat_ids[-1]] == "locked" for viewer in viewers), "a later hold")
        assert all_agree(viewers, web, event.pk)
    finally:
        crowd.close()
    assert all(viewer.seats[seat_ids[0]] == "available" for viewer in viewers)
    assert all(viewer.seats[seat] == "locked" for viewer in viewers for seat in seat_ids[1:6])
