"""The seat map's zoom in real Chromium: a block of 2,500 seats (50 rows of 50, as the arena's)
zoomed by its buttons, the keys + and -, Ctrl and the wheel, two fingers, dragged with the mouse;
the page never wider than a phone; axe on the zoomed map. Screenshots go to test-artifacts/."""

import re

import pytest

from reservations.tests.browser import axe_violations, device, log_in, seat, shoot

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def seat_size(page, number: str) -> float:
    return seat(page, number).bounding_box()["width"]


def inside(page, number: str) -> bool:
    """Whether the seat is wholly inside the map's viewport (what the pane shows now)."""
    box = seat(page, number).bounding_box()
    room = page.locator(".zoom-pane__viewport").bounding_box()
    return (
        box["x"] >= room["x"] - 1
        and box["y"] >= room["y"] - 1
        and box["x"] + box["width"] <= room["x"] + room["width"] + 1
        and box["y"] + box["height"] <= room["y"] + room["height"] + 1
    )


def label_size(page, number: str) -> str:
    return seat(page, number).evaluate("button => getComputedStyle(button).fontSize")


def sideways(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth")


@pytest.mark.parametrize("width", [1280, 390])
def test_a_block_zooms_by_buttons_keys_and_wheel_and_the_page_never_scrolls_sideways(
    open_page, make_user, make_event, width
):
    from playwright.sync_api import expect

    event = make_event(2500, seats_per_row=50)
    make_user("alice")
    phone = width < 600
    page = open_page(f"/login?next=/events/{event.pk}", **device(width))
    log_in(page, "alice")
    expect(seat(page, "AX50")).to_be_attached(timeout=30_000)  # every row made (a bound, not a target)
    start = seat_size(page, "A1")
    if phone:  # big enough to tap; the block scrolls inside its pane
        assert start >= 24, start
    else:  # the whole block in view, too small for labels
        viewport = page.locator(".zoom-pane__viewport")
        assert viewport.evaluate("v => v.scrollWidth <= v.clientWidth && v.scrollHeight <= v.clientHeight")
        assert label_size(page, "A1") == "0px"
    shoot(page, f"30-block-first-view-{width}")

    page.get_by_role("button", name="Zoom in").click()
    assert seat_size(page, "A1") == pytest.approx(start * 1.5, rel=0.05)
    page.get_by_role("button", name="Zoom in").click()
    larger = seat_size(page, "A1")
    assert larger == pytest.approx(start * 2.25, rel=0.05)
    assert label_size(page, "A1") != "0px"  # seats big enough to be labelled
    where = page.locator(".zoom-pane__where").bounding_box()
    overview = page.locator(".zoom-pane__overview").bounding_box()
    assert where["width"] < overview["width"] * 0.9, (where, overview)  # the overview shows a part
    assert sideways(page) <= width, "zoomed in, the page scrolls sideways"
    assert axe_violations(page) == [], "zoomed in"
    shoot(page, f"31-block-zoomed-in-{width}")
    page.get_by_role("button", name="Zoom out").click()
    assert seat_size(page, "A1") == pytest.approx(start * 1.5, rel=0.05)
    page.get_by_role("button", name="Fit").click()
    fitted = seat_size(page, "A1")
    assert fitted <= start + 0.5
    shoot(page, f"32-block-fit-{width}")

    # The keyboard: + and - on the focused seat, which stays in view as the arrows move on.
    seat(page, "A1").focus()
    page.keyboard.press("+")
    page.keyboard.press("+")
    expect(seat(page, "A1")).to_be_focused()
    assert seat_size(page, "A1") == pytest.approx(fitted * 2.25, rel=0.05)
    assert inside(page, "A1")
    page.keyboard.press("End")
    expect(seat(page, "A50")).to_be_focused()
    assert inside(page, "A50"), "the focused seat went out of view"
    for _ in range(30):
        page.keyboard.press("ArrowDown")
    expect(seat(page, "AE50")).to_be_focused()
    assert inside(page, "AE50"), "the focused seat went out of view"
    page.keyboard.press("-")
    expect(seat(page, "AE50")).to_be_focused()
    assert inside(page, "AE50")
    page.keyboard.press("Enter")
    expect(seat(page, "AE50")).to_have_accessible_name("AE50, held by you, €100.00")
    assert sideways(page) <= width

    if not phone:
        # Ctrl and the wheel (a trackpad's pinch arrives so) zoom about the pointer; a plain wheel
        # does not zoom.
        page.get_by_role("button", name="Fit").click()
        box = page.locator(".zoom-pane__viewport").bounding_box()
        page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
        page.mouse.wheel(0, -100)
        assert seat_size(page, "A1") == pytest.approx(fitted, rel=0.01)
        page.keyboard.down("Control")
        page.mouse.wheel(0, -100)
        page.keyboard.up("Control")
        assert seat_size(page, "A1") > fitted * 1.3
        # A drag with the mouse pans, and is not a click on the seat it started on.
        viewport = page.locator(".zoom-pane__viewport")
        before = viewport.evaluate("v => [v.scrollLeft, v.scrollTop]")
        start_box = seat(page, "Y25").bounding_box()
        page.mouse.move(start_box["x"] + 5, start_box["y"] + 5)
        page.mouse.down()
        page.mouse.move(start_box["x"] - 120, start_box["y"] - 80, steps=5)
        page.mouse.up()
        after = viewport.evaluate("v => [v.scrollLeft, v.scrollTop]")
        assert after[0] > before[0] and after[1] > before[1], (before, after)
        expect(seat(page, "Y25")).to_have_accessible_name(re.compile(r"^Y25, available"))
    else:
        # Two fingers moving apart zoom in (Chromium's touch input, as a phone sends it).
        zoomed = seat_size(page, "A1")
        box = page.locator(".zoom-pane__viewport").bounding_box()
        # Near the pane's top: the bar with your seats covers the bottom of a phone's screen.
        cx, cy = box["x"] + box["width"] / 2, box["y"] + 60
        cdp = page.context.new_cdp_session(page)

        def touch(kind: str, spread: float) -> None:
            points = [{"x": cx - spread, "y": cy, "id": 0}, {"x": cx + spread, "y": cy, "id": 1}]
            cdp.send(
                "Input.dispatchTouchEvent",
                {"type": kind, "touchPoints": [] if kind == "touchEnd" else points},
            )

        touch("touchStart", 30)
        for spread in (45, 60, 75, 90):
            touch("touchMove", spread)
        touch("touchEnd", 0)
        assert seat_size(page, "A1") > zoomed * 1.5, (zoomed, seat_size(page, "A1"))
        assert sideways(page) <= width, "after a pinch the page scrolls sideways"
    assert axe_violations(page) == [], "after zooming"
