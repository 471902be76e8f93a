import { describe, expect, it } from "vitest";

import { formatCountdown, formatMoney, formatPriceRange, sumPrices } from "./format";

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

  it("gives a total that formats to the cent in the currency", () => {
    expect(formatMoney(sumPrices(["0.10", "0.20"]), "EUR")).toBe("€0.30");
    expect(formatMoney(sumPrices(Array(10).fill("0.10")), "EUR")).toBe("€1.00");
    expect(formatMoney(sumPrices(["1234.56", "8765.44", "0.01"]), "GBP")).toBe("£10,000.01");
  });
});

// The test runs in Node's default locale, en-US: other languages write the same amounts their way.
describe("formatMoney", () => {
  it("writes an amount in the event's currency, as the browser's language does", () => {
    expect(formatMoney("85.00", "EUR")).toBe("€85.00");
    expect(formatMoney("85.00", "GBP")).toBe("£85.00");
    expect(formatMoney("1250.50", "USD")).toBe("$1,250.50");
    expect(formatMoney("85.00", "CHF")).toBe("CHF\u00a085.00"); // a no-break space: never split over two lines
  });

  it("shows no minor unit for a currency that has none", () => {
    expect(formatMoney("8500.00", "JPY")).toBe("¥8,500");
  });

  it("keeps each currency's formatter apart", () => {
    expect([formatMoney("1.00", "EUR"), formatMoney("1.00", "GBP"), formatMoney("1.00", "EUR")]).toEqual([
      "€1.00",
      "£1.00",
      "€1.00",
    ]);
  });
});

describe("formatPriceRange", () => {
  it("shows the cheapest and dearest price, one price, or nothing", () => {
    expect(formatPriceRange({ min_price: "35.00", max_price: "85.00" }, "EUR")).toBe("€35.00 – €85.00");
    expect(formatPriceRange({ min_price: "60.00", max_price: "60.00" }, "GBP")).toBe("£60.00");
    expect(formatPriceRange({ min_price: "3000.00", max_price: "12000.00" }, "JPY")).toBe("¥3,000 – ¥12,000");
    expect(formatPriceRange({ min_price: null, max_price: null }, "EUR")).toBe("");
  });
});
