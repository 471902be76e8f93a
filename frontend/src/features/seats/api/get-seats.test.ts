import { describe, expect, it } from "vitest";

import { grid, makeSeat } from "../../../testing/api-stub";
import { applyFeed } from "./get-seats";

describe("applyFeed", () => {
  const a1 = makeSeat({ seat_number: "A1" });
  const a2 = makeSeat({ seat_number: "A2" });
  const known = { ...grid([a1, a2]), cursor: "c1", full: true };

  it("replaces the changed seats and keeps the others", () => {
    const held = makeSeat({ seat_number: "A2", status: "locked", is_locked: true });
    const next = applyFeed(known, { ...grid([held]), cursor: "c2", full: false });
    expect(next.seats).toEqual([a1, held]);
    expect(next.cursor).toBe("c2");
    expect(next.seats[0]).toBe(a1);
  });

  it("keeps the seats as they are when nothing changed, with the new cursor", () => {
    const next = applyFeed(known, { ...grid([]), cursor: "c2", server_time: "2026-11-21T10:00:00Z", full: false });
    expect(next.seats).toBe(known.seats);
    expect(next.cursor).toBe("c2");
    expect(next.server_time).toBe("2026-11-21T10:00:00Z");
  });

  it("takes a whole grid as it comes (an unknown or too old cursor)", () => {
    const whole = { ...grid([a1]), cursor: "c9", full: true };
    expect(applyFeed(known, whole)).toBe(whole);
  });

  it("lets the later answer win when a seat comes again", () => {
    const held = makeSeat({ seat_number: "A1", status: "locked", is_locked: true });
    const freed = makeSeat({ seat_number: "A1" });
    const once = applyFeed(known, { ...grid([held]), cursor: "c2", full: false });
    expect(applyFeed(once, { ...grid([freed]), cursor: "c3", full: false }).seats[0]).toEqual(freed);
  });
});
