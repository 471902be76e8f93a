"""Check the seat invariants; exit non-zero and list offenders when any is broken."""

from django.core.management.base import BaseCommand, CommandError

from reservations.selectors import invariant_violations


class Command(BaseCommand):
    help = (
        "Checks that no seat is in two live reservations, every reserved seat is in exactly one "
        "confirmed reservation of its owner, every held seat has a holder and an expiry, and every "
        "reservation total equals its seats' prices. Exits 1 and lists offenders otherwise."
    )

    def handle(self, *args, **options):
        broken = {name: ids for name, ids in invariant_violations().items() if ids}
        if not broken:
            self.stdout.write(self.style.SUCCESS("All seat invariants hold."))
            return
        for name, ids in broken.items():
            shown = ", ".join(map(str, ids[:50])) + (" ..." if len(ids) > 50 else "")
            self.stdout.write(self.style.ERROR(f"{name}: {len(ids)} offender(s): {shown}"))
        raise CommandError(f"{len(broken)} invariant(s) broken.")
