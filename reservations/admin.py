"""Django admin: staff create and edit events; holds and reservations change only through services."""

from collections.abc import Callable
from decimal import Decimal
from functools import partial

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.forms import AdminAuthenticationForm
from django.db.models import Prefetch, QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from . import drawing, layouts, ratelimit, selectors, services
from .exceptions import DomainError, RateLimited
from .models import ApiToken, Event, Reservation, Seat, SeatHistory, Venue, shown_status
from .money import format_money

ADMIN = SeatHistory.Via.ADMIN


class LimitedAdminLoginForm(AdminAuthenticationForm):
    """The admin's login counts failed attempts like the API's doors (``reservations.ratelimit``:
    Django's ``user_login_failed``) and refuses an address, or an account from an address, that has
    used up its attempts, before the password is checked."""

    def clean(self):
        try:
            ratelimit.check_login_allowed(self.request, self.cleaned_data.get("username") or "")
        except RateLimited as error:
            raise forms.ValidationError(error.message, code="rate_limited") from None
        return super().clean()


admin.site.login_form = LimitedAdminLoginForm

EXAMPLE_LAYOUT = {
    "sections": [
        {
            "name": "Stalls",
            "code": "S",
            "price": "85.00",
            "rows": [
                {"rows": "A-M", "seats": 24, "aisle_after": [12]},
                {"rows": "N-P", "seats": 20},
            ],
        },
        {
            "name": "Circle",
            "code": "C",
            "price": "60.00",
            "gap_before": 2,
            "rows": [{"rows": "A-F", "seats": 30}],
        },
    ]
}


class VenueForm(forms.ModelForm):
    class Meta:
        model = Venue
        fields = ["name", "address", "layout"]
        widgets = {"layout": forms.Textarea(attrs={"rows": 24, "cols": 100, "class": "layout-editor"})}
        help_texts = {
            "layout": mark_safe(
                "Sections in display order (stage at the top). Each: <code>name</code>, <code>price</code> "
                '("85.00"), <code>code</code> (1-6 letters or digits, the seat-number prefix when there are '
                "several sections), optional <code>gap_before</code> (empty lines above, default 1) or "
                "<code>x</code>/<code>y</code>, and <code>rows</code>: groups such as "
                '<code>{"rows": "A-M", "seats": 24, "aisle_after": [12]}</code> (optional '
                "<code>first</code> seat number, <code>offset</code> from the left; rows are centred "
                "otherwise). Events already created in this venue keep their seats when the layout changes."
            )
        }


class DrawingMedia:
    css = {"all": ["reservations/admin.css"]}  # the seat drawings' styles (drawing.py)


@admin.register(Venue)
class VenueAdmin(admin.ModelAdmin):
    Media = DrawingMedia
    form = VenueForm
    list_display = ["name", "address", "section_count", "seat_count"]
    search_fields = ["name", "address"]
    readonly_fields = ["drawing"]
    fields = ["name", "address", "layout", "drawing"]

    def get_changeform_initial_data(self, request: HttpRequest) -> dict:
        return {"layout": EXAMPLE_LAYOUT}

    @staticmethod
    def _plan(venue: Venue) -> list[layouts.PlannedSection]:
        try:
            return layouts.plan(venue.layout)
        except layouts.LayoutError:
            return []

    @admin.display(description="Sections")
    def section_count(self, venue: Venue) -> int:
        return len(venue.layout.get("sections", [])) if isinstance(venue.layout, dict) else 0

    @admin.display(description="Seats")
    def seat_count(self, venue: Venue) -> int:
        return sum(len(section.seats) for section in self._plan(venue))

    @admin.display(description="Drawing")
    def drawing(self, venue: Venue) -> str:
        sections = self._plan(venue) if venue.pk else []
        if not sections:
            return "Save a valid layout to see the drawing."
        keys = [str(index) for index in range(len(sections))]
        return drawing.seat_map_svg(
            (
                (seat.x, seat.y, key, index)
                for index, (key, section) in enumerate(zip(keys, sections, strict=True))
                for seat in section.seats
            ),
            {key: drawing.PALETTE[int(key) % len(drawing.PALETTE)] for key in keys},
            labels={
                key: f"{section.name}: {len(section.seats)} seats at {format_money(section.price)}"
                for key, section in zip(keys, sections, strict=True)
            },
            title=f"Seats of {venue.name} by section",
            sections=[(*section.box, section.angle) for section in sections],
            stage=layouts.stage(venue.layout.get("stage"), [section.box for section in sections]),
        )


