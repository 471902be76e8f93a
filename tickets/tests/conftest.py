"""Fixtures of the tickets tests: a real SMTP server the mailer sends to, and reservations."""

import pytest

from reservations import services
from tickets.tests.smtp import SmtpServer


@pytest.fixture
def smtp(settings):
    """A running SMTP server, and Django's SMTP backend pointed at it."""
    server = SmtpServer()
    server.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", server.port, 2
    settings.SITE_URL = "https://tickets.example.com"
    yield server
    server.close()


@pytest.fixture
def reserve():
    """Hold and reserve seats for a customer through the services."""

    def make(user, event, *seat_ids):
        services.hold_seats(user=user, event_id=event.pk, seat_ids=list(seat_ids))
        return services.reserve_seats(user=user, event_id=event.pk, seat_ids=list(seat_ids))

    return make
