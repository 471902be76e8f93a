"""Venue layouts: a JSON document checked against a JSON Schema, and the seat plan it describes.

A layout lists sections in display order; each has a name, a short code, a price and row groups
("rows A-M, 24 seats, aisle after 12" is one line). Every seat gets a position ``x``, ``y`` in
seat-widths from the venue's top-left, the stage at the top, so that a map can be drawn::

    {"sections": [
        {"name": "Stalls", "code": "S", "price": "85.00",
         "rows": [{"rows": "A-M", "seats": 24, "aisle_after": [12]},
                  {"rows": "N-P", "seats": 20}]},
        {"name": "Circle", "code": "C", "price": "60.00", "gap_before": 2,
         "rows": [{"rows": "A-E", "seats": 30},
                  {"rows": "F", "seats": 30, "wheelchair": [1, 30], "companion": [2, 29]}]}
    ]}

``wheelchair`` and ``companion`` name seat numbers, in every row of their group, that are wheelchair
spaces and the companion seats beside them (best available leaves wheelchair spaces out).

Placement: rows of a section are stacked one per line and centred on its widest row, unless a
row group gives its own ``offset``; an aisle leaves one empty seat-width. Sections are stacked
top to bottom (``gap_before`` empty lines above, default 1) and centred on the widest, unless a
section gives its own ``x``/``y``. Seat numbers run left to right from ``first`` (default 1).

Bowls: a section may give an ``angle`` (degrees, -180 to 180, clockwise as drawn on a screen) by
which its box turns around its centre, so that a stand's blocks face the field; the layout may
name the field, ``"stage": {"label": "PITCH", "x": 60, "y": 60, "width": 266, "height": 158}``
(a box in seat-widths; without one the field is a stage above the seats, half the hall wide,
labelled "Stage"). Seats keep the section's straight coordinates: a block's own map shows its
rows straight with the field at the top, front row first, as a fan reads a block; only the
sections' boxes (``x``, ``y``, ``width``, ``height`` and ``angle``) are turned, by whoever draws
the whole venue (the overview, the admin drawing; ``corners`` gives a box's turned corners).
Two sections never share a seat's place, a turned section keeps clear of the other sections'
boxes, and the field keeps clear of every seat.

``plan(layout)`` is the only place that turns a layout into seats; events created in a venue and
the simple "rows x seats per row" events both go through ``PlannedSection``.
"""

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from jsonschema import Draft202012Validator

MAX_SEATS = 200_000
_ROW_RANGE = r"^([A-Z]{1,3}|[0-9]{1,3})(-([A-Z]{1,3}|[0-9]{1,3}))?$"  # "A-M", "1-20", "AA"
# No control characters ("not" this: a pattern's "$" would let a final new line through).
_PRINTABLE = {"not": {"pattern": r"[\x00-\x1f\x7f]"}}

LAYOUT_SCHEMA = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "required": ["sections"],
    "additionalProperties": False,
    "properties": {
        "sections": {
            "type": "array",
            "minItems": 1,
            "items": {
                "type": "object",
                "required": ["name", "price", "rows"],
                "additionalProperties": False,
                "properties": {
                    "name": {
                        "type": "string",
                        "minLength": 1,
                        "maxLength": 60,
                        **_PRINTABLE,
                    },
                    "code": {"type": "string", "pattern": "^[A-Za-z0-9]{1,6}$"},
                    "price": {"type": "string", "pattern": r"^[0-9]{1,8}\.[0-9]{2}$"},
                    "x": {"type": "integer", "minimum": 0, "maximum": 10_000},
                    "y": {"type": "integer", "minimum": 0, "maximum": 10_000},
                    "angle": {"type": "number", "minimum": -180, "maximum": 180},
                    "gap_before": {"type": "integer", "minimum": 0, "maximum": 100},
                    "rows": {
                        "type": "array",
                        "minItems": 1,
                        "items": {
                            "type": "object",
                            "required": ["rows", "seats"],
                            "additionalProperties": False,
                            "properties": {
                                "rows": {
                                    "oneOf": [
                                        {
                                            "type": "string",
                                            "pattern": _ROW_RANGE,
                                        },
                                        {
                                            "type": "array",
                                            "minItems": 1,
                                            "items": {"type": "string", "pattern": "^[A-Za-z0-9]{1,4}$"},
                                        },
                                    ]
                                },
                                "seats": {"type": "integer", "minimum": 1, "maximum": 500},
                                "first": {"type": "integer", "minimum": 1, "maximum": 9_999},
                                "offset": {"type": "integer", "minimum": 0, "maximum": 1_000},
                                "aisle_after": {
                                    "type": "array",
                                    "items": {"type": "integer", "minimum": 1, "maximum": 10_000},
                                    "uniqueItems": True,
                                },
                                # Seat numbers (in every row of the group) that are wheelchair
                                # spaces, and the companion seats beside them.
                                "wheelchair": {
                                    "type": "array",
                                    "items": {"type": "integer", "minimum": 1, "maximum": 10_000},
                                    "uniqueItems": True,
                                },
                                "companion": {
                                    "type": "array",
                                    "items": {"type": "integer", "minimum": 1, "maximum": 10_000},
                                    "uniqueItems": True,
                                },
                            },
                        },
                    },
                },
            },
        },
        "stage": {
            "type": "object",
            "required": ["label", "x", "y", "width", "height"],
            "additionalProperties": False,
            "properties": {
                "label": {"type": "string", "minLength": 1, "maxLength": 20, **_PRINTABLE},
                # May lie above or left of seats placed from 0.
                "x": {"type": "integer", "minimum": -1_000, "maximum": 10_000},
                "y": {"type": "integer", "minimum": -1_000, "maximum": 10_000},
                "width": {"type": "integer", "minimum": 1, "maximum": 10_000},
                "height": {"type": "integer", "minimum": 1, "maximum": 10_000},
            },
        },
    },
}

