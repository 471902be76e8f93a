"""Admin: "On-sales", every event's on-sale time and queue settings with the queue live (waiting,
admitted now, admitted in the last minute). Staff change the rate here during the on-sale: the
admitter uses the new settings from its next step. Saving goes through ``services.configure_sale``."""

from django.contrib import admin
from django.http import HttpRequest
from django.utils import timezone

from reservations.exceptions import DomainError

from . import services
from .models import OnSale


@admin.register(OnSale)
class OnSaleAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "event_date",
        "onsale_at",
        "queue_enabled",
        "queue_per_minute",
        "queue_max_active",
        "waiting",
        "admitted_now",
        "admitted_last_minute",
    ]
    list_editable = ["queue_enabled", "queue_per_minute", "queue_max_active"]
    fields = [
        "name",
        "event_date",
        "onsale_at",
        "queue_enabled",
        "queue_per_minute",
        "queue_max_active",
        "waiting",
        "admitted_now",
        "admitted_last_minute",
        "served",
        "seed",
    ]
    readonly_fields = [
        "name",
        "event_date",
        "waiting",
        "admitted_now",
        "admitted_last_minute",
        "served",
        "seed",
    ]
    ordering = ["event_date"]
    search_fields = ["name"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # events are created under Events

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def get_queryset(self, request: HttpRequest):
        return super().get_queryset(request).filter(event_date__gt=timezone.now())

    def save_model(self, request: HttpRequest, obj: OnSale, form, change: bool) -> None:
        try:
            services.configure_sale(
                event_id=obj.pk,
                onsale_at=obj.onsale_at,
                queue_enabled=obj.queue_enabled,
                per_minute=obj.queue_per_minute,
                max_active=obj.queue_max_active,
            )
        except DomainError as error:
            self.message_user(request, error.message, level="error")

    def _stats(self, event: OnSale):
        if not hasattr(event, "_queue_stats"):
            event._queue_stats = services.queue_stats(event_id=event.pk)
        return event._queue_stats

    @admin.display(description="Waiting")
    def waiting(self, event: OnSale) -> int:
        return self._stats(event).waiting

    @admin.display(description="Admitted now")
    def admitted_now(self, event: OnSale) -> int:
        return self._stats(event).admitted

    @admin.display(description="Admitted in the last minute")
    def admitted_last_minute(self, event: OnSale) -> int:
        return self._stats(event).admitted_last_minute

    @admin.display(description="Places admitted so far")
    def served(self, event: OnSale) -> int:
        return self._stats(event).served

    @admin.display(description="Seed of the random order (drawn at the on-sale)")
    def seed(self, event: OnSale) -> str:
        stats = self._stats(event)
        return (
            f"{stats.seed} (drawn {stats.drawn_at:%Y-%m-%d %H:%M:%S})" if stats.drawn_at else "not drawn yet"
        )
