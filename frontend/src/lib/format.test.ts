import { describe, expect, it } from "vitest";

import { formatCountdown, sumPrices } from "./format";

describe("formatCountdown", () => {
  it("shows minutes and whole seconds left, rounded down, never below zero", () => {
    expect(formatCountdown(300_000)).toBe("5:00");
    expect(formatCountdown(300_900)).toBe("5:00"); // drawn up to a second early: never "5:01"
    expect(formatCountdown(59_999)).toBe("0:59");
    expect(formatCountdown(5_000)).toBe("0:05");
    expect(formatCountdown(-2_000)).toBe("0:00");
  });
});

describe("sumPrices", () => {
  it("adds decimal prices exactly, in cents", () => {
    expect(sumPrices(["0.10", "0.20", "85.00"])).toBe("85.30");
    expect(sumPrices([])).toBe("0.00");
  });
});
