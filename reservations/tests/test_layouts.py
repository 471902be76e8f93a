"""Venue layouts: validation that names the place, and where every seat goes."""

from decimal import Decimal

import pytest

from reservations.demo import arena
from reservations.layouts import LayoutError, corners, plan, seat_number, simple_plan, stage

CONCERT = {
    "sections": [
        {
            "name": "Stalls",
            "code": "S",
            "price": "85.00",
            "rows": [{"rows": "A-B", "seats": 6, "aisle_after": [3]}, {"rows": "C", "seats": 4}],
        },
        {
            "name": "Circle",
            "code": "C",
            "price": "60.00",
            "gap_before": 2,
            "rows": [{"rows": "A", "seats": 2}],
        },
    ]
}


def places(section) -> dict[str, tuple[int, int]]:
    return {f"{seat.row}{seat.number}": (seat.x, seat.y) for seat in section.seats}


def test_rows_are_stacked_centred_and_an_aisle_leaves_a_gap():
    stalls, circle = plan(CONCERT)
    assert (stalls.name, stalls.code, stalls.price) == ("Stalls", "S", Decimal("85.00"))
    at = places(stalls)
    # Row A: seats 1-3, the aisle, seats 4-6: seven seat-widths.
    assert [at[f"A{n}"] for n in range(1, 7)] == [(0, 0), (1, 0), (2, 0), (4, 0), (5, 0), (6, 0)]
    assert at["B4"] == (4, 1)
    # Row C (4 seats) is centred under the 7-wide rows above it.
    assert [at[f"C{n}"] for n in range(1, 5)] == [(1, 2), (2, 2), (3, 2), (4, 2)]
    assert stalls.box == (0, 0, 7, 3)
    # The Circle: two empty lines below the Stalls, centred on the widest section.
    assert places(circle) == {"A1": (2, 5), "A2": (3, 5)}
    assert circle.box == (2, 5, 2, 1)


def test_seat_numbers_carry_the_section_code_only_when_there_are_several_sections():
    stalls, _ = plan(CONCERT)
    assert seat_number(stalls, stalls.seats[0], single=False) == "S-A1"
    (main,) = plan({"sections": [{"name": "Main", "price": "10.00", "rows": [{"rows": "A", "seats": 3}]}]})
    assert [seat_number(main, seat, single=True) for seat in main.seats] == ["A1", "A2", "A3"]


def test_row_ranges_of_letters_numbers_and_lists_and_explicit_offsets_and_first_numbers():
    (section,) = plan(
        {
            "sections": [
                {
                    "name": "Main",
                    "price": "10.00",
                    "rows": [
                        {"rows": "Y-AB", "seats": 1},
                        {"rows": "1-2", "seats": 2, "first": 101, "offset": 0},
                        {"rows": ["X1", "X2"], "seats": 1},
                    ],
                }
            ]
        }
    )
    assert [seat.row for seat in section.seats] == ["Y", "Z", "AA", "AB", "1", "1", "2", "2", "X1", "X2"]
    assert [seat.number for seat in section.seats if seat.row == "1"] == [101, 102]
    assert places(section)["1101"] == (0, 4)


def test_explicit_section_positions_place_blocks_side_by_side():
    block = {"price": "50.00", "rows": [{"rows": "A-B", "seats": 2}]}
    left, right = plan(
        {
            "sections": [
                {**block, "name": "Block 101", "code": "101", "x": 0, "y": 0},
                {**block, "name": "Block 102", "code": "102", "x": 5, "y": 0},
            ]
        }
    )
    assert right.box == (5, 0, 2, 2) and left.box == (0, 0, 2, 2)


def test_simple_plan_is_one_main_section_in_rows():
    (main,) = simple_plan(total_seats=12, seats_per_row=5, price=Decimal("9.50"))
    assert (main.name, main.price, len(main.seats)) == ("Main", Decimal("9.50"), 12)
    assert places(main)["C2"] == (1, 2)
    assert simple_plan(total_seats=0, seats_per_row=5, price=Decimal("1.00")) == []


def section(**fields):
    return {"name": "Stalls", "code": "S", "price": "85.00", "rows": [{"rows": "A", "seats": 4}], **fields}


