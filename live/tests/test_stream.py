"""The stream of a live seat map, with Django's test client (no Pushpin): the GRIP instructions, the
first event (what the client missed since its cursor), resuming, bad input; and the relay's steps
with a publisher that records what it would send."""

import base64
import configparser
import time
from datetime import timedelta

import jwt
import orjson
import pytest
import time_machine
from django.utils import timezone

from live import push, pushpin, services
from live.models import Channel
from reservations import services as seat_services
from reservations.models import Venue
from reservations.tests.helpers import assert_error

# Each write commits on its own, as in production (see reservations/tests/test_feed.py).
pytestmark = pytest.mark.django_db(transaction=True)

PUSH = "http://127.0.0.1:9"  # never reached: these tests record what the relay publishes
PROXIED = {"HTTP_GRIP_SIG": "signed-by-pushpin"}


class RecordingPublisher:
    def __init__(self):
        self.sent: list[tuple[str, bytes, bool]] = []

    def publish(self, channel: str, content: bytes, *, close: bool = False) -> None:
        self.sent.append((channel, content, close))

    def messages(self, channel: str) -> list[dict]:
        return [parse(content)[0] for name, content, close in self.sent if name == channel and not close]


def parse(body: bytes) -> list[dict]:
    """The events of an SSE body: each ``{"id", "event", "data"}``."""
    events = []
    for block in body.decode().split("\n\n"):
        fields = dict(line.split(": ", 1) for line in block.splitlines() if line and not line.startswith(":"))
        if fields:
            events.append(
                {"id": fields.get("id"), "event": fields.get("event"), "data": orjson.loads(fields["data"])}
            )
    return events


def stream_url(event) -> str:
    return f"/api/events/{event.pk}/seats/stream/"


@pytest.fixture
def push_on(settings):
    settings.PUSH_URL = PUSH


@pytest.fixture
def relay():
    return RecordingPublisher()


def open_stream(client, event, **extra):
    response = client.get(stream_url(event), **{**PROXIED, **extra})
    assert response.status_code == 200, response.content
    (first,) = parse(response.content)
    return response, first


def test_without_push_url_the_stream_answers_unavailable(anon, event, settings):
    settings.PUSH_URL = ""
    assert_error(anon.get(stream_url(event), **PROXIED), 503, "unavailable")


def test_a_request_that_did_not_come_through_pushpin_answers_unavailable(anon, event, push_on):
    body = assert_error(anon.get(stream_url(event)), 503, "unavailable")
    assert "poll" in body["error"]


SIG_KEY = "the-key-pushpin-signs-requests-with"


def grip_sig(key: str = SIG_KEY, *, expires_in: int = 3600) -> str:
    """A Grip-Sig as Pushpin makes it: a JWT (HS256) with its issuer and an expiry."""
    return jwt.encode({"iss": "pushpin", "exp": int(time.time()) + expires_in}, key, algorithm="HS256")


def extended(signature: str) -> str:
    """An expired Grip-Sig whose claims were changed to a later expiry, its signature kept."""
    header, _, sig = signature.split(".")
    claims = base64.urlsafe_b64encode(orjson.dumps({"iss": "pushpin", "exp": int(time.time()) + 3600}))
    return f"{header}.{claims.decode().rstrip('=')}.{sig}"


@pytest.fixture
def signed(settings, push_on):
    settings.PUSH_SIG_KEY = SIG_KEY


def test_with_a_signing_key_a_request_pushpin_signed_is_held_open(anon, event, signed):
    response = anon.get(stream_url(event), HTTP_GRIP_SIG=grip_sig())
    assert response.status_code == 200, response.content
    assert response["Grip-Hold"] == "stream"
    assert Channel.objects.filter(event=event).exists()


