import { render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";

import { makeSeat } from "../../../testing/api-stub";
import { SeatMap } from "./seat-map";

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
    render(<SeatMap seats={seats} now={now} onSeatClick={() => {}} />);
    expect(screen.getByRole("button", { name: "A1, available, 100.00" })).toBeEnabled();
    expect(screen.getByRole("button", { name: "A2, held by you, 100.00" })).toHaveAttribute("aria-pressed", "true");
    expect(screen.getByRole("button", { name: "A3, held by someone else, 100.00" })).toHaveAttribute(
      "aria-disabled",
      "true",
    );
    expect(screen.getByRole("button", { name: "B1, reserved, 80.00" })).toHaveAttribute("aria-disabled", "true");
    expect(screen.getByRole("list", { name: "Row A" })).toBeInTheDocument();
    expect(screen.getByRole("list", { name: "Row B" })).toBeInTheDocument();
  });

  it("shows your own hold as available once it has run out", () => {
    render(<SeatMap seats={seats} now={now} onSeatClick={() => {}} />);
    expect(screen.getByRole("button", { name: "B2, available, 100.00" })).toHaveAttribute("aria-disabled", "false");
  });

  it("reports every press with the seat's view, untakeable seats too (the picker says why)", async () => {
    const onSeatClick = vi.fn();
    render(<SeatMap seats={seats} now={now} onSeatClick={onSeatClick} />);
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
    render(<SeatMap seats={seats} now={now} onSeatClick={onSeatClick} />);
    const user = userEvent.setup();
    await user.tab();
    expect(screen.getByRole("button", { name: /^A1,/ })).toHaveFocus();
    await user.keyboard("{Enter}");
    expect(onSeatClick).toHaveBeenCalledTimes(1);
  });

  it("ignores a second click while the seat's request is running", async () => {
    const onSeatClick = vi.fn();
    render(<SeatMap seats={seats} now={now} busySeatId={1} onSeatClick={onSeatClick} />);
    await userEvent.setup().click(screen.getByRole("button", { name: /^A1,/ }));
    expect(onSeatClick).not.toHaveBeenCalled();
  });
});