_VALIDATOR = Draft202012Validator(LAYOUT_SCHEMA)


class LayoutError(ValueError):
    """A layout that cannot be used; the message names the place ("Section 2 (Circle), row group 1: ...")."""


@dataclass(frozen=True)
class PlannedSeat:
    row: str
    number: int
    x: int
    y: int
    accessibility: str | None = None  # "wheelchair" or "companion"


@dataclass(frozen=True)
class PlannedSection:
    name: str
    code: str
    price: Decimal
    seats: list[PlannedSeat]
    angle: float = 0  # degrees clockwise, around the box's centre

    @property
    def box(self) -> tuple[int, int, int, int]:
        """x, y, width, height of the section's seats, in seat-widths (before turning by ``angle``)."""
        xs = [seat.x for seat in self.seats]
        ys = [seat.y for seat in self.seats]
        return min(xs), min(ys), max(xs) - min(xs) + 1, max(ys) - min(ys) + 1


def corners(x: float, y: float, width: float, height: float, angle: float = 0) -> list[tuple[float, float]]:
    """The corners of a box turned by ``angle`` degrees clockwise (y grows downwards, as on a
    screen) around its centre: top-left, top-right, bottom-right, bottom-left before turning."""
    turn = math.radians(angle)
    cos, sin = math.cos(turn), math.sin(turn)
    cx, cy = x + width / 2, y + height / 2
    return [
        (cx + dx * cos - dy * sin, cy + dx * sin + dy * cos)
        for dx, dy in (
            (-width / 2, -height / 2),
            (width / 2, -height / 2),
            (width / 2, height / 2),
            (-width / 2, height / 2),
        )
    ]


def overlap(a: Sequence[tuple[float, float]], b: Sequence[tuple[float, float]]) -> bool:
    """Two convex shapes (corners in order) share more than an edge: no side of either separates
    them (the separating axis test)."""
    for shape in (a, b):
        for (x1, y1), (x2, y2) in zip(shape, [*shape[1:], shape[0]], strict=True):
            nx, ny = y1 - y2, x2 - x1
            first = [nx * x + ny * y for x, y in a]
            second = [nx * x + ny * y for x, y in b]
            if max(first) <= min(second) + 1e-9 or max(second) <= min(first) + 1e-9:
                return False
    return True