@pytest.mark.parametrize(
    "signature",
    [
        pytest.param(lambda: grip_sig("another-key-that-is-not-pushpins-own"), id="forged"),
        pytest.param(lambda: grip_sig(expires_in=-60), id="expired"),
        pytest.param(lambda: jwt.encode({"iss": "pushpin"}, SIG_KEY, algorithm="HS256"), id="no-expiry"),
        pytest.param(lambda: "signed-by-pushpin", id="not-a-jwt"),
        pytest.param(lambda: extended(grip_sig(expires_in=-60)), id="expiry-changed"),
    ],
)
def test_with_a_signing_key_a_forged_or_expired_grip_sig_answers_unavailable_and_changes_nothing(
    anon, event, signed, signature
):
    body = assert_error(anon.get(stream_url(event), HTTP_GRIP_SIG=signature()), 503, "unavailable")
    assert "poll" in body["error"]
    assert not Channel.objects.exists()


def test_the_pushpin_started_here_signs_with_push_sig_key(settings, tmp_path):
    settings.PUSH_SIG_KEY = SIG_KEY
    config = configparser.RawConfigParser(strict=False)
    config.read(pushpin.write_config(folder=tmp_path, port=8000, control_port=5561, route="127.0.0.1:8001"))
    assert config["proxy"]["sig_key"] == SIG_KEY


def test_the_answer_holds_the_stream_on_the_events_channel_and_sends_the_whole_grid(anon, event, push_on):
    response, first = open_stream(anon, event, HTTP_ACCEPT_ENCODING="gzip")
    assert response["Content-Type"] == "text/event-stream"
    assert response["Grip-Hold"] == "stream"
    assert response["Grip-Channel"] == f"seats-{event.pk}"
    assert response["Grip-Keep-Alive"] == ":\\n\\n; format=cstring; timeout=20"
    assert response.get("Content-Encoding") == "identity"  # Pushpin appends plain events to it
    assert "no-cache" in response["Cache-Control"]
    data = first["data"]
    assert data["full"] is True and data["since"] is None and len(data["seats"]) == 20
    assert first["id"] == data["cursor"] and data["event_id"] == event.pk


def test_a_reconnect_with_last_event_id_gets_only_what_changed(anon, alice, event, seat_ids, push_on):
    _, first = open_stream(anon, event)
    seat_services.lock_seat(user=alice, event_id=event.pk, seat_id=seat_ids[3])
    _, again = open_stream(anon, event, HTTP_LAST_EVENT_ID=first["id"])
    data = again["data"]
    assert data["full"] is False and data["since"] == first["id"]
    (seat,) = data["seats"]
    assert seat["id"] == seat_ids[3] and seat["status"] == "locked"
    assert seat["locked_by_me"] is False and seat["locked_until"] is None  # anonymous, whoever asks


def test_since_in_the_query_resumes_like_last_event_id(anon, alice, event, seat_ids, push_on):
    _, first = open_stream(anon, event)
    seat_services.lock_seat(user=alice, event_id=event.pk, seat_id=seat_ids[0])
    response = anon.get(stream_url(event), {"since": first["id"]}, **PROXIED)
    assert [seat["id"] for seat in parse(response.content)[0]["data"]["seats"]] == [seat_ids[0]]


@pytest.mark.parametrize(
    "cursor",
    [
        "",
        "garbage",
        "eyJub3QiOiJhIGN1cnNvciJ9",
        "W1sxXV0",
        "WzEsMSxudWxsLDk5OTk5OTk5OTk5OSwxLDBd",
        "x" * 5000,
    ],
)
def test_a_malformed_or_forged_last_event_id_gets_the_whole_grid(anon, event, push_on, cursor):
    _, first = open_stream(anon, event, HTTP_LAST_EVENT_ID=cursor)
    assert first["data"]["full"] is True and len(first["data"]["seats"]) == 20


def test_unknown_events_and_sections_are_not_found(anon, event, push_on):
    assert_error(anon.get("/api/events/999999/seats/stream/", **PROXIED), 404, "not_found")
    assert_error(anon.get(stream_url(event), {"section": "Nowhere"}, **PROXIED), 404, "not_found")
    assert not Channel.objects.exists()


