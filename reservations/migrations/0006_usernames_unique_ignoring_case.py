"""Usernames are unique ignoring case: a unique index on lower(username) of Django's user table, so
that "alice" and "Alice" can never both exist, even when they register at the same moment.

Accounts that already clash stop the migration with a list of them to settle first (rename or
merge in the admin), rather than an index error that names nothing.
"""

from django.conf import settings
from django.db import migrations, models
from django.db.models.functions import Lower

CONSTRAINT = models.UniqueConstraint(Lower("username"), name="username_unique_ignoring_case")


def add_constraint(apps, schema_editor):
    users = apps.get_model(*settings.AUTH_USER_MODEL.split("."))
    clashes = (
        users.objects.annotate(folded=Lower("username"))
        .values("folded")
        .annotate(count=models.Count("pk"))
        .filter(count__gt=1)
        .values_list("folded", flat=True)
    )
    if clashes:
        names = {
            folded: sorted(users.objects.filter(username__iexact=folded).values_list("username", flat=True))
            for folded in clashes
        }
        listing = "; ".join(", ".join(group) for group in names.values())
        raise RuntimeError(
            f"Usernames that differ only in case must be settled before this migration: {listing}. "
            "Rename all but one of each group (admin, Users), then run migrate again."
        )
    schema_editor.add_constraint(users, CONSTRAINT)


def remove_constraint(apps, schema_editor):
    schema_editor.remove_constraint(apps.get_model(*settings.AUTH_USER_MODEL.split(".")), CONSTRAINT)


class Migration(migrations.Migration):
    dependencies = [
        ("reservations", "0005_sqlite_feed_trigger_logs_real_changes"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [migrations.RunPython(add_constraint, remove_constraint)]
