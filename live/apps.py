from django.apps import AppConfig


class LiveConfig(AppConfig):
    """Live seat maps by push: the stream endpoint (GRIP, through Pushpin) and the relay that publishes
    the change feed to it. Follows ``reservations`` through its selectors; never the other way round."""

    name = "live"

    def ready(self) -> None:
        from . import checks  # noqa: F401 - registers the deploy checks