@pytest.mark.parametrize(
    ("layout", "message"),
    [
        ([], "The layout: [] is not of type 'object'"),
        ({}, 'The layout: "sections" is missing'),
        ({"sections": []}, '"sections": [] should be non-empty'),
        ({"sections": [section(price=85)]}, "Section 1 (Stalls), \"price\": 85 is not of type 'string'"),
        (
            {"sections": [section(price="85")]},
            "Section 1 (Stalls), \"price\": '85' is not in the expected form",
        ),
        (
            {"sections": [section(colour="red")]},
            "Section 1 (Stalls): unknown field ('colour' was unexpected)",
        ),
        (
            {"sections": [section(rows=[{"rows": "A", "seats": 0}])]},
            'Section 1 (Stalls), row group 1, "seats": 0 is less than the minimum of 1',
        ),
        (
            {"sections": [section(rows=[{"rows": "a-c", "seats": 3}])]},
            'Section 1 (Stalls), row group 1, "rows": write rows as "A-M", "1-20" or a list of labels',
        ),
        (
            {"sections": [section(rows=[{"rows": "C-A", "seats": 3}])]},
            'Section 1 (Stalls), row group 1: "C-A" is an empty range: write it first to last.',
        ),
        (
            {"sections": [section(rows=[{"rows": "A-3", "seats": 3}])]},
            'Section 1 (Stalls), row group 1: "A-3" mixes letters and numbers.',
        ),
        (
            {"sections": [section(rows=[{"rows": "A-B", "seats": 3}, {"rows": "B", "seats": 2}])]},
            'Section 1 (Stalls), row group 2: row "B" is already in this section.',
        ),
        (
            {"sections": [section(rows=[{"rows": "A", "seats": 4, "aisle_after": [4]}])]},
            "Section 1 (Stalls), row group 1: an aisle after seat 4 is not between two seats of the row.",
        ),
        (
            {"sections": [section(), section(name="Circle", code=None)]},
            "Section 2 (Circle), \"code\": None is not of type 'string'",
        ),
        (
            {"sections": [section(), {k: v for k, v in section(name="Circle").items() if k != "code"}]},
            'Section 2 (Circle): a hall with several sections needs a "code"',
        ),
        (
            {"sections": [section(), section(name="Circle", code="s")]},
            'Section 2 (Circle): the code "s" is used by Stalls too.',
        ),
        (
            {"sections": [section(), section(code="C")]},
            'Section 2 (Stalls): the name "Stalls" is used twice.',
        ),
        (
            {"sections": [section(x=0, y=0), section(name="Circle", code="C", x=2, y=0)]},
            "Section 2 (Circle), row A seat 1: takes the place of Stalls row A seat 3.",
        ),
        (
            {"sections": [section(angle=181)]},
            'Section 1 (Stalls), "angle": 181 is greater than the maximum of 180',
        ),
        (
            {"sections": [section(angle="45")]},
            "Section 1 (Stalls), \"angle\": '45' is not of type 'number'",
        ),
        # A 4 x 1 block turned a quarter round stands 4 deep across the block above it.
        (
            {"sections": [section(x=0, y=0), section(name="Circle", code="C", x=1, y=1, angle=90)]},
            "Section 2 (Circle): its box overlaps Section 1 (Stalls).",
        ),
        # Side by side, one turned half round: clear (they only share an edge).
        (
            {"sections": [section(x=0, y=0), section(name="Circle", code="C", x=4, y=0, angle=180)]},
            None,
        ),
        (
            {"sections": [section()], "stage": {"label": "PITCH", "x": 0, "y": 0, "width": 3}},
            '"stage": "height" is missing',
        ),
        (
            {"sections": [section()], "stage": {"label": "", "x": 0, "y": -3, "width": 3, "height": 2}},
            '"stage", "label": \'\' should be non-empty',
        ),
        (
            {
                "sections": [section()],
                "stage": {"label": "THE PITCH OF DREAMS AND", "x": 0, "y": -3, "width": 3, "height": 2},
            },
            '"stage", "label": \'THE PITCH OF DREAMS AND\' is too long',
        ),
        (
            {
                "sections": [section()],
                "stage": {"label": "PITCH\n", "x": 0, "y": -3, "width": 3, "height": 2},
            },
            '"stage", "label": \'PITCH\\n\' has a control character',
        ),
        (
            {"sections": [section()], "stage": {"label": "PITCH", "x": 0, "y": -3, "width": 0, "height": 2}},
            '"stage", "width": 0 is less than the minimum of 1',
        ),
        (
            {
                "sections": [section()],
                "stage": {"label": "PITCH", "x": 0, "y": -3, "width": 3, "height": 2, "kind": "grass"},
            },
            "\"stage\": unknown field ('kind' was unexpected)",
        ),
        (
            {"sections": [section()], "stage": {"label": "PITCH", "x": 2, "y": -3, "width": 3, "height": 4}},
            '"stage": the field covers seats of Section 1 (Stalls).',
        ),
        (
            {
                "sections": [section(angle=45)],
                "stage": {"label": "PITCH", "x": -1, "y": -2, "width": 2, "height": 2},
            },
            '"stage": the field covers seats of Section 1 (Stalls).',
        ),
    ],
    ids=lambda value: value if isinstance(value, str) else None,
)
def test_bad_layouts_are_refused_with_a_message_that_names_the_place(layout, message):
    if message is None:
        assert plan(layout)
        return
    with pytest.raises(LayoutError) as refused:
        plan(layout)
    assert str(refused.value).startswith(message), str(refused.value)


