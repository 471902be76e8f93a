"""Read-only drawings of a hall for the admin: seats as small squares in SVG, one ``<path>`` per
colour, so that a 50,000-seat hall stays a page of about a megabyte and three elements per colour."""

from collections import defaultdict
from collections.abc import Iterable

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

# Colour-blind-safe palette (Okabe-Ito), for sections and for seat states.
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"]
STATE_COLOURS = {"available": "#009E73", "held": "#E69F00", "reserved": "#6b6b6b", "blocked": "#D55E00"}


def seat_map_svg(
    seats: Iterable[tuple[int, int, str]],
    colours: dict[str, str],
    *,
    labels: dict[str, str],
    title: str,
) -> SafeString:
    """``seats`` are (x, y, key); each key is drawn in ``colours[key]`` and named in the legend by
    ``labels[key]``. The stage is drawn above the seats."""
    squares: dict[str, list[str]] = defaultdict(list)
    width = height = 0
    for x, y, key in seats:
        squares[key].append(f"M{x} {y + 2}h.8v.8h-.8z")
        width, height = max(width, x + 1), max(height, y + 1)
    paths = format_html_join(
        "",
        '<path fill="{}" d="{}"><title>{}</title></path>',
        ((colours[key], "".join(squares[key]), labels[key]) for key in colours if squares[key]),
    )
    legend = format_html_join(
        " ",
        '<span class="legend"><svg width="12" height="12" aria-hidden="true"><rect width="12" height="12" '
        'fill="{}"/></svg> {}</span>',
        ((colours[key], labels[key]) for key in colours),
    )
    stage_x = max(width - 1, 0) / 2
    return format_html(
        '<figure class="seat-drawing"><svg class="seats" role="img" aria-label="{}" viewBox="-1 -1 {} {}">'
        '<rect x="{}" y="0" width="{}" height=".9" fill="#ddd"/>'
        '<text x="{}" y=".7" font-size=".7" text-anchor="middle">STAGE</text>{}</svg>'
        "<figcaption>{}</figcaption></figure>",
        title,
        width + 2,
        height + 4,
        stage_x - width / 4,
        width / 2,
        stage_x,
        paths,
        legend,
    )
