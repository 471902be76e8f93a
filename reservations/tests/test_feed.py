"""The change feed: ?since=<cursor> answers what changed, nothing is missed, revalidation is a few
index lookups, counts are cached, and the shared rendering is served gzip-compressed once."""

import base64
import gzip
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from decimal import Decimal

import orjson
import pytest
import time_machine
from django.db import connections
from django.db.models import F
from django.utils import timezone

from reservations import services
from reservations.models import Seat, SeatChange
from reservations.tests.helpers import ApiClient

# Each write commits on its own, as in production: inside one test transaction, PostgreSQL would see
# every change of the test as still in flight and (correctly, harmlessly) answer it again.
pytestmark = pytest.mark.django_db(transaction=True)

LOCK = timedelta(seconds=300)


def grid_url(event) -> str:
    return f"/api/events/{event.pk}/seats/"


def feed(client, event, cursor, **extra):
    return client.get(grid_url(event), {"since": cursor}, **extra)


def numbers(answer: dict) -> list[str]:
    return [seat["seat_number"] for seat in answer["seats"]]


def test_every_grid_answer_has_a_cursor_and_the_server_time(anon, event):
    answer = anon.get(grid_url(event)).json()
    assert answer["cursor"] and answer["full"] is True and len(answer["seats"]) == 20
    assert abs(timezone.datetime.fromisoformat(answer["server_time"]) - timezone.now()) < timedelta(seconds=5)


def test_the_feed_answers_only_what_changed_since_the_cursor(anon, alice, event, seat_ids):
    cursor = anon.get(grid_url(event)).json()["cursor"]
    nothing = feed(anon, event, cursor).json()
    assert (nothing["full"], nothing["seats"]) == (False, [])
    services.lock_seat(user=alice, event_id=event.pk, seat_id=seat_ids[3])
    services.lock_seat(user=alice, event_id=event.pk, seat_id=seat_ids[5])
    changed = feed(anon, event, nothing["cursor"]).json()
    assert changed["full"] is False and numbers(changed) == ["A4", "A6"]
    assert {seat["status"] for seat in changed["seats"]} == {"locked"}
    services.unlock_seat(user=alice, event_id=event.pk, seat_id=seat_ids[3])
    later = feed(anon, event, changed["cursor"]).json()
    assert [(s["seat_number"], s["status"]) for s in later["seats"]] == [("A4", "available")]


def test_a_hold_that_runs_out_by_time_is_in_the_feed(anon, alice, event, seat_ids):
    services.lock_seat(user=alice, event_id=event.pk, seat_id=seat_ids[0])
    cursor = anon.get(grid_url(event)).json()["cursor"]
    assert feed(anon, event, cursor).json()["seats"] == []
    with time_machine.travel(timezone.now() + LOCK + timedelta(seconds=1)):
        expired = feed(anon, event, cursor).json()
        assert [(s["seat_number"], s["status"]) for s in expired["seats"]] == [("A1", "available")]
        # ... once: the next poll from the new cursor has nothing.
        assert feed(anon, event, expired["cursor"]).json()["seats"] == []


@pytest.mark.parametrize(
    "cursor",
    ["", "nonsense", "bm9uc2Vuc2U", base64.urlsafe_b64encode(b"[1,2,3]").decode(), "x" * 200],
    ids=["empty", "garbage", "base64-garbage", "wrong-shape", "long"],
)
def test_a_malformed_cursor_gets_the_whole_grid(anon, event, cursor):
    answer = feed(anon, event, cursor).json()
    assert answer["full"] is True and len(answer["seats"]) == 20


def test_a_cursor_of_another_grid_or_too_old_gets_the_whole_grid(anon, event, make_event, settings):
    other = make_event(5, name="Other")
    cursor = anon.get(grid_url(other)).json()["cursor"]
    assert feed(anon, event, cursor).json()["full"] is True
    mine = anon.get(grid_url(event)).json()["cursor"]
    assert anon.get(grid_url(event), {"since": mine, "section": "Main"}).json()["full"] is True
    with time_machine.travel(timezone.now() + timedelta(seconds=settings.SEAT_FEED_RETENTION_SECONDS)):
        assert feed(anon, event, mine).json()["full"] is True


