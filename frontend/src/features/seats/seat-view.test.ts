import { describe, expect, it } from "vitest";

import { makeSeat } from "../../testing/api-stub";
import { holdEndsAt, isYourHold, seatLabel, seatView } from "./seat-view";

const now = Date.parse("2030-01-01T12:00:00Z");
const at = (ms: number) => new Date(ms).toISOString();
const yours = (until: number) =>
  makeSeat({ seat_number: "A1", status: "locked", is_locked: true, locked_by_me: true, locked_until: at(until) });
const someoneElses = makeSeat({ seat_number: "A1", status: "locked", is_locked: true });

describe("seatView", () => {
  it("shows a free seat as available and a reserved one as reserved", () => {
    expect(seatView(makeSeat({ seat_number: "A1" }), now)).toBe("available");
    expect(seatView(makeSeat({ seat_number: "A1", status: "reserved" }), now)).toBe("reserved");
  });

  it("shows a seat the box office holds back as blocked, never as free", () => {
    expect(seatView(makeSeat({ seat_number: "A1", status: "blocked" }), now)).toBe("blocked");
    expect(seatLabel(makeSeat({ seat_number: "A1", status: "blocked" }), "blocked", "EUR")).toBe(
      "A1, not for sale (held back by the box office), €100.00",
    );
    expect(seatLabel(makeSeat({ seat_number: "T1", accessibility: "wheelchair" }), "available", "EUR")).toBe(
      "T1, wheelchair space, available, €100.00",
    );
  });

  it("shows someone else's hold as held, whatever the time (its end is theirs to know)", () => {
    expect(seatView(someoneElses, now)).toBe("held");
    expect(seatView(someoneElses, now + 3_600_000)).toBe("held");
  });

  it("shows your hold as yours while it runs, and free again the moment it ends, as the server counts", () => {
    expect(seatView(yours(now + 1), now)).toBe("mine");
    expect(seatView(yours(now), now)).toBe("available"); // held while locked_until > now: not at it
    expect(seatView(yours(now - 1000), now)).toBe("available");
  });
});

describe("isYourHold and holdEndsAt", () => {
  it("list your holds, running or run out, with their end; nobody else's", () => {
    expect([isYourHold(yours(now + 1000)), isYourHold(yours(now - 1000))]).toEqual([true, true]);
    expect(holdEndsAt(yours(now + 1000))).toBe(now + 1000);
    for (const seat of [someoneElses, makeSeat({ seat_number: "A1" }), makeSeat({ seat_number: "A1", status: "reserved" })]) {
      expect(isYourHold(seat)).toBe(false);
      expect(holdEndsAt(seat)).toBeUndefined();
    }
  });
});
