from django.apps import AppConfig


class TicketsConfig(AppConfig):
    """Tickets for confirmed reservations, their e-mail, and check-in at the door. Follows
    ``reservations`` through its hooks (``reservations.hooks``); never the other way round."""

    name = "tickets"

    def ready(self) -> None:
        from . import receivers  # noqa: F401 - connects the hooks
