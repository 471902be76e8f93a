"""Read-only drawings of a hall for the admin: seats as small squares in SVG, one ``<path>`` per
colour and section, so that a 50,000-seat hall stays a page of about a megabyte and a few elements
per section. A section turned to face the field (``layouts``) is drawn in a group turned by its
angle around its box's centre: its seats' coordinates are straight, as stored."""

from collections import defaultdict
from collections.abc import Iterable, Sequence

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from .layouts import corners

# Colour-blind-safe palette (Okabe-Ito), for sections and for seat states.
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"]
STATE_COLOURS = {"available": "#009E73", "held": "#E69F00", "reserved": "#6b6b6b", "blocked": "#D55E00"}

Box = tuple[float, float, float, float, float]  # x, y, width, height, angle


def seat_map_svg(
    seats: Iterable[tuple[int, int, str, int]],
    colours: dict[str, str],
    *,
    labels: dict[str, str],
    title: str,
    sections: Sequence[Box],
    stage: dict,
) -> SafeString:
    """``seats`` are (x, y, key, section): each key is drawn in ``colours[key]`` and named in the
    legend by ``labels[key]``, turned with ``sections[section]`` (its box and angle). The field
    (``layouts.stage``: label and box) is drawn where it is."""
    squares: dict[tuple[int, str], list[str]] = defaultdict(list)
    for x, y, key, section in seats:
        squares[section, key].append(f"M{x} {y}h.8v.8h-.8z")
    groups = []
    for index, (x, y, width, height, angle) in enumerate(sections):
        paths = format_html_join(
            "",
            '<path fill="{}" d="{}"><title>{}</title></path>',
            (
                (colours[key], "".join(squares[index, key]), labels[key])
                for key in colours
                if squares[index, key]
            ),
        )
        turn = f"rotate({angle:g} {x + width / 2:g} {y + height / 2:g})" if angle else None
        groups.append(format_html('<g transform="{}">{}</g>', turn, paths) if turn else paths)
    points = [point for box in sections for point in corners(*box)]
    points += corners(stage["x"], stage["y"], stage["width"], stage["height"])
    left, top = min(x for x, _ in points) - 1, min(y for _, y in points) - 1
    right, bottom = max(x for x, _ in points) + 1, max(y for _, y in points) + 1
    legend = format_html_join(
        " ",
        '<span class="legend"><svg width="12" height="12" aria-hidden="true"><rect width="12" height="12" '
        'fill="{}"/></svg> {}</span>',
        ((colours[key], labels[key]) for key in colours),
    )
    label_size = min(stage["height"] * 0.6, stage["width"] / (0.7 * len(stage["label"])), 12)
    return format_html(
        '<figure class="seat-drawing"><svg class="seats" role="img" aria-label="{}" viewBox="{} {} {} {}">'
        '<rect x="{}" y="{}" width="{}" height="{}" fill="#ddd"/>'
        '<text x="{}" y="{}" font-size="{}" text-anchor="middle" dominant-baseline="central">{}</text>'
        "{}</svg><figcaption>{}</figcaption></figure>",
        title,
        f"{left:g}",
        f"{top:g}",
        f"{right - left:g}",
        f"{bottom - top:g}",
        stage["x"],
        stage["y"],
        stage["width"],
        stage["height"],
        f"{stage['x'] + stage['width'] / 2:g}",
        f"{stage['y'] + stage['height'] / 2:g}",
        f"{label_size:.3g}",
        stage["label"],
        format_html_join("", "{}", ((group,) for group in groups)),
        legend,
    )
