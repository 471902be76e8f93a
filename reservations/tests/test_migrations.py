"""Migrations that move data: events made before venues get a "Main" section and seat positions."""

from datetime import timedelta

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE, AFTER = ("reservations", "0001_initial"), ("reservations", "0002_venues_and_sections")


def migrate(target=None):
    """Migrate to ``target`` (None: the latest migrations) and return the models as they are there."""
    executor = MigrationExecutor(connection)
    targets = [target] if target else executor.loader.graph.leaf_nodes()
    executor.migrate(targets)
    executor.loader.build_graph()
    return executor.loader.project_state(targets).apps


def test_existing_events_get_a_main_section_laid_out_as_they_were_drawn():
    old = migrate(BEFORE)
    Event, Seat = old.get_model("reservations", "Event"), old.get_model("reservations", "Seat")
    event = Event.objects.create(name="Old", event_date=timezone.now() + timedelta(days=1), location="X")
    rows = ["A", "B", "AA"]  # "AA" comes after "Z", not after "A"
    Seat.objects.bulk_create(
        Seat(event=event, seat_number=f"{row}{n}", row=row, number=n, price=5)
        for row in rows
        for n in (1, 2, 3)
    )
    try:
        new = migrate(AFTER)
        Section = new.get_model("reservations", "Section")
        section = Section.objects.get(event_id=event.pk)
        assert (section.name, section.position, section.width, section.height) == ("Main", 0, 3, 3)
        seats = new.get_model("reservations", "Seat").objects.filter(event_id=event.pk)
        assert dict(seats.values_list("seat_number", "section_id")) == {
            s: section.pk for s in seats.values_list("seat_number", flat=True)
        }
        places = {number: (x, y) for number, x, y in seats.values_list("seat_number", "x", "y")}
        assert places["A1"] == (0, 0) and places["B3"] == (2, 1) and places["AA2"] == (1, 2)
    finally:
        migrate()


def change_feed_triggers() -> int:
    sql = (
        "SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND name = 'reservations_seat_changes'"
        if connection.vendor == "sqlite"
        else "SELECT count(*) FROM pg_trigger WHERE tgname = 'reservations_seat_changes'"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return cursor.fetchone()[0]


@pytest.mark.parametrize("target", ["0006_usernames_unique_ignoring_case", "0004_idempotent_requests"])
def test_the_change_feed_trigger_survives_going_back(target):
    # On SQLite, undoing a migration that changes the seats table rebuilds it, and the rebuilt table
    # has no triggers until the migration makes the change feed's again.
    try:
        migrate(("reservations", target))
        assert change_feed_triggers() == 1
    finally:
        migrate()
    assert change_feed_triggers() == 1
