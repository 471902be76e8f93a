"""The box office in the admin: each event's report page (sales, seats by state, check-ins, with
charts drawn on the server) and its attendee list as CSV, added to the events' admin.

``reservations`` knows nothing of this app, so the events' admin is registered again here with the
report's page, link and action added to whatever is registered now (``tickets`` adds the door's
counts the same way; this app comes after it in ``INSTALLED_APPS``).
"""

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html

from reservations.models import Event
from reservations.money import format_money

from . import charts, exports, selectors

EventAdmin = type(admin.site.get_model_admin(Event))


class BoxOfficeEventAdmin(EventAdmin):
    list_display = [*EventAdmin.list_display, "report_link"]
    actions = ["download_attendees"]

    def get_urls(self):
        report = self.admin_site.admin_view(self.report_view)
        attendees = self.admin_site.admin_view(self.attendees_view)
        return [
            path("<int:event_id>/report/", report, name="reservations_event_report"),
            path("<int:event_id>/attendees.csv", attendees, name="reservations_event_attendees"),
            *super().get_urls(),
        ]

    @admin.display(description="")
    def report_link(self, event: Event) -> str:
        return format_html(
            '<a href="{}">Report</a>', reverse("admin:reservations_event_report", args=[event.pk])
        )

    def report_view(self, request: HttpRequest, event_id: int) -> HttpResponse:
        event = get_object_or_404(Event, pk=event_id)
        if not self.has_view_permission(request, event):
            raise PermissionDenied
        report = selectors.report(event.pk, with_check_ins=True)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "original": event,
            "title": f"Report: {event}",
            "report": report,
            "charts": report_charts(report),
            "attendees_url": reverse("admin:reservations_event_attendees", args=[event.pk]),
        }
        return TemplateResponse(request, "admin/boxoffice/report.html", context)

    def attendees_view(self, request: HttpRequest, event_id: int) -> StreamingHttpResponse:
        event = get_object_or_404(Event, pk=event_id)
        if not self.has_view_permission(request, event):
            raise PermissionDenied
        return exports.attendees_csv(event.pk, f"attendees-{event.pk}.csv")

    @admin.action(description="Download the attendee list (CSV) of the selected event")
    def download_attendees(self, request: HttpRequest, queryset: QuerySet[Event]):
        events = list(queryset[:2])
        if len(events) != 1:
            self.message_user(request, "Choose one event: its attendees are one CSV file.", "error")
            return None
        return exports.attendees_csv(events[0].pk, f"attendees-{events[0].pk}.csv")


def report_charts(report: selectors.Report) -> dict[str, str]:
    """The report page's three charts: sales by day, seats by state per section, check-ins."""
    sold = charts.bar_chart(
        [
            charts.Bar(
                f"{day:%d %b}", tickets, f"{day:%d %b %Y}: {tickets:,} tickets, {format_money(revenue)}"
            )
            for day, tickets, revenue in report.sales_by_day
        ],
        title="Tickets sold by day",
        unit="tickets",
    )
    sections = charts.stacked_bars(
        [
            (
                section.name,
                [
                    ("sold", section.sold),
                    ("held", section.held),
                    ("blocked", section.blocked),
                    ("available", section.available),
                ],
            )
            for section in report.sections
        ],
        title="Seats by section: sold, held, blocked, available",
        colours=charts.REPORT_COLOURS,
    )
    entries = charts.bar_chart(
        [
            charts.Bar(f"{at:%H:%M}", count, f"{at:%d %b %H:%M}: {count:,} in")
            for at, count in report.check_ins
        ],
        title="Check-ins per quarter hour",
        unit="entries",
        colour=charts.PALETTE[2],
    )
    return {"sold": sold, "sections": sections, "entries": entries}


admin.site.unregister(Event)
admin.site.register(Event, BoxOfficeEventAdmin)