def test_a_turned_section_keeps_its_seats_straight_and_turns_its_box():
    (block,) = plan(
        {
            "sections": [section(x=10, y=10, angle=-45)],
            "stage": {"label": "PITCH", "x": 0, "y": 0, "width": 5, "height": 5},
        }
    )
    assert (block.angle, block.box) == (-45, (10, 10, 4, 1))
    assert places(block) == {"A1": (10, 10), "A2": (11, 10), "A3": (12, 10), "A4": (13, 10)}
    # Its corners, turned 45 degrees anticlockwise around (12, 10.5): the top-left one goes down-left.
    top_left, top_right, *_ = corners(*block.box, block.angle)
    assert top_left == pytest.approx(
        (12 - 2 * 0.7071 - 0.5 * 0.7071, 10.5 + 2 * 0.7071 - 0.5 * 0.7071), abs=1e-3
    )
    assert top_right == pytest.approx(
        (12 + 2 * 0.7071 - 0.5 * 0.7071, 10.5 - 2 * 0.7071 - 0.5 * 0.7071), abs=1e-3
    )


def test_the_field_is_the_layouts_or_a_stage_above_the_seats():
    pitch = {"label": "PITCH", "x": -4, "y": 0, "width": 2, "height": 2}
    assert stage(pitch, [(0, 0, 7, 3)]) == pitch
    assert stage(None, [(2, 5, 4, 1), (0, 0, 8, 3)]) == {
        "label": "Stage",
        "x": 2,
        "y": -3,
        "width": 4,
        "height": 2,
    }


def test_the_demo_arena_is_a_bowl_of_twenty_blocks_facing_the_pitch():
    _, _, layout = arena()
    sections = plan(layout)
    assert [section.name for section in sections] == [f"Block {n}" for n in range(101, 121)]
    assert sum(len(section.seats) for section in sections) == 50_000
    angles = {section.name: section.angle for section in sections}
    # Clockwise from the top left: a touchline, a corner, a goal end, a corner...
    assert [angles[f"Block {n}"] for n in (101, 106, 107, 110, 111, 116, 117, 120)] == [
        180,
        -135,
        -90,
        -45,
        0,
        45,
        90,
        135,
    ]
    pitch = layout["stage"]
    px, py = pitch["x"] + pitch["width"] / 2, pitch["y"] + pitch["height"] / 2
    for section in sections:
        # Row A (the box's top edge before turning) is nearer the pitch than the back row.
        front, back = corners(*section.box, section.angle)[0:2], corners(*section.box, section.angle)[2:4]
        distance = lambda points: sum(abs(x - px) + abs(y - py) for x, y in points)  # noqa: E731
        assert distance(front) < distance(back), section.name
    prices = {section.name: section.price for section in sections}
    assert (
        prices["Block 103"]
        > prices["Block 102"]
        > prices["Block 101"]
        > prices["Block 108"]
        > prices["Block 106"]
    )


def test_rows_named_by_digits_keep_seat_numbers_apart():
    (main,) = plan({"sections": [{"name": "Main", "price": "1.00", "rows": [{"rows": "1-11", "seats": 11}]}]})
    numbers = [seat_number(main, seat, single=True) for seat in main.seats]
    assert "1-11" in numbers and "11-1" in numbers and len(set(numbers)) == len(numbers) == 121