@pytest.fixture
def hall():
    layout = {
        "sections": [
            {"name": "Stalls", "code": "S", "price": "10.00", "rows": [{"rows": "A", "seats": 3}]},
            {"name": "Circle", "code": "C", "price": "5.00", "rows": [{"rows": "A", "seats": 3}]},
        ]
    }
    venue = Venue.objects.create(name="Hall", layout=layout)
    return seat_services.create_event(name="Gig", event_date=timezone.now() + timedelta(days=1), venue=venue)


def test_a_section_stream_has_its_own_channel_and_only_its_seats(anon, hall, push_on):
    response, first = open_stream(anon, hall, QUERY_STRING="section=Circle")
    assert response["Grip-Channel"] == push.channel_name(hall.pk, "Circle") != f"seats-{hall.pk}"
    assert {seat["section"] for seat in first["data"]["seats"]} == {"Circle"}


# --- The relay ---------------------------------------------------------------------------------------


def test_the_relay_publishes_a_change_once_continuing_from_the_streams_cursor(
    anon, alice, event, seat_ids, push_on, relay
):
    _, first = open_stream(anon, event)
    assert services.relay_tick(publisher=relay).messages == 0  # nothing changed
    seat_services.lock_seat(user=alice, event_id=event.pk, seat_id=seat_ids[5])
    seat_services.lock_seat(user=alice, event_id=event.pk, seat_id=seat_ids[6])
    assert services.relay_tick(publisher=relay).messages == 1  # both changes merged in one message
    assert services.relay_tick(publisher=relay).messages == 0
    (message,) = relay.messages(f"seats-{event.pk}")
    assert message["data"]["since"] == first["id"] and message["id"] == message["data"]["cursor"]
    assert [seat["id"] for seat in message["data"]["seats"]] == seat_ids[5:7]
    assert all(
        seat["status"] == "locked" and seat["locked_until"] is None for seat in message["data"]["seats"]
    )
    # The cursor of a message is one to resume from: a reconnect with it has nothing new.
    _, again = open_stream(anon, event, HTTP_LAST_EVENT_ID=message["id"])
    assert again["data"]["full"] is False and again["id"] == message["id"]
    assert anon.get(f"/api/events/{event.pk}/seats/", {"since": message["id"]}).json()["full"] is False


def test_a_hold_that_runs_out_by_time_is_published(anon, alice, event, seat_ids, push_on, relay):
    open_stream(anon, event)
    seat_services.lock_seat(user=alice, event_id=event.pk, seat_id=seat_ids[0])
    services.relay_tick(publisher=relay)
    with time_machine.travel(timezone.now() + timedelta(seconds=301)):
        assert services.relay_tick(publisher=relay).messages == 1  # nothing was written
    last = relay.messages(f"seats-{event.pk}")[-1]["data"]
    assert [(seat["id"], seat["status"]) for seat in last["seats"]] == [(seat_ids[0], "available")]


def test_a_section_channel_gets_only_its_sections_changes(anon, alice, hall, push_on, relay):
    _, circle = open_stream(anon, hall, QUERY_STRING="section=Circle")
    _, whole = open_stream(anon, hall)
    stalls = hall.seats.get(seat_number="S-A1").pk
    seat_services.lock_seat(user=alice, event_id=hall.pk, seat_id=stalls)
    services.relay_tick(publisher=relay)
    assert relay.messages(push.channel_name(hall.pk, "Circle")) == []
    assert relay.messages(f"seats-{hall.pk}")[0]["data"]["since"] == whole["id"]
    seat_services.lock_seat(user=alice, event_id=hall.pk, seat_id=hall.seats.get(seat_number="C-A2").pk)
    services.relay_tick(publisher=relay)
    (message,) = relay.messages(push.channel_name(hall.pk, "Circle"))
    assert message["data"]["since"] == circle["id"]  # no gap: the first change made no message here
    assert [seat["seat_number"] for seat in message["data"]["seats"]] == ["C-A2"]


def test_a_step_is_published_once_however_many_relays_run(anon, alice, event, seat_ids, push_on):
    open_stream(anon, event)
    seat_services.lock_seat(user=alice, event_id=event.pk, seat_id=seat_ids[0])
    first, second = RecordingPublisher(), RecordingPublisher()
    now = timezone.now()
    # Both read the same channels before either claims the step.
    wanted = services.live_selectors.wanted_channels(now)[event.pk]
    since = services.live_selectors.read_state(wanted[0])
    assert services._relay_event(first, event.pk, since, wanted, now) == (1, 1)
    assert services._relay_event(second, event.pk, since, wanted, now) == (0, 0)
    assert second.sent == []