def stage(given: dict | None, boxes: Sequence[tuple[int, int, int, int]]) -> dict:
    """The field as the API and the drawings give it: the layout's ``stage``, or a stage above the
    sections' boxes, half the hall wide, labelled "Stage" (what every hall had before layouts could
    name it)."""
    if given:
        return {key: given[key] for key in ("label", "x", "y", "width", "height")}
    left = min((x for x, _, _, _ in boxes), default=0)
    top = min((y for _, y, _, _ in boxes), default=0)
    width = max((x + w for x, _, w, _ in boxes), default=2) - left
    return {"label": "Stage", "x": left + width // 4, "y": top - 3, "width": max(width // 2, 1), "height": 2}


def seat_number(section: PlannedSection, seat: PlannedSeat, *, single: bool) -> str:
    """ "A1" in a one-section hall, "101-C7" (the section's code first) where there are several.
    A row named by digits keeps a dash before the seat ("12-7"), or row 1 seat 11 and row 11 seat
    1 would both be "111"."""
    place = f"{seat.row}-{seat.number}" if seat.row[-1].isdigit() else f"{seat.row}{seat.number}"
    return place if single else f"{section.code}-{place}"


def seat_count(sections: list[PlannedSection]) -> int:
    return sum(len(section.seats) for section in sections)


def row_label(index: int) -> str:
    """0 -> "A", 25 -> "Z", 26 -> "AA": spreadsheet-style row names for any number of rows."""
    label = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        label = chr(ord("A") + remainder) + label
    return label


def _label_index(label: str) -> int:
    index = 0
    for character in label:
        index = index * 26 + ord(character) - ord("A") + 1
    return index - 1


def _row_labels(spec: str | list[str]) -> list[str]:
    if isinstance(spec, list):
        return spec
    first, _, last = spec.partition("-")
    last = last or first
    if first.isdigit() != last.isdigit():
        raise LayoutError(f'"{spec}" mixes letters and numbers.')
    if first.isdigit():
        labels = [str(number) for number in range(int(first), int(last) + 1)]
    else:
        labels = [row_label(index) for index in range(_label_index(first), _label_index(last) + 1)]
    if not labels:
        raise LayoutError(f'"{spec}" is an empty range: write it first to last.')
    return labels


def simple_plan(*, total_seats: int, seats_per_row: int, price: Decimal) -> list[PlannedSection]:
    """One section, "Main": ``total_seats`` in rows of ``seats_per_row`` ("A1".."A10", "B1"..)."""
    seats = []
    for index in range(total_seats):
        row_index, seat_index = divmod(index, seats_per_row)
        seats.append(PlannedSeat(row_label(row_index), seat_index + 1, seat_index, row_index))
    return [PlannedSection("Main", "M", price, seats)] if seats else []


def plan(layout: object) -> list[PlannedSection]:
    """The seats of a layout, placed. Raises LayoutError naming the place of the first problem."""
    problem = next(iter(sorted(_VALIDATOR.iter_errors(layout), key=lambda error: list(error.path))), None)
    if problem is not None:
        raise LayoutError(f"{_place(layout, list(problem.absolute_path))}: {_say(problem)}")
    sections = layout["sections"]
    if len(sections) > 1:
        _check_codes(sections)
    names = [section["name"] for section in sections]
    for index, name in enumerate(names):
        if names.index(name) != index:
            raise LayoutError(f'Section {index + 1} ({name}): the name "{name}" is used twice.')

    shapes = [_section_shape(index, section) for index, section in enumerate(sections)]
    hall_width = max(width for width, _, _ in shapes)
    planned, taken, y = [], {}, 0
    for index, (section, (width, height, rows)) in enumerate(zip(sections, shapes, strict=True)):
        y = section.get("y", y + (section.get("gap_before", 1) if index else 0))
        x = section.get("x", (hall_width - width) // 2)
        seats = [PlannedSeat(row, number, x + dx, y + dy, access) for row, number, dx, dy, access in rows]
        for seat in seats if not section.get("angle") else []:  # turned ones: by their boxes, below
            where = taken.setdefault((seat.x, seat.y), (section["name"], seat))
            if where[1] is not seat:
                raise LayoutError(
                    f"Section {index + 1} ({section['name']}), row {seat.row} seat {seat.number}: "
                    f"takes the place of {where[0]} row {where[1].row} seat {where[1].number}."
                )
        planned.append(
            PlannedSection(
                section["name"],
                section.get("code", ""),
                Decimal(section["price"]),
                seats,
                section.get("angle", 0),
            )
        )
        y += height
    if sum(len(section.seats) for section in planned) > MAX_SEATS:
        raise LayoutError(f"The layout has more than {MAX_SEATS:,} seats.")
    _check_clearances(planned, layout.get("stage"))
    return planned


def _section_shape(index: int, section: dict) -> tuple[int, int, list[tuple[str, int, int, int, str | None]]]:
    """Width, height and (row, number, dx, dy, accessibility) of each seat, relative to the
    section's top-left."""
    lines, labels = [], []
    for group_index, group in enumerate(section["rows"]):
        place = f"Section {index + 1} ({section['name']}), row group {group_index + 1}"
        try:
            group_labels = _row_labels(group["rows"])
        except LayoutError as error:
            raise LayoutError(f"{place}: {error}") from None
        first = group.get("first", 1)
        numbers = range(first, first + group["seats"])
        aisles = sorted(group.get("aisle_after", []))
        outside = [number for number in aisles if number not in numbers or number == numbers[-1]]
        if outside:
            raise LayoutError(
                f"{place}: an aisle after seat {outside[0]} is not between two seats of the row."
            )
        offsets = [number - first + sum(1 for aisle in aisles if aisle < number) for number in numbers]
        access = _accessibility(place, group, numbers)
        for label in group_labels:
            if label in labels:
                raise LayoutError(f'{place}: row "{label}" is already in this section.')
            labels.append(label)
            lines.append((label, list(numbers), offsets, group.get("offset"), access))
    width = max(offsets[-1] + 1 + (offset or 0) for _, _, offsets, offset, _ in lines)
    seats = []
    for dy, (label, numbers, offsets, offset, access) in enumerate(lines):
        start = offset if offset is not None else (width - offsets[-1] - 1) // 2
        seats += [
            (label, number, start + dx, dy, access.get(number))
            for number, dx in zip(numbers, offsets, strict=True)
        ]
    return width, len(lines), seats


def _accessibility(place: str, group: dict, numbers: range) -> dict[int, str]:
    """Seat number -> "wheelchair" or "companion", for the row group's ``wheelchair`` and
    ``companion`` lists (each a seat of the row, and no seat in both)."""
    found: dict[int, str] = {}
    for kind in ("wheelchair", "companion"):
        for number in group.get(kind, []):
            if number not in numbers:
                raise LayoutError(f"{place}: {kind} seat {number} is not a seat of the row.")
            if number in found:
                raise LayoutError(f"{place}: seat {number} is both a wheelchair space and a companion seat.")
            found[number] = kind
    return found


def _check_clearances(sections: list[PlannedSection], field: dict | None) -> None:
    """A turned section keeps clear of every other section's box, and the field of every seat
    (straight sections were checked seat by seat)."""
    shapes = [corners(*section.box, section.angle) for section in sections]
    for index, (section, shape) in enumerate(zip(sections, shapes, strict=True)):
        for other in range(index):
            if (section.angle or sections[other].angle) and overlap(shape, shapes[other]):
                raise LayoutError(
                    f"Section {index + 1} ({section.name}): its box overlaps "
                    f"Section {other + 1} ({sections[other].name})."
                )
    if field is None:
        return
    ground = corners(field["x"], field["y"], field["width"], field["height"])
    for index, (section, shape) in enumerate(zip(sections, shapes, strict=True)):
        if not overlap(ground, shape):
            continue
        if section.angle or any(overlap(ground, corners(seat.x, seat.y, 1, 1)) for seat in section.seats):
            raise LayoutError(f'"stage": the field covers seats of Section {index + 1} ({section.name}).')


def _check_codes(sections: list[dict]) -> None:
    codes: dict[str, str] = {}
    for index, section in enumerate(sections):
        code = section.get("code")
        if not code:
            raise LayoutError(
                f"Section {index + 1} ({section['name']}): a hall with several sections needs a "
                '"code" per section (1-6 letters or digits), the prefix of its seat numbers ("S-A1").'
            )
        if code.upper() in codes:
            other = codes[code.upper()]
            raise LayoutError(
                f'Section {index + 1} ({section["name"]}): the code "{code}" is used by {other} too.'
            )
        codes[code.upper()] = section["name"]


def _place(layout: object, path: list) -> str:
    """A JSON path as a person would say it: "Section 2 (Circle), row group 1, seats"."""
    words, node = [], layout
    for step, key in enumerate(path):
        node = node[key] if isinstance(node, dict | list) else None
        if path[step - 1 : step] == ["sections"] and isinstance(key, int):
            name = node.get("name") if isinstance(node, dict) else None
            words.append(f"Section {key + 1}" + (f" ({name})" if isinstance(name, str) else ""))
        elif path[step - 1 : step] == ["rows"] and isinstance(key, int):
            words.append(f"row group {key + 1}")
        elif key not in ("sections", "rows") or step == len(path) - 1:
            words.append(f'"{key}"' if isinstance(key, str) else f"item {key + 1}")
    return ", ".join(words) or "The layout"


def _say(problem) -> str:
    if problem.validator == "required":
        return re.sub(r"^'(\w+)' is a required property$", r'"\1" is missing', problem.message)
    if problem.validator == "additionalProperties":
        return problem.message.replace("Additional properties are not allowed", "unknown field")
    if problem.validator == "pattern":
        return f"{problem.instance!r} is not in the expected form"
    if problem.validator == "not":
        return f"{problem.instance!r} has a control character (a new line, a tab)"
    if problem.validator == "oneOf":
        return 'write rows as "A-M", "1-20" or a list of labels'
    return problem.message
