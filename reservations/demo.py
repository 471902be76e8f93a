"""The demo halls: layouts (``reservations.layouts``) used by ``populate_events`` and the benchmark."""

import math

from .layouts import corners, overlap, row_label

CINEMA = (
    "Central Cinema",
    "1 Film Street",
    {"sections": [{"name": "Main", "price": "100.00", "rows": [{"rows": "A-F", "seats": 10}]}]},
)
CONCERT_HALL = (
    "City Concert Hall",
    "2 Harmony Square",
    {
        "sections": [
            {
                "name": "Stalls",
                "code": "S",
                "price": "85.00",
                "rows": [
                    {"rows": "A-D", "seats": 32, "aisle_after": [16]},
                    {"rows": "E-S", "seats": 40, "aisle_after": [20]},
                    # The back row of the stalls: level access, two wheelchair spaces at each end.
                    {
                        "rows": "T",
                        "seats": 40,
                        "aisle_after": [20],
                        "wheelchair": [1, 2, 39, 40],
                        "companion": [3, 38],
                    },
                ],
            },
            {
                "name": "Circle",
                "code": "C",
                "price": "60.00",
                "gap_before": 2,
                "rows": [{"rows": "A-L", "seats": 46, "aisle_after": [23]}],
            },
            {
                "name": "Balcony",
                "code": "B",
                "price": "35.00",
                "gap_before": 2,
                "rows": [{"rows": "A-H", "seats": 50}, {"rows": "J-Q", "seats": 36}],
            },
        ]
    },
)


def arena(rows: int = 50, seats: int = 50, touchline: int = 5, goal_end: int = 3) -> tuple:
    """A 50,000-seat football ground: 20 blocks of 50 rows x 50 seats, "Block 101".."Block 120", in
    a bowl around the pitch, numbered clockwise from the top left: five along each touchline
    (101-105, 111-115), three behind each goal (107-109, 117-119), one in each corner (106, 110,
    116, 120) turned 45 degrees, every block turned to face the pitch, with four-seat gangways
    between them. The nearer the halfway line, the dearer: 120.00 at the halfway line, 100.00 and
    85.00 along the touchlines, 70.00 behind the goals, 55.00 in the corners."""
    gangway, margin = 4, 6  # between blocks; between the pitch and the front rows
    step = seats + gangway
    length = touchline * step - gangway
    width = max(goal_end * step - gangway, round(length * 0.6))
    behind = (width - (goal_end * step - gangway)) // 2  # the goal ends' blocks, centred

    def touchline_price(index: int) -> str:
        return ("120.00", "100.00", "85.00")[min(round(abs(index - (touchline - 1) / 2)), 2)]

    def facing(centre_x: float, centre_y: float, angle: int, price: str) -> dict:
        # A block turned by ``angle`` around the centre of its straight box (seats wide, rows deep).
        return {
            "x": round(centre_x - seats / 2),
            "y": round(centre_y - rows / 2),
            "angle": angle,
            "price": price,
        }

    stands = []  # in the pitch's coordinates, (0, 0) its top-left corner
    for index in range(touchline):  # above the pitch, left to right, facing down
        stands.append(facing(index * step + seats / 2, -margin - rows / 2, 180, touchline_price(index)))
    stands.append(None)  # the top-right corner, placed below
    for index in range(goal_end):  # right of the pitch, top to bottom, facing left
        stands.append(facing(length + margin + rows / 2, behind + index * step + seats / 2, -90, "70.00"))
    stands.append(None)
    for index in reversed(range(touchline)):  # below, right to left, facing up
        stands.append(facing(index * step + seats / 2, width + margin + rows / 2, 0, touchline_price(index)))
    stands.append(None)
    for index in reversed(range(goal_end)):  # left, bottom to top, facing right
        stands.append(facing(-margin - rows / 2, behind + index * step + seats / 2, 90, "70.00"))
    stands.append(None)
    straight = [
        corners(
            block["x"] - gangway,
            block["y"] - gangway,
            seats + 2 * gangway,
            rows + 2 * gangway,
            block["angle"],
        )
        for block in stands
        if block
    ]
    corner_places = iter(
        [(length, 0, 1, -1, -135), (length, width, 1, 1, -45), (0, width, -1, 1, 45), (0, 0, -1, -1, 135)]
    )
    for position, block in enumerate(stands):
        if block is not None:
            continue
        x, y, out_x, out_y, angle = next(corner_places)
        # Out along the diagonal from the pitch's corner until clear of both stands by a gangway.
        away = 0
        while True:
            block = facing(x + out_x * away, y + out_y * away, angle, "55.00")
            if not any(
                overlap(corners(block["x"], block["y"], seats, rows, angle), other) for other in straight
            ):
                break
            away += 1
        stands[position] = block
    # Everything drawn, and every block's straight box, lies right of and below (2, 2): the boxes
    # are in seat-widths from the hall's top-left.
    drawn = [
        point
        for block in stands
        for angle in (0, block["angle"])
        for point in corners(block["x"], block["y"], seats, rows, angle)
    ]
    left = 2 - math.floor(min(x for x, _ in drawn))
    top = 2 - math.floor(min(y for _, y in drawn))
    sections = [
        {
            "name": f"Block {101 + index}",
            "code": str(101 + index),
            "price": block["price"],
            "x": block["x"] + left,
            "y": block["y"] + top,
            "angle": block["angle"],
            "rows": [{"rows": f"A-{row_label(rows - 1)}", "seats": seats}],
        }
        for index, block in enumerate(stands)
    ]
    pitch = {"label": "PITCH", "x": left, "y": top, "width": length, "height": width}
    return "National Arena", "3 Stadium Way", {"sections": sections, "stage": pitch}


# Seats the demo concert holds back from sale (``populate_events``): seat numbers and why.
CONCERT_BLOCKED = [
    (["S-A16", "S-A17"], "Camera position"),
    (["S-E19", "S-E20", "S-E21", "S-E22"], "House seats"),
]
