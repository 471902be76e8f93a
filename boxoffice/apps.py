from django.apps import AppConfig


class BoxOfficeConfig(AppConfig):
    """The box office: blocking seats, every seat's history, the sales report with its charts and the
    attendee list. Reads through ``reservations``' and ``tickets``' selectors and writes only through
    ``reservations.services`` (so that no write can skip a seat's history); neither knows this app."""

    name = "boxoffice"
    verbose_name = "Box office"
