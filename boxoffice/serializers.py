"""The box office's JSON shapes (``schemas``), from history rows and ``selectors.Report``."""

from typing import Any

from django.conf import settings

from reservations.models import SeatHistory
from reservations.serializers import money

from .selectors import Report


def history_json(entry: SeatHistory) -> dict[str, Any]:
    return {
        "at": entry.at,
        "action": entry.action,
        "user": entry.user.username if entry.user else None,
        "by": entry.by.username if entry.by else None,
        "via": entry.via,
        "reason": entry.reason,
    }


def report_json(report: Report) -> dict[str, Any]:
    return {
        "capacity": report.capacity,
        "tickets_sold": report.tickets_sold,
        "revenue": money(report.revenue),
        "currency": settings.CURRENCY,
        "checked_in": report.checked_in,
        "blocked": report.blocked,
        "held": report.held,
        "available": report.available,
        "sections": [
            {
                "name": section.name,
                "capacity": section.capacity,
                "sold": section.sold,
                "revenue": money(section.revenue),
                "held": section.held,
                "blocked": section.blocked,
                "available": section.available,
            }
            for section in report.sections
        ],
        "sales_by_day": [
            {"date": day, "tickets": tickets, "revenue": money(revenue)}
            for day, tickets, revenue in report.sales_by_day
        ],
    }
