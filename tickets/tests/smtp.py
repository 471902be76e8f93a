"""A real SMTP server for the tests: aiosmtpd on a loopback socket bound here (no race for a port),
keeping every message it accepts; it can stop answering and start again on the same address."""

import asyncio
import socket
import threading
from email import message_from_bytes, policy
from email.message import EmailMessage

from aiosmtpd.controller import Controller


class Inbox:
    """aiosmtpd's handler: the accepted messages, parsed. ``hold`` makes the next DATA wait until
    ``release`` (a message in the middle of being sent)."""

    def __init__(self):
        self.messages: list[EmailMessage] = []
        self._lock = threading.Lock()
        self.hold, self.holding, self.release = False, threading.Event(), threading.Event()

    async def handle_DATA(self, server, session, envelope) -> str:
        if self.hold:
            self.holding.set()
            self.release.wait(30)
            return "451 Not now"
        with self._lock:
            self.messages.append(message_from_bytes(envelope.content, policy=policy.default))
        return "250 Message accepted for delivery"

    def message_ids(self) -> list[str]:
        with self._lock:
            return [message["Message-ID"] for message in self.messages]


class SmtpServer(Controller):
    def __init__(self):
        self.inbox = Inbox()
        self._socket = socket.create_server(("127.0.0.1", 0))
        super().__init__(self.inbox, hostname="127.0.0.1", port=self._socket.getsockname()[1])

    def start(self) -> None:
        if self.loop.is_closed():  # stopped before: aiosmtpd closed its loop
            self.loop = asyncio.new_event_loop()
        super().start()

    def _create_server(self):
        # A copy of the socket each time: stopping closes the copy, the address stays ours. While
        # stopped, connections wait unanswered (a hung server) until the client's timeout.
        return self.loop.create_server(self._factory_invoker, sock=self._socket.dup())

    def close(self) -> None:
        """Stop, if running, and give the address up."""
        if self._thread is not None:
            self.stop()
        self._socket.close()
