"""The demo halls: layouts (``reservations.layouts``) used by ``populate_events`` and the benchmark."""

from .layouts import row_label

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


def arena(blocks_across: int = 5, blocks_down: int = 4, rows: int = 50, seats: int = 50) -> tuple:
    """A 50,000-seat arena: 20 blocks of 50 rows x 50 seats, "Block 101".."Block 120", laid out in
    a grid with a three-seat walkway between blocks; front blocks cost more."""
    sections = []
    for index in range(blocks_across * blocks_down):
        line, column = divmod(index, blocks_across)
        sections.append(
            {
                "name": f"Block {101 + index}",
                "code": str(101 + index),
                "price": f"{120 - 20 * line}.00",
                "x": column * (seats + 3),
                "y": line * (rows + 3),
                "rows": [{"rows": f"A-{row_label(rows - 1)}", "seats": seats}],
            }
        )
    return "National Arena", "3 Stadium Way", {"sections": sections}


# Seats the demo concert holds back from sale (``populate_events``): seat numbers and why.
CONCERT_BLOCKED = [
    (["S-A16", "S-A17"], "Camera position"),
    (["S-E19", "S-E20", "S-E21", "S-E22"], "House seats"),
]
