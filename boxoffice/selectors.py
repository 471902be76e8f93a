"""The box office's reads: the sales report, check-ins over time and the attendee list.

Staff read these while an on-sale runs, so none of them locks anything or holds a transaction open:
the report's seat figures are one aggregate statement (one snapshot, so they add up to the
capacity), and the attendee list is read in chunks from a cursor.
"""

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.db.models import Case, CharField, Count, F, Sum, Value, When
from django.db.models.functions import TruncDate, TruncMinute
from django.utils import timezone

from reservations import selectors as reservation_selectors
from reservations.models import Event, Seat, active_hold_q
from tickets.models import CheckIn, Ticket

ZERO = Decimal("0.00")


@dataclass
class SectionSales:
    name: str
    capacity: int = 0
    sold: int = 0
    revenue: Decimal = ZERO
    held: int = 0
    blocked: int = 0

    @property
    def available(self) -> int:
        return self.capacity - self.sold - self.held - self.blocked


@dataclass
class Report:
    event: Event
    now: datetime
    sections: list[SectionSales]
    sales_by_day: list[tuple[date, int, Decimal]]  # day, tickets, revenue
    checked_in: int
    check_ins: list[tuple[datetime, int]] = field(default_factory=list)  # quarter hours, entries

    capacity = property(lambda self: sum(section.capacity for section in self.sections))
    tickets_sold = property(lambda self: sum(section.sold for section in self.sections))
    revenue = property(lambda self: sum((section.revenue for section in self.sections), ZERO))
    held = property(lambda self: sum(section.held for section in self.sections))
    blocked = property(lambda self: sum(section.blocked for section in self.sections))
    available = property(lambda self: sum(section.available for section in self.sections))


def report(event_id: int, *, with_check_ins: bool = False) -> Report:
    """The event's sales: per section and by day of sale, as of one moment. Sold seats are the
    reserved ones (a cancelled reservation's seats are free again), each at its price; a hold that has
    run out counts as available. Three statements, none of which locks a row."""
    event = reservation_selectors.get_event(event_id)
    now = timezone.now()
    shown = Case(
        When(active_hold_q(now), then=Value("held")),
        When(status=Seat.Status.LOCKED, then=Value("available")),
        default=F("status"),
        output_field=CharField(),
    )
    rows = (
        Seat.objects.filter(event_id=event_id)
        .annotate(shown=shown, day=TruncDate("reserved_at"))
        .values("section__position", "section__name", "shown", "day")
        .annotate(seats=Count("pk"), revenue=Sum("price"))
        .order_by("section__position")
    )
    sections: dict[int, SectionSales] = {}
    days: dict[date, list] = defaultdict(lambda: [0, ZERO])
    for row in rows:
        section = sections.setdefault(row["section__position"], SectionSales(row["section__name"]))
        section.capacity += row["seats"]
        if row["shown"] == Seat.Status.RESERVED:
            section.sold += row["seats"]
            section.revenue += row["revenue"]
            days[row["day"]][0] += row["seats"]
            days[row["day"]][1] += row["revenue"]
        elif row["shown"] == "held":
            section.held += row["seats"]
        elif row["shown"] == Seat.Status.BLOCKED:
            section.blocked += row["seats"]
    checked_in = Ticket.objects.filter(event_id=event_id, status=Ticket.Status.CHECKED_IN).count()
    return Report(
        event=event,
        now=now,
        sections=[sections[position] for position in sorted(sections)],
        sales_by_day=[(day, *days[day]) for day in sorted(days)],
        checked_in=checked_in,
        check_ins=check_ins_by_quarter_hour(event_id) if with_check_ins else [],
    )


def check_ins_by_quarter_hour(event_id: int) -> list[tuple[datetime, int]]:
    """Entries through the door per quarter of an hour (local time), from the first to the last."""
    per_minute = (
        CheckIn.objects.filter(ticket__event_id=event_id)
        .annotate(minute=TruncMinute("at"))
        .values("minute")
        .annotate(entries=Count("pk"))
        .order_by("minute")
    )
    quarters: dict[datetime, int] = defaultdict(int)
    for row in per_minute:
        minute = timezone.localtime(row["minute"])
        quarters[minute.replace(minute=minute.minute - minute.minute % 15)] += row["entries"]
    if not quarters:
        return []
    first, last, step = min(quarters), max(quarters), timedelta(minutes=15)
    return [
        (first + step * index, quarters.get(first + step * index, 0))
        for index in range(int((last - first) / step) + 1)
    ]


ATTENDEE_COLUMNS = (
    "reservation",
    "ticket",
    "section",
    "row",
    "seat",
    "price",
    "username",
    "email",
    "checked_in_at",
)


def attendees(event_id: int) -> Iterator[tuple]:
    """One row per ticket that opens the door (valid or checked in), in ``ATTENDEE_COLUMNS`` order,
    read in chunks (a server-side cursor on PostgreSQL): 50,000 tickets never sit in memory at once."""
    return (
        Ticket.objects.filter(event_id=event_id, status__in=[Ticket.Status.VALID, Ticket.Status.CHECKED_IN])
        .order_by("reservation_id", "pk")
        .values_list(
            "reservation_id",
            "pk",
            "seat__section__name",
            "seat__row",
            "seat__seat_number",
            "seat__price",
            "reservation__user__username",
            "reservation__user__email",
            "checked_in_at",
        )
        .iterator(chunk_size=2000)
    )
