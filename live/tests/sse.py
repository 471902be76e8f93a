"""Open seat maps for the tests (and the benchmark): many Server-Sent Event streams on one asyncio loop in
a thread of its own, each keeping its copy of the grid as the React app does: a message that continues
from its cursor is applied, a repeat of one it has is ignored, and any other is a gap, after which it
reconnects from its cursor (the catch-up comes from the feed)."""

import asyncio
import contextlib
import threading
from dataclasses import dataclass, field

import orjson


@dataclass
class Viewer:
    path: str  # /api/events/<id>/seats/stream/ (with ?section=)
    seats: dict[int, str] = field(default_factory=dict)  # id -> status
    cursor: str | None = None
    messages: int = 0
    gaps: int = 0
    connects: int = 0  # connections made
    opened: int = 0  # streams answered 200 (a crowd connecting at once may meet a 502 first)
    error: str | None = None

    def apply(self, data: dict) -> bool:
        """Apply one message; False when it does not continue from this copy (a gap)."""
        if data.get("full"):
            self.seats = {seat["id"]: seat["status"] for seat in data["seats"]}
        elif data.get("since") is not None and data["since"] == self.cursor:
            self.seats.update({seat["id"]: seat["status"] for seat in data["seats"]})
        else:
            return data.get("cursor") == self.cursor  # one it already has, or a gap
        self.cursor = data["cursor"]
        self.messages += 1
        return True


class Crowd:
    """``viewers`` following their streams at ``host:port`` until ``close()``."""

    def __init__(self, host: str, port: int, viewers: list[Viewer], *, opening: int | None = None):
        self.host, self.port, self.viewers = host, port, viewers
        # At most ``opening`` streams waiting for their answer at once (a crowd of thousands opens
        # its maps over a few seconds, as people arrive, not in one instant).
        self.opening = opening
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()
        self.tasks: list[asyncio.Task] = []
        self.main = asyncio.run_coroutine_threadsafe(self._run(), self.loop)

    async def _run(self) -> None:
        self._opening = asyncio.Semaphore(self.opening) if self.opening else None
        self.tasks = [asyncio.create_task(self._follow(viewer)) for viewer in self.viewers]
        await asyncio.gather(*self.tasks, return_exceptions=True)

    def close(self) -> None:
        self.loop.call_soon_threadsafe(lambda: [task.cancel() for task in self.tasks])
        self.main.result(30)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(10)
        self.loop.close()

    async def _follow(self, viewer: Viewer) -> None:
        while True:
            try:
                await self._stream(viewer)
            except (OSError, asyncio.IncompleteReadError, ValueError) as error:
                viewer.error = repr(error)
            await asyncio.sleep(0.2)  # then reconnect from its cursor, as a browser does

    async def _open(self, viewer: Viewer) -> tuple[asyncio.StreamReader, asyncio.StreamWriter, dict]:
        reader, writer = await asyncio.open_connection(self.host, self.port)
        try:
            resume = f"Last-Event-ID: {viewer.cursor}\r\n" if viewer.cursor else ""
            request = f"GET {viewer.path} HTTP/1.1\r\nHost: {self.host}:{self.port}\r\n"
            writer.write(f"{request}Accept: text/event-stream\r\n{resume}\r\n".encode())
            await writer.drain()
            viewer.connects += 1
            status = await reader.readline()
            if b" 200 " not in status:
                raise ValueError(f"stream answered {status!r}")
            viewer.opened += 1
            headers = {}
            while (line := await reader.readline()) not in (b"\r\n", b""):
                name, _, value = line.decode().partition(":")
                headers[name.strip().lower()] = value.strip()
            return reader, writer, headers
        except BaseException:
            writer.close()
            raise

    async def _stream(self, viewer: Viewer) -> None:
        async with self._opening or contextlib.nullcontext():
            reader, writer, headers = await self._open(viewer)
        try:
            chunked = headers.get("transfer-encoding") == "chunked"
            buffer = b""
            while True:
                if chunked:
                    size = int((await reader.readline()).strip() or b"0", 16)
                    if size == 0:
                        return  # the stream ended (a restart, or "reconnect")
                    buffer += await reader.readexactly(size)
                    await reader.readexactly(2)
                else:
                    data = await reader.read(65536)
                    if not data:
                        return
                    buffer += data
                while b"\n\n" in buffer:
                    block, buffer = buffer.split(b"\n\n", 1)
                    if not self._event(viewer, block):
                        return  # a gap: reconnect from the cursor
        finally:
            writer.close()

    def decode(self, data: str) -> dict:
        """One message's JSON (the benchmark decodes a message once for all its viewers)."""
        return orjson.loads(data)

    def _event(self, viewer: Viewer, block: bytes) -> bool:
        fields = {}
        for line in block.decode().splitlines():
            if line and not line.startswith(":"):
                name, _, value = line.partition(": ")
                fields[name] = value
        if "data" not in fields or fields.get("event") == "reconnect":
            return "data" not in fields
        if not viewer.apply(self.decode(fields["data"])):
            viewer.gaps += 1
            return False
        return True