def test_the_feed_shows_viewer_specific_fields_per_viewer(anon, alice_api, alice, event, seat_ids):
    cursor = anon.get(grid_url(event)).json()["cursor"]
    services.lock_seat(user=alice, event_id=event.pk, seat_id=seat_ids[0])
    (mine,) = feed(alice_api, event, cursor).json()["seats"]
    (theirs,) = feed(anon, event, cursor).json()["seats"]
    assert mine["locked_by_me"] is True and mine["locked_until"] is not None
    assert theirs["locked_by_me"] is False and theirs["locked_until"] is None


def test_the_etag_changes_exactly_when_the_feed_has_something(anon, alice, event, seat_ids):
    first = anon.get(grid_url(event))
    cursor, etag = first.json()["cursor"], first["ETag"]
    assert etag.startswith('W/"')
    assert anon.get(grid_url(event), HTTP_IF_NONE_MATCH=etag).status_code == 304
    polled = feed(anon, event, cursor)
    assert polled.json()["seats"] == []
    assert feed(anon, event, cursor, HTTP_IF_NONE_MATCH=polled["ETag"]).status_code == 304
    services.lock_seat(user=alice, event_id=event.pk, seat_id=seat_ids[0])
    changed = feed(anon, event, cursor, HTTP_IF_NONE_MATCH=polled["ETag"])
    assert changed.status_code == 200 and numbers(changed.json()) == ["A1"]
    # The whole grid has it at once too (laid over the shared rendering until that is rebuilt).
    whole = anon.get(grid_url(event), HTTP_IF_NONE_MATCH=etag)
    assert whole.status_code == 200 and whole.json()["seats"][0]["status"] == "locked"
    assert anon.get(grid_url(event), HTTP_IF_NONE_MATCH=whole["ETag"]).status_code == 304
    assert feed(anon, event, cursor, HTTP_IF_NONE_MATCH=changed["ETag"]).status_code == 304
    with time_machine.travel(timezone.now() + LOCK + timedelta(seconds=1)):
        assert feed(anon, event, cursor, HTTP_IF_NONE_MATCH=changed["ETag"]).status_code == 200


def test_an_etag_is_per_viewer_and_per_grid(anon, alice_api, event):
    etag = anon.get(grid_url(event))["ETag"]
    assert alice_api.get(grid_url(event), HTTP_IF_NONE_MATCH=etag).status_code == 200
    assert anon.get(grid_url(event), {"section": "Main"}, HTTP_IF_NONE_MATCH=etag).status_code == 200


def test_a_section_feed_has_only_that_sections_seats(anon, alice, make_user):
    from reservations.models import Venue

    layout = {
        "sections": [
            {"name": "Stalls", "code": "S", "price": "10.00", "rows": [{"rows": "A", "seats": 3}]},
            {"name": "Circle", "code": "C", "price": "5.00", "rows": [{"rows": "A", "seats": 3}]},
        ]
    }
    venue = Venue.objects.create(name="Hall", layout=layout)
    event = services.create_event(name="Gig", event_date=timezone.now() + timedelta(days=1), venue=venue)
    cursor = anon.get(grid_url(event), {"section": "Circle"}).json()["cursor"]
    for number in ("S-A1", "C-A2"):
        services.lock_seat(user=alice, event_id=event.pk, seat_id=event.seats.get(seat_number=number).pk)
    answer = anon.get(grid_url(event), {"section": "Circle", "since": cursor}).json()
    assert answer["full"] is False and numbers(answer) == ["C-A2"]


# --- Query budgets: what a read costs does not grow with the hall --------------------------------