class EventCreationForm(forms.ModelForm):
    venue = forms.ModelChoiceField(
        Venue.objects.all(),
        required=False,
        help_text="Seats, sections and prices come from the venue's layout. Leave empty to give rows below.",
    )
    location = forms.CharField(max_length=200, required=False, help_text="Defaults to the venue's name.")
    total_seats = forms.IntegerField(
        min_value=1, required=False, help_text="Seats to generate, in rows of 'Seats per row'."
    )
    rows = forms.IntegerField(
        min_value=1,
        required=False,
        help_text="Number of rows. Leave empty to lay out 'Total seats' in rows.",
    )
    seats_per_row = forms.IntegerField(min_value=1, initial=services.SEATS_PER_ROW_DEFAULT)

    class Meta:
        model = Event
        fields = ["name", "description", "event_date", "venue", "location", "seat_price", "total_seats"]

    def clean(self):
        cleaned = super().clean()
        venue = cleaned.get("venue")
        if venue is not None:
            cleaned["location"] = cleaned.get("location") or venue.name
        else:
            if not cleaned.get("location"):
                self.add_error("location", "Give the location, or choose a venue.")
            rows, per_row = cleaned.get("rows"), cleaned.get("seats_per_row")
            if rows and per_row:
                cleaned["total_seats"] = rows * per_row
            if not cleaned.get("total_seats"):
                raise forms.ValidationError("Give the total number of seats, or rows and seats per row.")
        try:  # the same plan services.create_event will make
            services.seat_plan(
                venue=venue,
                total_seats=cleaned.get("total_seats") or 0,
                seats_per_row=cleaned.get("seats_per_row") or services.SEATS_PER_ROW_DEFAULT,
                seat_price=cleaned.get("seat_price") or Decimal("0"),
            )
        except DomainError as error:
            raise forms.ValidationError(error.message) from None
        return cleaned


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    Media = DrawingMedia
    list_display = [
        "name",
        "event_date",
        "location",
        "seat_count",
        "available_count",
        "held_count",
        "reserved_count",
        "blocked_count",
        "seats_link",
    ]
    search_fields = ["name", "location"]
    list_filter = ["event_date"]
    date_hierarchy = "event_date"
    ordering = ["event_date"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Event]:
        return selectors.events_with_counts()

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is None:
            kwargs["form"] = EventCreationForm
        return super().get_form(request, obj, change=change, **kwargs)

    def get_fields(self, request, obj=None):
        if obj is None:
            return [*EventCreationForm.Meta.fields, "rows", "seats_per_row"]
        return [
            "name",
            "description",
            "event_date",
            "location",
            "venue",
            "total_seats",
            "sections_table",
            "seat_drawing",
        ]

    def get_readonly_fields(self, request, obj=None):
        # Seats are generated once, when the event is created.
        return ["venue", "total_seats", "sections_table", "seat_drawing"] if obj else []

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)  # name, description, date, location
            return
        data = form.cleaned_data
        event = services.create_event(
            name=data["name"],
            description=data["description"],
            event_date=data["event_date"],
            location=data["location"],
            venue=data["venue"],
            total_seats=data.get("total_seats") or 0,
            seats_per_row=data.get("seats_per_row") or services.SEATS_PER_ROW_DEFAULT,
            seat_price=data["seat_price"],
        )
        # The admin goes on with ``obj`` (its log entry, the redirect): make it the event created.
        for field in Event._meta.concrete_fields:
            setattr(obj, field.attname, getattr(event, field.attname))
        obj._state.adding, obj._state.db = False, event._state.db

    @admin.display(description="Sections")
    def sections_table(self, event: Event) -> str:
        rows = format_html_join(
            "",
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{} - {}</td></tr>",
            (
                (
                    section.name,
                    section.seat_count,
                    section.seat_count - section.held_count - section.reserved_count - section.blocked_count,
                    section.held_count,
                    section.reserved_count,
                    section.blocked_count,
                    format_money(section.min_price) if section.min_price is not None else "",
                    format_money(section.max_price) if section.max_price is not None else "",
                )
                for section in selectors.sections_with_counts(event.pk)
            ),
        )
        return format_html(
            "<table><thead><tr><th>Section</th><th>Seats</th><th>Available</th><th>Held</th>"
            "<th>Reserved</th><th>Blocked</th><th>Price</th></tr></thead><tbody>{}</tbody></table>",
            rows,
        )

    @admin.display(description="Seat states")
    def seat_drawing(self, event: Event) -> str:
        now = timezone.now()
        boxes = list(
            event.sections.order_by("position").values_list("id", "x", "y", "width", "height", "angle")
        )
        place = {section_id: index for index, (section_id, *_) in enumerate(boxes)}
        seats = (
            (x, y, shown_status(status, until, now).replace("locked", "held"), place[section_id])
            for x, y, status, until, section_id in event.seats.values_list(
                "x", "y", "status", "locked_until", "section_id"
            ).iterator(5000)
        )
        return drawing.seat_map_svg(
            seats,
            drawing.STATE_COLOURS,
            labels={key: key.capitalize() for key in drawing.STATE_COLOURS},
            title=f"Seat states of {event.name}",
            sections=[box for _, *box in boxes],
            stage=layouts.stage(event.stage, [box[:4] for _, *box in boxes]),
        )

    @admin.display(description="Seats", ordering="seat_count")
    def seat_count(self, event: Event) -> int:
        return event.seat_count

    @admin.display(description="Available")
    def available_count(self, event: Event) -> int:
        return event.seat_count - event.held_count - event.reserved_count - event.blocked_count

    @admin.display(description="Held", ordering="held_count")
    def held_count(self, event: Event) -> int:
        return event.held_count

    @admin.display(description="Reserved", ordering="reserved_count")
    def reserved_count(self, event: Event) -> int:
        return event.reserved_count

    @admin.display(description="Blocked", ordering="blocked_count")
    def blocked_count(self, event: Event) -> int:
        return event.blocked_count

    @admin.display(description="")
    def seats_link(self, event: Event) -> str:
        url = reverse("admin:reservations_seat_changelist") + f"?event__id__exact={event.pk}"
        return format_html('<a href="{}">View seats</a>', url)


