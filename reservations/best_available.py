"""Best available: which seats side by side a box office offers first.

A block is ``count`` free seats in one row of one section with consecutive numbers and no aisle
between them (consecutive ``x``). Blocks are offered in this order:

1. no single free seat left stranded beside the block (between it and a taken seat, an aisle or
   the end of the row), as long as any block manages that;
2. front rows first: nearest the stage, the smallest ``y``;
3. then nearest the middle of its section;
4. then left to right, so that the order is the same every time.
"""

import heapq
from collections.abc import Iterable, Iterator
from itertools import groupby
from typing import NamedTuple


class FreeSeat(NamedTuple):
    id: int
    section_id: int
    row: str
    number: int
    x: int
    y: int


def best_blocks(
    free: Iterable[FreeSeat], count: int, middles: dict[int, float], *, limit: int = 20
) -> list[list[int]]:
    """The ``limit`` best blocks of ``count`` seats among ``free`` (seat ids, best first).
    ``middles`` is each section's middle ``x``."""
    ranked = (
        (
            (
                left == 1 or right == 1,
                block[0].y,
                abs((block[0].x + block[-1].x) / 2 - middles[block[0].section_id]),
                block[0].x,
            ),
            block,
        )
        for block, left, right in _blocks(free, count)
    )
    return [
        [seat.id for seat in block] for _, block in heapq.nsmallest(limit, ranked, key=lambda item: item[0])
    ]


def _blocks(free: Iterable[FreeSeat], count: int) -> Iterator[tuple[list[FreeSeat], int, int]]:
    """Each block of ``count`` with the free seats left of it and right of it in its run."""
    by_row = sorted(free, key=lambda seat: (seat.section_id, seat.row, seat.x))
    for _, row in groupby(by_row, key=lambda seat: (seat.section_id, seat.row)):
        for run in _runs(list(row)):
            for start in range(len(run) - count + 1):
                yield run[start : start + count], start, len(run) - count - start


def _runs(row: list[FreeSeat]) -> Iterator[list[FreeSeat]]:
    """Stretches of free seats side by side: the next seat is one place right and one number on."""
    run: list[FreeSeat] = []
    for seat in row:
        if run and not (seat.x == run[-1].x + 1 and seat.number == run[-1].number + 1):
            yield run
            run = []
        run.append(seat)
    if run:
        yield run
