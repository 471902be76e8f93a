"""Django admin: staff create and edit events; holds and reservations change only through services."""

from django import forms
from django.contrib import admin, messages
from django.db.models import Prefetch, QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html

from . import selectors, services
from .exceptions import DomainError
from .models import ApiToken, Event, Reservation, Seat


class EventCreationForm(forms.ModelForm):
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
        fields = ["name", "description", "event_date", "location", "seat_price", "total_seats"]

    def clean(self):
        cleaned = super().clean()
        rows, per_row = cleaned.get("rows"), cleaned.get("seats_per_row")
        if rows and per_row:
            cleaned["total_seats"] = rows * per_row
        if not cleaned.get("total_seats"):
            raise forms.ValidationError("Give the total number of seats, or rows and seats per row.")
        return cleaned


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "event_date",
        "location",
        "seat_count",
        "available_count",
        "held_count",
        "reserved_count",
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
        return ["name", "description", "event_date", "location", "seat_price", "total_seats"]

    def get_readonly_fields(self, request, obj=None):
        # Seats are generated once, when the event is created.
        return ["total_seats"] if obj else []

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
            return
        obj.total_seats = form.cleaned_data["total_seats"]
        super().save_model(request, obj, form, change)
        services.add_seats(event=obj, count=obj.total_seats, seats_per_row=form.cleaned_data["seats_per_row"])

    @admin.display(description="Seats", ordering="seat_count")
    def seat_count(self, event: Event) -> int:
        return event.seat_count

    @admin.display(description="Available")
    def available_count(self, event: Event) -> int:
        return event.seat_count - event.held_count - event.reserved_count

    @admin.display(description="Held", ordering="held_count")
    def held_count(self, event: Event) -> int:
        return event.held_count

    @admin.display(description="Reserved", ordering="reserved_count")
    def reserved_count(self, event: Event) -> int:
        return event.reserved_count

    @admin.display(description="")
    def seats_link(self, event: Event) -> str:
        url = reverse("admin:reservations_seat_changelist") + f"?event__id__exact={event.pk}"
        return format_html('<a href="{}">View seats</a>', url)


@admin.register(Seat)
class SeatAdmin(admin.ModelAdmin):
    list_display = [
        "seat_number",
        "event",
        "shown_status",
        "price",
        "locked_by",
        "locked_until",
        "reserved_by",
    ]
    list_filter = ["status", "event"]
    search_fields = ["seat_number", "locked_by__username", "reserved_by__username"]
    list_select_related = ["event", "locked_by", "reserved_by"]
    raw_id_fields = ["event", "locked_by", "reserved_by"]
    ordering = ["event", "pk"]
    list_per_page = 100
    fields = [
        "event",
        "seat_number",
        "row",
        "number",
        "price",
        "status",
        "locked_by",
        "locked_at",
        "locked_until",
        "reserved_by",
        "reserved_at",
    ]
    # Only the price is edited here; holds and reservations change through the actions (services).
    readonly_fields = [field for field in fields if field != "price"]
    actions = ["release_selected_holds", "release_expired_holds"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # seats are generated with their event

    @admin.display(description="Status", ordering="status")
    def shown_status(self, seat: Seat) -> str:
        status = seat.effective_status(timezone.now())
        if seat.status == Seat.Status.LOCKED and status == Seat.Status.AVAILABLE:
            return "Available (hold expired)"
        return Seat.Status(status).label

    @admin.action(description="Release selected holds")
    def release_selected_holds(self, request: HttpRequest, queryset: QuerySet[Seat]) -> None:
        released = services.release_holds(seat_ids=list(queryset.values_list("pk", flat=True)))
        self.message_user(request, f"Released {len(released)} hold(s).", messages.SUCCESS)

    @admin.action(description="Release all expired holds (any event)")
    def release_expired_holds(self, request: HttpRequest, queryset: QuerySet[Seat]) -> None:
        released = services.release_expired_locks()
        self.message_user(request, f"Released {len(released)} expired hold(s).", messages.SUCCESS)


@admin.register(Reservation)
class ReservationAdmin(admin.ModelAdmin):
    list_display = ["id", "user", "event", "seat_list", "status", "total_price", "created_at"]
    list_filter = ["status", "created_at"]
    search_fields = ["=id", "user__username", "event__name"]
    list_select_related = ["user", "event"]
    raw_id_fields = ["user", "event"]
    fields = ["user", "event", "seat_list", "status", "total_price", "created_at", "cancelled_at"]
    readonly_fields = fields
    actions = ["cancel_reservations"]

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
        cancelled = 0
        for reservation_id in queryset.values_list("pk", flat=True):
            try:
                services.cancel_reservation(user=request.user, reservation_id=reservation_id)
            except DomainError as error:
                self.message_user(request, f"#{reservation_id}: {error.message}", messages.ERROR)
            else:
                cancelled += 1
        if cancelled:
            self.message_user(request, f"Cancelled {cancelled} reservation(s).", messages.SUCCESS)


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["user", "created_at", "last_used_at"]
    search_fields = ["user__username"]
    list_select_related = ["user"]
    fields = ["user", "created_at", "last_used_at"]
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # tokens are issued by POST /api/auth/token/ or create_api_token
