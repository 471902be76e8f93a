import { render, screen } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

import { makeSeat } from "../../../testing/api-stub";
import { HoldSummary } from "./hold-summary";

function heldUntil(seat_number: string, until: number) {
  return makeSeat({
    seat_number,
    status: "locked",
    is_locked: true,
    locked_by_me: true,
    locked_until: new Date(until).toISOString(),
  });
}

describe("HoldSummary", () => {
  beforeEach(() => {
    vi.useFakeTimers();
    vi.setSystemTime(new Date("2026-11-21T10:00:00Z"));
  });
  afterEach(() => vi.useRealTimers());

  it("counts down by the server's clock", () => {
    const ends = Date.now() + 65_000;
    // This device is a minute ahead of the server: there are 2:05 left, not 0:05.
    render(<HoldSummary currency="EUR" held={[heldUntil("A1", ends)]} clockOffset={-60_000} reserving={false} onReserve={() => {}} />);
    expect(screen.getByText("held for 2:05")).toBeInTheDocument();
    expect(screen.queryByText(/Less than a minute/)).not.toBeInTheDocument();
  });

  it("says so, politely, one minute before a hold runs out", () => {
    render(
      <HoldSummary currency="EUR" held={[heldUntil("A1", Date.now() + 50_000)]} clockOffset={0} reserving={false} onReserve={() => {}} />,
    );
    const warning = screen.getByText("Less than a minute left on A1: reserve now to keep it.");
    expect(warning).toHaveAttribute("aria-live", "polite");
  });
});