@pytest.mark.parametrize("seats", [20, 2000])
def test_revalidation_and_feed_polls_cost_a_constant_number_of_queries(
    anon, alice, make_event, seats, django_assert_num_queries
):
    event = make_event(seats, seats_per_row=40)
    first = anon.get(grid_url(event))
    with django_assert_num_queries(1):  # one statement of index lookups
        assert anon.get(grid_url(event), HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    with django_assert_num_queries(1):  # nothing changed: no seat is read
        nothing = feed(anon, event, first.json()["cursor"])
    for seat_id in event.seats.order_by("pk").values_list("pk", flat=True)[:10]:
        services.lock_seat(user=alice, event_id=event.pk, seat_id=seat_id)
    with django_assert_num_queries(2):  # the check, the changed seats
        changed = feed(anon, event, nothing.json()["cursor"])
    assert len(changed.json()["seats"]) == 10 and len(changed.content) < 5000


@pytest.mark.parametrize("seats", [20, 2000])
def test_event_detail_costs_the_same_for_any_hall(anon, make_event, seats, django_assert_num_queries):
    event = make_event(seats)
    with django_assert_num_queries(2):  # the event, its sections' counts (then cached for 2 s)
        anon.get(f"/api/events/{event.pk}/")
    with django_assert_num_queries(0):  # the answer is cached for those 2 s
        assert anon.get(f"/api/events/{event.pk}/").json()["event"]["total_seats"] == seats


def test_counts_are_cached_at_most_two_seconds(anon, alice, event, seat_ids):
    assert anon.get("/api/events/").json()["events"][0]["locked_seats"] == 0
    services.lock_seat(user=alice, event_id=event.pk, seat_id=seat_ids[0])
    assert anon.get("/api/events/").json()["events"][0]["locked_seats"] == 0  # cached
    with time_machine.travel(timezone.now() + timedelta(seconds=2.5)):
        assert anon.get("/api/events/").json()["events"][0]["locked_seats"] == 1
    assert anon.get(grid_url(event)).json()["seats"][0]["status"] == "locked"  # the grid is exact


def test_counts_are_never_older_than_two_seconds_whichever_answer_counted_them(anon, alice, event, seat_ids):
    start = timezone.now()
    anon.get("/api/events/")  # the list counts the event's seats now
    services.lock_seat(user=alice, event_id=event.pk, seat_id=seat_ids[0])
    with time_machine.travel(start + timedelta(seconds=1.5)):
        anon.get(f"/api/events/{event.pk}/")  # the detail, cached from here for 2 s
    with time_machine.travel(start + timedelta(seconds=3)):  # the lock is 3 s old
        assert anon.get(f"/api/events/{event.pk}/").json()["event"]["locked_seats"] == 1


# --- The shared rendering, gzip-compressed once -------------------------------------------------------


def test_the_shared_grid_is_served_gzipped_with_this_answers_server_time(anon, event):
    plain = anon.get(grid_url(event))
    zipped = anon.get(grid_url(event), HTTP_ACCEPT_ENCODING="gzip, deflate")
    assert zipped["Content-Encoding"] == "gzip" and "Accept-Encoding" in zipped["Vary"]
    body = orjson.loads(gzip.decompress(zipped.content))
    first = plain.json()
    assert body["seats"] == first["seats"] and body["cursor"] == first["cursor"]
    assert body["server_time"] >= first["server_time"]


def test_the_rendering_is_rolled_forward_with_each_change_and_made_again_at_most_once_a_second(
    anon, alice, event, seat_ids, django_assert_num_queries
):
    def statuses(answer) -> list[str]:
        return [seat["status"] for seat in orjson.loads(gzip.decompress(answer.content))["seats"]]

    start = timezone.now()
    with time_machine.travel(start, tick=False):
        first = anon.get(grid_url(event)).json()
        with django_assert_num_queries(1):
            anon.get(grid_url(event), HTTP_ACCEPT_ENCODING="gzip")
        for count, seat_id in enumerate(seat_ids[:3], start=1):  # a few writes: rolled forward with each
            services.lock_seat(user=alice, event_id=event.pk, seat_id=seat_id)
            with django_assert_num_queries(2):  # the grid check and the changed seats, written into it
                answer = anon.get(grid_url(event), HTTP_ACCEPT_ENCODING="gzip")
            assert statuses(answer) == ["locked"] * count + ["available"] * (len(seat_ids) - count)
            cursor = orjson.loads(gzip.decompress(answer.content))["cursor"]
            assert feed(anon, event, cursor).json()["seats"] == []  # its cursor is current
            with django_assert_num_queries(1):  # current again: the grid check only
                assert anon.get(grid_url(event)).json()["cursor"] == cursor
        assert numbers(feed(anon, event, first["cursor"]).json()) == ["A1", "A2", "A3"]
        # More than a quarter of the seats at once: laid over every answer until the second is up.
        services.change_seat_prices(seat_ids=seat_ids[10:18], price=Decimal("50.00"))
        for _ in range(2):
            with django_assert_num_queries(2):  # the grid check and the changed seats, laid over
                prices = [seat["price"] for seat in anon.get(grid_url(event)).json()["seats"]]
            assert prices == ["100.00"] * 10 + ["50.00"] * 8 + ["100.00"] * 2
    with time_machine.travel(start + timedelta(seconds=1.1), tick=False):
        with django_assert_num_queries(3):  # a second later: made again from every seat, once
            rebuilt = anon.get(grid_url(event)).json()
        assert [seat["price"] for seat in rebuilt["seats"]][10:18] == ["50.00"] * 8
        with django_assert_num_queries(1):
            assert anon.get(grid_url(event)).json()["cursor"] == rebuilt["cursor"]


def test_rolling_the_rendering_forward_gives_the_bytes_a_full_rendering_would(
    anon, alice, bob, make_event, settings, django_assert_num_queries
):
    """Past the second, the rendering is brought forward with only the seats that changed (read
    from the feed) and equals, byte for byte, one made from every seat."""
    from django.core.cache import cache

    from reservations import grids

    settings.SEAT_LOCK_SECONDS = 20  # holds that run out within the minute a rendering is rolled
    event = make_event(150)  # three pieces of the rendering
    seat_ids = list(event.seats.order_by("pk").values_list("pk", flat=True))

    start = timezone.now()
    with time_machine.travel(start, tick=False):
        anon.get(grid_url(event))
        services.hold_seats(user=alice, event_id=event.pk, seat_ids=[seat_ids[0], seat_ids[70]])
        services.hold_seats(user=bob, event_id=event.pk, seat_ids=[seat_ids[1]])
        services.reserve_seats(user=bob, event_id=event.pk, seat_ids=[seat_ids[1]])
        services.change_seat_prices(seat_ids=[seat_ids[99]], price=Decimal("12345.67"))  # a longer seat
    with time_machine.travel(start + timedelta(seconds=21), tick=False):  # alice's holds ran out
        services.hold_seats(user=bob, event_id=event.pk, seat_ids=[seat_ids[2]])
        with django_assert_num_queries(2):  # the grid check and the changed seats: no seat read again
            rolled = anon.get(grid_url(event), HTTP_ACCEPT_ENCODING="gzip")
        kept = grids._shared(grids.Scope(event.pk, None))
        cache.clear()
        with django_assert_num_queries(2):  # the grid check and every seat
            full = anon.get(grid_url(event), HTTP_ACCEPT_ENCODING="gzip")
        made = grids._shared(grids.Scope(event.pk, None))
    assert gzip.decompress(rolled.content) == gzip.decompress(full.content)
    assert made.built_at > kept.built_at
    assert (kept.pieces, kept.deflated, kept.crcs, kept.spans) == (
        made.pieces,
        made.deflated,
        made.crcs,
        made.spans,
    )
    statuses = [seat["status"] for seat in orjson.loads(gzip.decompress(full.content))["seats"][:3]]
    assert statuses == ["available", "reserved", "locked"]


def test_a_worker_takes_the_rendering_from_the_cache_only_when_another_made_a_newer_one(
    anon, alice, event, seat_ids, monkeypatch
):
    from reservations import grids

    anon.get(grid_url(event))
    key = grids._shared_key(grids.Scope(event.pk, None))
    asked, real_get = [], grids.cache.get
    monkeypatch.setattr(grids.cache, "get", lambda name, *args: asked.append(name) or real_get(name, *args))
    first = anon.get(grid_url(event)).json()
    assert asked == [f"{key}:stamp"]  # its own copy is the newest: megabytes neither fetched nor unpickled
    grids._copies.clear()  # as another worker, that has no copy yet
    assert anon.get(grid_url(event)).json()["seats"] == first["seats"]
    assert asked[1:] == [f"{key}:stamp", key]
    assert anon.get(grid_url(event)).json()["seats"] == first["seats"]
    assert asked[3:] == [f"{key}:stamp"]


def test_a_workers_own_copies_are_bounded_by_their_size_the_oldest_dropped_first(anon, make_event, settings):
    from reservations import grids

    events = [make_event(30) for _ in range(3)]
    keys = [grids._shared_key(grids.Scope(event.pk, None)) for event in events]
    grids._copies.clear()
    for event in events:
        anon.get(grid_url(event))
    assert list(grids._copies) == keys  # the default budget holds them all
    sizes = [grids._copies[key].nbytes for key in keys]
    assert min(sizes) > len(anon.get(grid_url(events[0])).content)  # the seats' JSON and more
    grids._copies.clear()  # as another worker
    settings.SEAT_GRID_COPIES_MB = (sizes[1] + sizes[2]) / 2**20
    for event in events:
        anon.get(grid_url(event))
    assert list(grids._copies) == keys[1:]  # the oldest went
    settings.SEAT_GRID_COPIES_MB = 0
    anon.get(grid_url(events[0]))
    assert list(grids._copies) == keys[:1]  # the one in use always stays


def test_a_workers_threads_keep_their_copies_at_once_without_error(make_event, settings):
    # gunicorn's threads of one worker share its copies: one thread weighing them while others
    # add and drop theirs must not fail ("dictionary changed size during iteration": a 500).
    from reservations import grids

    event = make_event(30)
    rendering = grids.SharedGrid.render(
        grids.selectors.FeedState(1, timezone.now(), 0),
        [{"id": seat_id} for seat_id in event.seats.values_list("pk", flat=True)],
    )
    settings.SEAT_GRID_COPIES_MB = 20 * rendering.nbytes / 2**20  # twenty fit: most calls drop one
    grids._copies.clear()
    start = threading.Barrier(8)

    def keep(thread: int) -> None:
        start.wait()
        for turn in range(3000):
            grids._remember(f"key-{thread}-{turn % 40}", rendering)

    with ThreadPoolExecutor(max_workers=8) as pool:
        for done in [pool.submit(keep, thread) for thread in range(8)]:
            done.result()  # raises what the thread raised
    assert 0 < len(grids._copies) <= 20
    grids._copies.clear()


def test_a_reload_with_an_out_of_date_copy_is_served_the_shared_rendering(
    anon, alice, event, seat_ids, django_assert_num_queries
):
    start = timezone.now()
    stale = anon.get(grid_url(event))["ETag"]
    services.lock_seat(user=alice, event_id=event.pk, seat_id=seat_ids[0])
    with time_machine.travel(start + timedelta(seconds=1.1), tick=False):
        fresh = anon.get(grid_url(event))  # renders the new state once, for everyone
        with django_assert_num_queries(2):  # the copy is stale; the shared rendering is current: no seat read
            reloaded = anon.get(grid_url(event), HTTP_IF_NONE_MATCH=stale)
        assert reloaded.status_code == 200 and reloaded["ETag"] == fresh["ETag"]
        assert reloaded.json()["seats"] == fresh.json()["seats"]
        with django_assert_num_queries(1):
            assert anon.get(grid_url(event), HTTP_IF_NONE_MATCH=fresh["ETag"]).status_code == 304
    services.lock_seat(user=alice, event_id=event.pk, seat_id=seat_ids[5])
    with time_machine.travel(start + timedelta(seconds=1.5), tick=False):
        with django_assert_num_queries(3):  # within the second: the change laid over the rendering
            newer = anon.get(grid_url(event), HTTP_IF_NONE_MATCH=fresh["ETag"])
        assert newer.status_code == 200 and newer.json()["seats"][5]["status"] == "locked"
    services.unlock_seat(user=alice, event_id=event.pk, seat_id=seat_ids[0])
    with time_machine.travel(start + timedelta(seconds=2.2), tick=False):
        with django_assert_num_queries(3):  # both out of date: read the seats and render again
            assert (
                anon.get(grid_url(event), HTTP_IF_NONE_MATCH=stale).json()["seats"][0]["status"]
                == "available"
            )


def test_a_viewer_holding_seats_gets_the_shared_rendering_with_their_holds_laid_over(
    anon, alice_api, alice, bob, event, seat_ids, django_assert_num_queries
):
    services.hold_seats(user=bob, event_id=event.pk, seat_ids=[seat_ids[1]])
    services.hold_seats(user=alice, event_id=event.pk, seat_ids=[seat_ids[0], seat_ids[19]])
    everyone = anon.get(grid_url(event)).json()
    alice_api.get("/api/events/")
    with django_assert_num_queries(3):  # token, grid check, her holds: the grid comes from the cache
        mine = alice_api.get(grid_url(event), HTTP_ACCEPT_ENCODING="gzip")
    body = orjson.loads(gzip.decompress(mine.content))
    assert len(body["seats"]) == 20 and body["cursor"] == everyone["cursor"]
    changed = [
        index for index, (a, b) in enumerate(zip(body["seats"], everyone["seats"], strict=True)) if a != b
    ]
    assert changed == [0, 19]  # her two seats, as only she sees them; bob's hold as everyone sees it
    assert body["seats"][0]["locked_by_me"] and body["seats"][0]["locked_until"]
    assert body["seats"][1] == everyone["seats"][1] and body["seats"][1]["status"] == "locked"
    assert alice_api.get(grid_url(event)).json()["seats"] == body["seats"]  # the same, not compressed


# --- Pruning ---------------------------------------------------------------------------------------------


def test_old_changes_are_pruned_and_recent_ones_kept(alice, event, seat_ids, settings):
    for seat_id in seat_ids[:3]:
        services.lock_seat(user=alice, event_id=event.pk, seat_id=seat_id)
    # The trigger stamps rows with the database's clock, which no test can move: age two of them.
    old = timezone.now() - timedelta(seconds=settings.SEAT_FEED_RETENTION_SECONDS + 1)
    SeatChange.objects.filter(seat_id__in=seat_ids[:2]).update(changed_at=old)
    assert services.prune_seat_changes(chunk_size=1) == 2
    assert list(SeatChange.objects.values_list("seat_id", flat=True)) == [seat_ids[2]]


def test_every_kind_of_write_is_logged_but_not_a_write_that_changes_nothing(alice, staff, event, seat_ids):
    services.lock_seat(user=alice, event_id=event.pk, seat_id=seat_ids[0])
    services.reserve_seats(user=alice, event_id=event.pk, seat_ids=[seat_ids[0]])
    services.change_seat_prices(seat_ids=[seat_ids[1]], price=Decimal("5.00"))
    Seat.objects.filter(pk=seat_ids[2]).update(version=7)  # nothing a viewer sees
    Seat.objects.filter(pk=seat_ids[3]).update(price=F("price"), status="available")  # the same values
    Seat.objects.filter(pk=seat_ids[4]).update(locked_until=None)  # NULL to NULL
    logged = list(SeatChange.objects.order_by("pk").values_list("seat_id", flat=True))
    assert logged == [seat_ids[0], seat_ids[0], seat_ids[1]]


# --- Nothing is missed: a write that commits after a poll that began before it ---------------------------


@pytest.mark.postgres
def test_a_write_that_commits_after_a_poll_is_in_the_next_poll(alice, event, seat_ids):
    anon = ApiClient()
    cursor = anon.get(grid_url(event)).json()["cursor"]
    holding, release = threading.Event(), threading.Event()

    def hold_slowly():
        # Another connection: lock the seat inside a transaction, wait for the poll, then commit.
        try:
            from django.db import transaction

            with transaction.atomic():
                services.lock_seat(user=alice, event_id=event.pk, seat_id=seat_ids[7])
                holding.set()
                release.wait(10)
        finally:
            connections.close_all()

    writer = threading.Thread(target=hold_slowly)
    writer.start()
    assert holding.wait(10)
    during = feed(anon, event, cursor).json()
    assert during["seats"] == []  # not committed yet: not visible
    release.set()
    writer.join(10)
    after = feed(anon, event, during["cursor"]).json()
    assert numbers(after) == ["A8"] and after["seats"][0]["status"] == "locked"
