"""On SQLite the change feed's trigger logged every UPDATE that named a seat's state columns, even
when the values stayed the same; PostgreSQL's logs only real changes. Both log the same now: the
trigger fires only WHEN one of the columns a viewer sees changed (``IS NOT`` treats NULLs as values,
like PostgreSQL's ``IS DISTINCT FROM``)."""

from importlib import import_module

from django.db import migrations

BEFORE = import_module("reservations.migrations.0003_seat_change_feed")

SQLITE_TRIGGER = """
CREATE TRIGGER reservations_seat_changes
AFTER UPDATE OF status, locked_by_id, locked_until, reserved_by_id, price ON reservations_seat
FOR EACH ROW
WHEN (old.status, old.locked_by_id, old.locked_until, old.reserved_by_id, old.price)
     IS NOT (new.status, new.locked_by_id, new.locked_until, new.reserved_by_id, new.price)
BEGIN
    INSERT INTO reservations_seatchange (event_id, section_id, seat_id, txid, changed_at)
    VALUES (new.event_id, new.section_id, new.id,
            (SELECT coalesce(max(txid), 0) + 1 FROM reservations_seatchange),
            strftime('%Y-%m-%d %H:%M:%f', 'now'));
END;
"""


def replace_trigger(new: str):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "sqlite":
            schema_editor.execute("DROP TRIGGER IF EXISTS reservations_seat_changes")
            schema_editor.execute(new)

    return run


class Migration(migrations.Migration):
    dependencies = [("reservations", "0004_idempotent_requests")]

    operations = [
        migrations.RunPython(replace_trigger(SQLITE_TRIGGER), replace_trigger(BEFORE.SQLITE_TRIGGER)),
    ]
