"""Talking to Pushpin (GRIP), through the ``gripcontrol`` library: the instructions a stream answer
carries (hold the connection as a stream on these channels, keep it alive), the channel names, the
SSE framing of a message, and publishing to every Pushpin instance of ``PUSH_URL``.
"""

import hashlib
import logging
import threading
from functools import partial

import orjson
from django.conf import settings
from gripcontrol import Channel, GripPubControl, HttpStreamFormat, create_grip_channel_header, validate_sig
from pubcontrol import Item

logger = logging.getLogger("live.push")

# Published items waiting for one Pushpin instance beyond which the relay drops new ones for it (that
# instance is down or slow): its clients see the gap in cursors and catch up from the feed.
MAX_QUEUED = 1000
# Seconds a publish request to one Pushpin instance may take (the library sets none).
PUBLISH_TIMEOUT = 5


def channel_name(event_id: int, section: str | None) -> str:
    """``seats-<event>`` for the whole grid, ``seats-<event>-<hash>`` for one section: any section name
    becomes a name that needs no quoting in a GRIP header."""
    if not section:
        return f"seats-{event_id}"
    return f"seats-{event_id}-{hashlib.blake2b(section.encode(), digest_size=8).hexdigest()}"


def sse_event(message: dict, *, event: str | None = None) -> bytes:
    """One Server-Sent Event: ``id:`` the message's cursor (what a reconnecting browser sends back as
    Last-Event-ID), ``data:`` the message as one line of JSON."""
    lines = []
    if event:
        lines.append(f"event: {event}".encode())
    if message.get("cursor"):
        lines.append(f"id: {message['cursor']}".encode())
    lines.append(b"data: " + orjson.dumps(message))
    return b"\n".join(lines) + b"\n\n"


def hold_stream_headers(channels: list[str]) -> dict[str, str]:
    """The GRIP instructions of a stream answer: Pushpin keeps the connection open, subscribed to
    ``channels``, and sends an SSE comment when it has been idle for ``LIVE_KEEP_ALIVE_SECONDS``."""
    return {
        "Grip-Hold": "stream",
        "Grip-Channel": create_grip_channel_header([Channel(name) for name in channels]),
        "Grip-Keep-Alive": f":\\n\\n; format=cstring; timeout={settings.LIVE_KEEP_ALIVE_SECONDS}",
    }


def is_proxied(meta: dict) -> bool:
    """The request came through Pushpin: it signs every request it forwards (``Grip-Sig``, a JWT with
    an expiry), and with ``PUSH_SIG_KEY`` set the signature must verify with that key and be current
    (gripcontrol's ``validate_sig``), so a forged or replayed header is refused."""
    signature = meta.get("HTTP_GRIP_SIG")
    if not signature:
        return False
    return not settings.PUSH_SIG_KEY or validate_sig(signature, settings.PUSH_SIG_KEY)


class Publisher:
    """Publishes to every Pushpin instance of ``PUSH_URL`` (comma-separated control addresses), each
    from its own background thread (gripcontrol's asynchronous mode, which also sends up to ten
    items in one request): a slow or stopped instance never holds up the relay or the others."""

    def __init__(self, urls: str | None = None):
        urls = settings.PUSH_URL if urls is None else urls
        self.uris = [url.strip().rstrip("/") for url in urls.split(",") if url.strip()]
        self.pub = GripPubControl([{"control_uri": uri} for uri in self.uris])
        for client in self.pub.clients:
            client.requests_session.post = partial(client.requests_session.post, timeout=PUBLISH_TIMEOUT)
        self._lock = threading.Lock()
        self.failures = 0
        self.dropped = 0

    def publish(self, channel: str, content: bytes, *, close: bool = False) -> None:
        formats = HttpStreamFormat(content.decode()) if not close else HttpStreamFormat(close=True)
        item = Item(formats)
        for client in self.pub.clients:
            if len(client.req_queue) > MAX_QUEUED:
                with self._lock:
                    self.dropped += 1
                continue
            client.publish(channel, item, blocking=False, callback=partial(self._sent, client.uri))

    def _sent(self, uri: str, success: bool, message: str) -> None:
        logger.debug("published to %s: %s %s", uri, success, message)
        if not success:
            with self._lock:
                self.failures += 1
            logger.warning("publish to %s failed: %s", uri, message)

    def flush(self) -> None:
        """Wait until everything queued so far has been sent (or has failed)."""
        self.pub.wait_all_sent()

    def close(self) -> None:
        self.pub.close()
