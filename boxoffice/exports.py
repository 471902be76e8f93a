"""The attendee list as CSV, streamed, and safe to open in a spreadsheet."""

import csv
from collections.abc import Iterable, Iterator
from datetime import datetime
from decimal import Decimal

from django.http import StreamingHttpResponse
from django.utils import timezone

from . import selectors

# A cell that starts with one of these is read as a formula by Excel, LibreOffice and Google Sheets
# (OWASP, "CSV Injection"): such text gets a leading apostrophe, which shows it as the text it is.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")


def cell(value: object) -> str:
    """One value as a CSV cell: money with two places, times in ISO 8601 (local time), and any text
    that a spreadsheet would take for a formula defused."""
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    if isinstance(value, datetime):
        return timezone.localtime(value).isoformat()
    text = str(value)
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


class _Line:
    """A file-like object for ``csv.writer`` that hands back each line instead of keeping it."""

    def write(self, line: str) -> str:
        return line


# Lines handed to the server at once: one write per line made the server's writes half the time of
# a 50,000-ticket download (bench/README.md, issue 21).
_LINES_PER_CHUNK = 500


def csv_lines(header: Iterable[str], rows: Iterable[Iterable[object]]) -> Iterator[str]:
    """The CSV text of ``header`` and ``rows``, in chunks of whole lines."""
    writer = csv.writer(_Line())
    chunk = [writer.writerow(header)]
    for row in rows:
        chunk.append(writer.writerow([cell(value) for value in row]))
        if len(chunk) == _LINES_PER_CHUNK:
            yield "".join(chunk)
            chunk = []
    if chunk:
        yield "".join(chunk)


def attendees_csv(event_id: int, filename: str) -> StreamingHttpResponse:
    """The event's attendees (``selectors.attendees``) as a streamed ``text/csv`` download."""
    lines = csv_lines(selectors.ATTENDEE_COLUMNS, selectors.attendees(event_id))
    response = StreamingHttpResponse(lines, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response
