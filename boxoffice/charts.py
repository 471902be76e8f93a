"""The report's charts, drawn on the server as SVG: no script, no library, nothing fetched by the
browser, and a table of the same numbers beside each for screen readers (``report.html``).

Colours are the Okabe-Ito palette of ``reservations.drawing`` (safe for colour-blind readers), and
every part also has a text label, so no figure is told by colour alone.
"""

from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from reservations.drawing import PALETTE, STATE_COLOURS

_WIDTH, _HEIGHT, _LEFT, _BOTTOM, _TOP = 640, 220, 48, 40, 12


@dataclass(frozen=True)
class Bar:
    label: str  # under the bar (a day, a time)
    value: int
    title: str  # the bar's tooltip and accessible text: "3 Dec: 120 tickets, 9,600.00"


def bar_chart(bars: Sequence[Bar], *, title: str, unit: str, colour: str = PALETTE[0]) -> SafeString:
    """Vertical bars with a value axis (0, half, top) and every few labels under them."""
    if not bars:
        return format_html('<p class="chart-empty">{}: none yet.</p>', title)
    top = _nice(max(bar.value for bar in bars))
    plot_w, plot_h = _WIDTH - _LEFT - 8, _HEIGHT - _BOTTOM - _TOP
    step = plot_w / len(bars)
    every = max(1, round(len(bars) / 8))  # at most about eight labels under the axis
    width = min(step * 0.8, 48)  # a bar or two do not fill the chart
    shapes = format_html_join(
        "",
        '<rect x="{}" y="{}" width="{}" height="{}" fill="{}"><title>{}</title></rect>{}',
        (
            (
                _n(_LEFT + (index + 0.5) * step - width / 2),
                _n(_TOP + plot_h - plot_h * bar.value / top),
                _n(width),
                _n(plot_h * bar.value / top),
                colour,
                bar.title,
                format_html(
                    '<text x="{}" y="{}" font-size="11" text-anchor="middle">{}</text>',
                    _n(_LEFT + (index + 0.5) * step),
                    _HEIGHT - _BOTTOM + 16,
                    bar.label,
                )
                if index % every == 0
                else "",
            )
            for index, bar in enumerate(bars)
        ),
    )
    return _figure(title, _axis(top, unit, plot_h) + shapes)


def stacked_bars(
    rows: Sequence[tuple[str, Sequence[tuple[str, int]]]], *, title: str, colours: dict[str, str]
) -> SafeString:
    """One horizontal bar per row (a section), cut into its parts ((state, seats), ...) in
    ``colours``' order, each part as long as its share of the largest row; a legend below."""
    if not rows:
        return format_html('<p class="chart-empty">{}: no seats.</p>', title)
    label_w, bar_h, gap = 130, 18, 8
    longest = max(sum(value for _, value in parts) for _, parts in rows) or 1
    plot_w = _WIDTH - label_w - 8
    height = len(rows) * (bar_h + gap) + 40
    lines = []
    for index, (name, parts) in enumerate(rows):
        y, x = 4 + index * (bar_h + gap), label_w
        lines.append(
            format_html(
                '<text x="{}" y="{}" font-size="12" text-anchor="end">{}</text>',
                label_w - 6,
                y + bar_h - 5,
                name,
            )
        )
        for state, value in parts:
            width = plot_w * value / longest
            if value:
                lines.append(
                    format_html(
                        '<rect x="{}" y="{}" width="{}" height="{}" fill="{}"><title>{}: {} {}'
                        "</title></rect>",
                        _n(x),
                        y,
                        _n(width),
                        bar_h,
                        colours[state],
                        name,
                        f"{value:,}",
                        state,
                    )
                )
            x += width
    legend_y = len(rows) * (bar_h + gap) + 20
    legend = format_html_join(
        "",
        '<rect x="{}" y="{}" width="12" height="12" fill="{}"/><text x="{}" y="{}" font-size="12">{}</text>',
        (
            (label_w + 110 * index, legend_y, colour, label_w + 110 * index + 16, legend_y + 11, state)
            for index, (state, colour) in enumerate(colours.items())
        ),
    )
    return _figure(title, SafeString("".join(lines)) + legend, height=height)


REPORT_COLOURS = {
    "sold": STATE_COLOURS["reserved"],
    "held": STATE_COLOURS["held"],
    "blocked": PALETTE[5],
    "available": STATE_COLOURS["available"],
}


def _figure(title: str, body: SafeString, *, height: int = _HEIGHT) -> SafeString:
    return format_html(
        '<svg class="chart" role="img" aria-label="{}" viewBox="0 0 {} {}" width="{}" height="{}" '
        'xmlns="http://www.w3.org/2000/svg"><title>{}</title>{}</svg>',
        title,
        _WIDTH,
        height,
        _WIDTH,
        height,
        title,
        body,
    )


def _axis(top: int, unit: str, plot_h: int) -> SafeString:
    ticks = format_html_join(
        "",
        '<line x1="{}" x2="{}" y1="{}" y2="{}" stroke="#ccc"/>'
        '<text x="{}" y="{}" font-size="11" text-anchor="end">{}</text>',
        (
            (_LEFT, _WIDTH - 8, _n(y), _n(y), _LEFT - 4, _n(y + 4), f"{value:,}")
            for value, y in ((value, _TOP + plot_h - plot_h * value / top) for value in (0, top // 2, top))
        ),
    )
    return ticks + format_html(
        '<text x="12" y="{}" font-size="11" transform="rotate(-90 12 {})" text-anchor="middle">{}</text>',
        _n(_TOP + plot_h / 2),
        _n(_TOP + plot_h / 2),
        unit,
    )


def _n(value: float) -> str:
    """A coordinate with one decimal (``format_html`` formats its arguments as text)."""
    return f"{value:.1f}"


def _nice(value: int) -> int:
    """The axis' top: ``value`` rounded up to 1, 2 or 5 times a power of ten (at least 1)."""
    scale = 1
    while True:
        for step in (1, 2, 5):
            if value <= step * scale:
                return step * scale
        scale *= 10
