import { render, screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";

import { makeSeat } from "../../../testing/api-stub";
import { seatRows } from "../seat-view";
import { nextSeat, SeatLegend, SeatMap } from "./seat-map";

const now = Date.parse("2030-01-01T12:00:00Z");
const inFiveMinutes = new Date(now + 300_000).toISOString();

const seats = [
  makeSeat({ seat_number: "A1" }),
  makeSeat({ seat_number: "A2", status: "locked", is_locked: true, locked_by_me: true, locked_until: inFiveMinutes }),
  makeSeat({ seat_number: "A3", status: "locked", is_locked: true }),
  makeSeat({ seat_number: "B1", status: "reserved", price: "80.00" }),
  makeSeat({
    seat_number: "B2",
    status: "locked",
    is_locked: true,
    locked_by_me: true,
    locked_until: new Date(now - 1000).toISOString(),
  }),
];

describe("SeatMap", () => {
  it("names every seat by number, state and price, row by row", () => {
    render(<SeatMap currency="EUR" seats={seats} now={now} onSeatClick={() => {}} />);
    expect(screen.getByRole("button", { name: "A1, available, €100.00" })).toBeEnabled();
    expect(screen.getByRole("button", { name: "A2, held by you, €100.00" })).toHaveAttribute("aria-pressed", "true");
    expect(screen.getByRole("button", { name: "A3, held by someone else, €100.00" })).toHaveAttribute(
      "aria-disabled",
      "true",
    );
    expect(screen.getByRole("button", { name: "B1, reserved, €80.00" })).toHaveAttribute("aria-disabled", "true");
    expect(screen.getByRole("list", { name: "Row A" })).toBeInTheDocument();
    expect(screen.getByRole("list", { name: "Row B" })).toBeInTheDocument();
  });

  it("tells a blocked seat from a reserved one, and names wheelchair spaces and companion seats", () => {
    const hall = [
      makeSeat({ seat_number: "C1", status: "blocked" }),
      makeSeat({ seat_number: "C2", status: "reserved" }),
      makeSeat({ seat_number: "C3", accessibility: "wheelchair" }),
      makeSeat({ seat_number: "C4", accessibility: "companion" }),
    ];
    render(<SeatMap currency="EUR" seats={hall} now={now} onSeatClick={() => {}} />);
    const blocked = screen.getByRole("button", { name: "C1, not for sale (held back by the box office), €100.00" });
    expect(blocked).toHaveAttribute("aria-disabled", "true");
    expect(blocked).toHaveClass("seat--blocked");
    expect(blocked).toHaveTextContent("⊘");
    expect(screen.getByRole("button", { name: "C2, reserved, €100.00" })).toHaveTextContent("✕");
    const wheelchair = screen.getByRole("button", { name: "C3, wheelchair space, available, €100.00" });
    expect(wheelchair).toHaveTextContent("♿");
    expect(wheelchair).toHaveAttribute("aria-disabled", "false");
    expect(screen.getByRole("button", { name: "C4, companion seat, available, €100.00" })).toHaveClass("seat--companion");
  });

  it("has a legend entry for blocked seats and wheelchair spaces only where the seats shown have them", () => {
    const { rerender } = render(<SeatLegend seats={seats} />);
    const legend = screen.getByRole("list", { name: "Legend" });
    expect(legend).not.toHaveTextContent(/Not for sale|Wheelchair|Companion/);
    rerender(
      <SeatLegend
        seats={[makeSeat({ seat_number: "C1", status: "blocked" }), makeSeat({ seat_number: "C3", accessibility: "wheelchair" })]}
      />,
    );
    expect(legend).toHaveTextContent("Not for sale");
    expect(legend).toHaveTextContent("Wheelchair space");
    expect(legend).not.toHaveTextContent("Companion seat");
  });

  it("shows your own hold as available once it has run out", () => {
    render(<SeatMap currency="EUR" seats={seats} now={now} onSeatClick={() => {}} />);
    expect(screen.getByRole("button", { name: "B2, available, €100.00" })).toHaveAttribute("aria-disabled", "false");
  });

  it("reports every press with the seat's view, untakeable seats too (the picker says why)", async () => {
    const onSeatClick = vi.fn();
    render(<SeatMap currency="EUR" seats={seats} now={now} onSeatClick={onSeatClick} />);
    const user = userEvent.setup();
    await user.click(screen.getByRole("button", { name: /^A1,/ }));
    await user.click(screen.getByRole("button", { name: /^A2,/ }));
    await user.click(screen.getByRole("button", { name: /^A3,/ }));
    await user.click(screen.getByRole("button", { name: /^B1,/ }));
    expect(onSeatClick.mock.calls.map(([seat, view]) => [seat.seat_number, view])).toEqual([
      ["A1", "available"],
      ["A2", "mine"],
      ["A3", "held"],
      ["B1", "reserved"],
    ]);
  });

  it("can be used with the keyboard alone", async () => {
    const onSeatClick = vi.fn();
    render(<SeatMap currency="EUR" seats={seats} now={now} onSeatClick={onSeatClick} />);
    const user = userEvent.setup();
    await user.tab();
    expect(screen.getByRole("button", { name: /^A1,/ })).toHaveFocus();
    await user.keyboard("{Enter}");
    expect(onSeatClick).toHaveBeenCalledTimes(1);
  });

  it("makes a big block a slice of rows at a time, and all of it in the end", async () => {
    const block = Array.from({ length: 1000 }, (_, i) =>
      makeSeat({ id: i + 1, seat_number: `R${Math.floor(i / 50)}-${(i % 50) + 1}`, x: i % 50, y: Math.floor(i / 50) }),
    );
    const { container } = render(<SeatMap currency="EUR" seats={block} now={now} onSeatClick={() => {}} />);
    const made = () => container.querySelectorAll("[data-seat]").length;
    expect(made()).toBeGreaterThan(0);
    expect(made()).toBeLessThan(1000); // the first slice, shown at once
    await waitFor(() => expect(made()).toBe(1000));
  });

  it("names the field above the seats as the venue does, or draws none", () => {
    const { container, rerender } = render(<SeatMap currency="EUR" seats={seats} now={now} onSeatClick={() => {}} />);
    expect(container.querySelector(".stage")).toHaveTextContent("Stage");
    rerender(<SeatMap currency="EUR" seats={seats} now={now} stageLabel="PITCH" onSeatClick={() => {}} />);
    expect(container.querySelector(".stage")).toHaveTextContent("PITCH");
    rerender(<SeatMap currency="EUR" seats={seats} now={now} stageLabel={null} onSeatClick={() => {}} />);
    expect(container.querySelector(".stage")).toBeNull();
  });

  it("ignores a second click while the seat's request is running", async () => {
    const onSeatClick = vi.fn();
    render(<SeatMap currency="EUR" seats={seats} now={now} busySeatId={1} onSeatClick={onSeatClick} />);
    await userEvent.setup().click(screen.getByRole("button", { name: /^A1,/ }));
    expect(onSeatClick).not.toHaveBeenCalled();
  });
});

describe("SeatMap keyboard model", () => {
  // Row A: 1 2 _ 3 (an aisle at x=2); row B: 1 2 3 4 under x=0..3.
  const plan = [
    makeSeat({ id: 1, seat_number: "A1", x: 0, y: 0 }),
    makeSeat({ id: 2, seat_number: "A2", x: 1, y: 0 }),
    makeSeat({ id: 3, seat_number: "A3", x: 3, y: 0 }),
    makeSeat({ id: 4, seat_number: "B1", x: 0, y: 1 }),
    makeSeat({ id: 5, seat_number: "B2", x: 1, y: 1 }),
    makeSeat({ id: 6, seat_number: "B3", x: 2, y: 1 }),
    makeSeat({ id: 7, seat_number: "B4", x: 3, y: 1 }),
  ];

  it("leads each key to the seat a customer expects, by position across the aisle", () => {
    const rows = seatRows(plan);
    const from = (id: number, key: string) => nextSeat(rows, id, key);
    expect([from(2, "ArrowRight"), from(2, "ArrowLeft"), from(2, "Home"), from(2, "End")]).toEqual([3, 1, 1, 3]);
    expect(from(3, "ArrowDown")).toBe(7); // A3 stands over B4 (x=3), not over B3
    expect(from(6, "ArrowUp")).toBe(2); // B3 (x=2, under the aisle): the nearest seat of row A, leftmost on a tie
    expect([from(3, "ArrowRight"), from(1, "ArrowLeft"), from(1, "ArrowUp"), from(4, "ArrowDown")]).toEqual([
      undefined,
      undefined,
      undefined,
      undefined,
    ]); // edges
    expect(from(1, "Enter")).toBeUndefined(); // not a move: the button's own
  });

  it("is one Tab stop, and the arrows, Home and End move between seats", async () => {
    render(
      <>
        <SeatMap currency="EUR" seats={plan} now={now} onSeatClick={() => {}} />
        <button type="button">Reserve</button>
      </>,
    );
    const user = userEvent.setup();
    const named = (number: string) => screen.getByRole("button", { name: new RegExp(`^${number},`) });
    await user.tab();
    expect(named("A1")).toHaveFocus();
    await user.keyboard("{ArrowRight}");
    expect(named("A2")).toHaveFocus();
    await user.keyboard("{ArrowRight}");
    expect(named("A3")).toHaveFocus(); // across the aisle
    await user.keyboard("{ArrowDown}");
    expect(named("B4")).toHaveFocus(); // the seat below by position
    await user.keyboard("{Home}");
    expect(named("B1")).toHaveFocus();
    await user.keyboard("{End}");
    expect(named("B4")).toHaveFocus();
    await user.keyboard("{ArrowUp}{ArrowLeft}");
    expect(named("A2")).toHaveFocus();
    await user.tab();
    expect(screen.getByRole("button", { name: "Zoom out" })).toHaveFocus(); // one Tab leaves the map, for its zoom
    await user.tab();
    expect(screen.getByRole("button", { name: "Reserve" })).toHaveFocus(); // whose buttons are one Tab stop too
    await user.tab({ shift: true });
    await user.tab({ shift: true });
    expect(named("A2")).toHaveFocus(); // and comes back to the seat it left
  });
});