class SeatPriceForm(forms.ModelForm):
    """The seat's change form: only the price can change, and only through
    ``services.change_seat_prices``, which locks the row and refuses a held or reserved seat.

    The service runs while the form is validated, so that its refusal is shown on the field. The
    admin validates and saves in one transaction, so nothing it writes outlives a later error."""

    class Meta:
        model = Seat
        fields = ["price"]

    def clean_price(self):
        price = self.cleaned_data["price"]
        try:
            services.change_seat_prices(seat_ids=[self.instance.pk], price=price)
        except DomainError as error:
            raise forms.ValidationError(error.message) from None
        return price


@admin.register(Seat)
class SeatAdmin(admin.ModelAdmin):
    form = SeatPriceForm
    list_display = [
        "seat_number",
        "event",
        "section",
        "shown_status",
        "accessibility",
        "price",
        "locked_by",
        "locked_until",
        "reserved_by",
    ]
    list_filter = ["status", "accessibility", "event"]
    search_fields = ["seat_number", "locked_by__username", "reserved_by__username"]
    list_select_related = ["event", "section", "locked_by", "reserved_by"]
    raw_id_fields = ["event", "section", "locked_by", "reserved_by"]
    ordering = ["event", "pk"]
    list_per_page = 100
    fields = [
        "event",
        "section",
        "seat_number",
        "row",
        "number",
        "x",
        "y",
        "price",
        "accessibility",
        "status",
        "locked_by",
        "locked_at",
        "locked_until",
        "reserved_by",
        "reserved_at",
        "history_table",
    ]
    # Only the price is edited here (SeatPriceForm); holds, blocks and reservations change through
    # the actions (services).
    readonly_fields = [field for field in fields if field != "price"]
    actions = ["block_selected", "unblock_selected", "release_selected_holds", "release_expired_holds"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # seats are generated with their event

    def save_model(self, request, obj, form, change):
        pass  # the price was written by the service while the form was validated; nothing else changes

    @admin.display(description="Status", ordering="status")
    def shown_status(self, seat: Seat) -> str:
        status = seat.effective_status(timezone.now())
        if seat.status == Seat.Status.LOCKED and status == Seat.Status.AVAILABLE:
            return "Available (hold expired)"
        return Seat.Status(status).label

    @admin.display(description="History")
    def history_table(self, seat: Seat) -> str:
        """Everything that happened to the seat, oldest first (``selectors.seat_history``)."""
        rows = format_html_join(
            "",
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            (
                (
                    f"{timezone.localtime(entry.at):%Y-%m-%d %H:%M:%S}",
                    entry.get_action_display(),
                    entry.user.username if entry.user else "",
                    entry.by.username if entry.by else "system",
                    entry.get_via_display(),
                    entry.reason,
                )
                for entry in selectors.seat_history(seat.event_id, seat.pk)
            ),
        )
        return format_html(
            '<table class="seat-history"><thead><tr><th>When</th><th>What</th><th>Customer</th><th>By</th>'
            "<th>Via</th><th>Why</th></tr></thead><tbody>{}</tbody></table>",
            rows or format_html('<tr><td colspan="6">{}</td></tr>', "Nothing has happened to this seat yet."),
        )

    @admin.action(description="Block selected seats (hold back from sale)")
    def block_selected(self, request: HttpRequest, queryset: QuerySet[Seat]) -> None:
        each_event(self, request, queryset, services.block_seats, "Blocked {} seat(s).")

    @admin.action(description="Unblock selected seats (put on sale)")
    def unblock_selected(self, request: HttpRequest, queryset: QuerySet[Seat]) -> None:
        each_event(self, request, queryset, services.unblock_seats, "Unblocked {} seat(s).")

    @admin.action(description="Release selected holds")
    def release_selected_holds(self, request: HttpRequest, queryset: QuerySet[Seat]) -> None:
        released = services.release_holds(
            seat_ids=list(queryset.values_list("pk", flat=True)), by=request.user, via=ADMIN
        )
        self.message_user(request, f"Released {len(released)} hold(s).", messages.SUCCESS)

    @admin.action(description="Release all expired holds (any event)")
    def release_expired_holds(self, request: HttpRequest, queryset: QuerySet[Seat]) -> None:
        released = services.release_expired_locks(by=request.user, via=ADMIN)
        self.message_user(request, f"Released {len(released)} expired hold(s).", messages.SUCCESS)


@admin.register(Reservation)
class ReservationAdmin(admin.ModelAdmin):
    list_display = ["id", "user", "event", "seat_list", "status", "total", "created_at"]
    list_filter = ["status", "created_at"]
    search_fields = ["=id", "user__username", "event__name"]
    list_select_related = ["user", "event"]
    raw_id_fields = ["user", "event"]
    fields = ["user", "event", "seat_list", "status", "total", "created_at", "cancelled_at"]
    readonly_fields = fields
    actions = ["cancel_reservations"]

    @admin.display(description="Total", ordering="total_price")
    def total(self, reservation: Reservation) -> str:
        return format_money(reservation.total_price)

    def get_queryset(self, request: HttpRequest) -> QuerySet[Reservation]:
        return (
            super()
            .get_queryset(request)
            .prefetch_related(Prefetch("seats", queryset=Seat.objects.order_by("pk")))
        )

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # customers reserve through the app or the API

    @admin.display(description="Seats")
    def seat_list(self, reservation: Reservation) -> str:
        return ", ".join(seat.seat_number for seat in reservation.seats.all())

    @admin.action(description="Cancel selected reservations")
    def cancel_reservations(self, request: HttpRequest, queryset: QuerySet[Reservation]) -> None:
        each_reservation(
            self,
            request,
            queryset,
            partial(services.cancel_reservation, via=ADMIN),
            "Cancelled {} reservation(s).",
        )


def each_reservation(
    model_admin: admin.ModelAdmin,
    request: HttpRequest,
    queryset: QuerySet[Reservation],
    act: Callable[..., object],
    done: str,
) -> None:
    """An admin action on each selected reservation: ``act(user=<staff>, reservation_id=...)``, a
    service; each refusal is reported with its reservation, then how many succeeded (``done`` with
    ``{}`` for the number)."""
    succeeded = 0
    for reservation_id in queryset.values_list("pk", flat=True):
        try:
            act(user=request.user, reservation_id=reservation_id)
        except DomainError as error:
            model_admin.message_user(request, f"#{reservation_id}: {error.message}", messages.ERROR)
        else:
            succeeded += 1
    if succeeded:
        model_admin.message_user(request, done.format(succeeded), messages.SUCCESS)


def each_event(
    model_admin: admin.ModelAdmin,
    request: HttpRequest,
    queryset: QuerySet[Seat],
    act: Callable[..., int],
    done: str,
) -> None:
    """An admin action on the selected seats, event by event (all or none in each):
    ``act(by=<staff>, event_id=..., seat_ids=..., via="admin")``, a service returning how many seats
    it changed; each refusal is reported with its event, then the total (``done``)."""
    by_event: dict[int, list[int]] = {}
    for seat_id, event_id in queryset.order_by("pk").values_list("pk", "event_id"):
        by_event.setdefault(event_id, []).append(seat_id)
    changed = 0
    for event_id, seat_ids in by_event.items():
        try:
            changed += act(by=request.user, event_id=event_id, seat_ids=seat_ids, via=ADMIN)
        except DomainError as error:
            model_admin.message_user(request, f"Event #{event_id}: {error.message}", messages.ERROR)
    model_admin.message_user(request, done.format(changed), messages.SUCCESS)


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["user", "created_at", "last_used_at"]
    search_fields = ["user__username"]
    list_select_related = ["user"]
    fields = ["user", "created_at", "last_used_at"]
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # tokens are issued by POST /api/auth/token/ or create_api_token
