"""Admin: each reservation's tickets with their status and check-in time, "Resend confirmation",
and the door's counts on the event page. The reservations app's admin classes are extended here
(registered again), so that ``reservations`` never imports this app."""

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.html import format_html

from reservations.admin import EventAdmin, ReservationAdmin, each_reservation
from reservations.models import Event, Reservation

from . import selectors, services
from .models import OutgoingEmail, Ticket


class TicketInline(admin.TabularInline):
    model = Ticket
    fields = ["seat", "status", "checked_in_at", "code"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        return False  # tickets are issued with their reservation

    def get_queryset(self, request: HttpRequest) -> QuerySet[Ticket]:
        return super().get_queryset(request).select_related("seat")


class ReservationWithTicketsAdmin(ReservationAdmin):
    inlines = [TicketInline]
    actions = [*ReservationAdmin.actions, "resend_confirmation"]

    @admin.action(description="Resend confirmation e-mail")
    def resend_confirmation(self, request: HttpRequest, queryset: QuerySet[Reservation]) -> None:
        each_reservation(
            self,
            request,
            queryset,
            services.resend_confirmation,
            "Queued {} confirmation e-mail(s).",
        )


class EventWithCheckInAdmin(EventAdmin):
    def get_fields(self, request, obj=None):
        fields = super().get_fields(request, obj)
        return [*fields[:-2], "check_in", *fields[-2:]] if obj else fields

    def get_readonly_fields(self, request, obj=None):
        readonly = super().get_readonly_fields(request, obj)
        return [*readonly, "check_in"] if obj else readonly

    @admin.display(description="Check-in")
    def check_in(self, event: Event) -> str:
        counts = selectors.check_in_counts(event.pk)
        return format_html(
            '{} of {} tickets checked in &middot; <a href="/checkin/{}">Open the door\'s page</a>',
            counts["checked_in"],
            counts["tickets"],
            event.pk,
        )


admin.site.unregister(Reservation)
admin.site.register(Reservation, ReservationWithTicketsAdmin)
admin.site.unregister(Event)
admin.site.register(Event, EventWithCheckInAdmin)


@admin.register(OutgoingEmail)
class OutgoingEmailAdmin(admin.ModelAdmin):
    """The e-mail queue: what is waiting, what failed and why. Nothing is edited here."""

    list_display = ["pk", "kind", "user", "reservation", "created_at", "attempts", "sent_at", "last_error"]
    list_filter = ["kind", ("sent_at", admin.EmptyFieldListFilter)]
    search_fields = ["user__username", "user__email", "message_id"]
    list_select_related = ["user"]
    readonly_fields = [field.name for field in OutgoingEmail._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False