def test_a_restarted_relay_continues_where_the_last_one_stopped(anon, alice, event, seat_ids, push_on):
    open_stream(anon, event)
    seat_services.lock_seat(user=alice, event_id=event.pk, seat_id=seat_ids[0])
    before = RecordingPublisher()
    services.relay_tick(publisher=before)
    seat_services.lock_seat(user=alice, event_id=event.pk, seat_id=seat_ids[1])
    after = RecordingPublisher()  # a new process: everything it knows is in the database
    services.relay_tick(publisher=after)
    (last,) = after.messages(f"seats-{event.pk}")
    assert last["data"]["since"] == before.messages(f"seats-{event.pk}")[0]["id"]
    assert [seat["id"] for seat in last["data"]["seats"]] == [seat_ids[1]]


def test_a_channel_opened_while_the_relay_moved_on_still_gets_every_change(anon, alice, hall, push_on, relay):
    open_stream(anon, hall)
    seat_services.lock_seat(user=alice, event_id=hall.pk, seat_id=hall.seats.get(seat_number="C-A1").pk)
    now = timezone.now()
    wanted = services.live_selectors.wanted_channels(now)[hall.pk]  # the relay read its channels...
    _, circle = open_stream(anon, hall, QUERY_STRING="section=Circle")  # ...then a new one opened
    since = services.live_selectors.read_state(wanted[0])
    services._relay_event(relay, hall.pk, since, wanted, now)
    services.relay_tick(publisher=relay)  # the new channel is behind: read from where it started
    (message,) = relay.messages(push.channel_name(hall.pk, "Circle"))
    assert message["data"]["since"] == circle["id"]
    assert [seat["seat_number"] for seat in message["data"]["seats"]] == ["C-A1"]


def test_an_idle_channel_gets_a_fresh_cursor_before_the_feed_forgets_its_own(anon, event, push_on, relay):
    _, first = open_stream(anon, event)
    with time_machine.travel(timezone.now() + timedelta(seconds=451)):
        assert services.relay_tick(publisher=relay).messages == 1
    (message,) = relay.messages(f"seats-{event.pk}")
    assert message["data"]["seats"] == [] and message["data"]["since"] == first["id"]
    assert message["id"] != first["id"]


def test_a_channel_nobody_opens_is_dropped_after_its_streams_are_told_to_reconnect(
    anon, event, push_on, relay, settings
):
    open_stream(anon, event)
    later = timezone.now() + timedelta(seconds=settings.LIVE_CHANNEL_SECONDS + 1)
    with time_machine.travel(later):
        assert services.relay_tick(publisher=relay).events == 0
        assert services.drop_lapsed_channels(publisher=relay) == 1
    (reconnect, close) = relay.sent
    assert parse(reconnect[1])[0]["event"] == "reconnect" and close[2] is True
    assert not Channel.objects.exists()


def test_a_stream_request_keeps_its_channel_wanted_with_few_writes(
    anon, event, push_on, django_assert_num_queries
):
    open_stream(anon, event)
    wanted = Channel.objects.get().wanted_until
    with time_machine.travel(timezone.now() + timedelta(seconds=60)):
        open_stream(anon, event)  # well within its life: not written again
        assert Channel.objects.get().wanted_until == wanted
    with time_machine.travel(timezone.now() + timedelta(seconds=600)):
        open_stream(anon, event)
        assert Channel.objects.get().wanted_until > wanted


def test_the_publisher_sends_to_every_pushpin_of_push_url():
    publisher = push.Publisher("http://127.0.0.1:5561, http://10.0.0.2:5561/")
    try:
        assert publisher.uris == ["http://127.0.0.1:5561", "http://10.0.0.2:5561"]
        assert len(publisher.pub.clients) == 2
    finally:
        publisher.close()
