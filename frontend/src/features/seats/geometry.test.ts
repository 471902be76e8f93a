import { describe, expect, it } from "vitest";

import { corners, labelFor, luminance, PRICE_RAMP, priceColours, rectOf, turnOf, uprightSpace, viewOf } from "./geometry";

const near = (points: number[][]) => points.map((point) => point.map((value) => Math.round(value * 1000) / 1000));

describe("corners", () => {
  it("leaves a straight box as it is", () => {
    expect(near(corners({ x: 10, y: 20, width: 4, height: 2 }))).toEqual([
      [10, 20],
      [14, 20],
      [14, 22],
      [10, 22],
    ]);
  });

  it("turns a box clockwise around its centre, y down as on a screen", () => {
    // A quarter turn: the top edge (the front row) now faces right, towards a field on the right.
    expect(near(corners({ x: 0, y: 0, width: 4, height: 2, angle: 90 }))).toEqual([
      [3, -1],
      [3, 3],
      [1, 3],
      [1, -1],
    ]);
    // A half turn: the front row faces down (a stand above the pitch).
    expect(near(corners({ x: 0, y: 0, width: 4, height: 2, angle: 180 }))[0]).toEqual([4, 2]);
    // -45°: a bottom-right corner block's front faces up and left, towards the pitch.
    const [frontLeft, frontRight] = corners({ x: 0, y: 0, width: 2, height: 2, angle: -45 });
    expect(near([frontLeft!, frontRight!])).toEqual([
      [-0.414, 1],
      [1, -0.414],
    ]);
  });

  it("gives the SVG transform for a turned box only", () => {
    expect(turnOf({ x: 10, y: 20, width: 50, height: 40, angle: -135 })).toBe("rotate(-135 35 40)");
    expect(turnOf({ x: 10, y: 20, width: 50, height: 40, angle: 0 })).toBeUndefined();
  });
});

describe("rectOf", () => {
  it("draws the box as a rect turned around its centre, and a grown one around the same centre", () => {
    const box = { x: 10, y: 20, width: 50, height: 40, angle: 30 };
    expect(rectOf(box)).toEqual({ x: 10, y: 20, width: 50, height: 40, transform: "rotate(30 35 40)" });
    expect(rectOf(box, 2)).toEqual({ x: 8, y: 18, width: 54, height: 44, transform: "rotate(30 35 40)" });
    expect(rectOf({ x: 0, y: 0, width: 4, height: 2 }).transform).toBeUndefined();
  });
});

describe("viewOf", () => {
  it("holds every box as turned, with a margin, in whole seat-widths", () => {
    const stand = { x: 0, y: 0, width: 10, height: 10 };
    const corner = { x: 20, y: 0, width: 10, height: 10, angle: 45 }; // a diamond 14.14 wide
    expect(viewOf([stand, corner], 1)).toEqual({ x: -1, y: -4, width: 35, height: 18 }); // to 32.07, -2.07..12.07
    expect(viewOf([])).toEqual({ x: 0, y: 0, width: 1, height: 1 });
  });

  it("reaches a field above the seats (negative y)", () => {
    const view = viewOf([{ x: 0, y: 0, width: 40, height: 20 }, { x: 10, y: -3, width: 20, height: 2 }]);
    expect(view).toEqual({ x: -2, y: -5, width: 44, height: 27 });
  });
});

describe("uprightSpace", () => {
  it("is the box when straight or half turned, its sides swapped when quarter turned, less at 45°", () => {
    expect(uprightSpace({ x: 0, y: 0, width: 50, height: 20, angle: 180 })).toEqual({ width: 50, height: 20 });
    expect(uprightSpace({ x: 0, y: 0, width: 50, height: 20, angle: -90 })).toEqual({ width: 20, height: 50 });
    const corner = uprightSpace({ x: 0, y: 0, width: 50, height: 50, angle: 135 });
    expect(corner.width).toBeCloseTo(35.36, 2);
  });
});

describe("priceColours", () => {
  it("gives each price its own colour, cheapest lightest, dearest darkest", () => {
    const colours = priceColours([85, 55, 120, 70, 100, 85]);
    expect([...colours.keys()]).toEqual([55, 70, 85, 100, 120]);
    expect(colours.get(55)).toBe(PRICE_RAMP[0]);
    expect(colours.get(120)).toBe(PRICE_RAMP.at(-1));
    const lightness = [...colours.values()].map(luminance);
    expect(lightness).toEqual([...lightness].sort((a, b) => b - a));
  });

  it("mixes between stops when there are more prices than stops, and keeps them apart", () => {
    const colours = priceColours([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(new Set(colours.values()).size).toBe(9);
    expect(priceColours([60]).get(60)).toBe(PRICE_RAMP[2]); // one price: the middle of the ramp
  });

  it("keeps dark labels readable (4.5:1) on every colour of the ramp", () => {
    const ink = luminance("#1b1f24");
    for (const colour of PRICE_RAMP) expect((luminance(colour) + 0.05) / (ink + 0.05)).toBeGreaterThanOrEqual(4.5);
  });
});

describe("labelFor", () => {
  it("shows name, price and seats left where there is room", () => {
    expect(labelFor("Stalls", "85.00", "300 left", "300", { width: 300, height: 100 })).toEqual({
      lines: ["Stalls", "85.00", "300 left"],
      size: 12,
    });
  });

  it("drops the price, then shortens the name and the count, then the size, in a small block", () => {
    expect(labelFor("Block 101", "120.00", "2500 left", "2500", { width: 90, height: 40 })).toEqual({
      lines: ["Block 101", "120.00", "2500 left"],
      size: 10, // all three, a little smaller
    });
    expect(labelFor("Block 101", "120.00", "2500 left", "2500", { width: 90, height: 30 })).toEqual({
      lines: ["Block 101", "2500 left"],
      size: 10,
    });
    expect(labelFor("Block 101", "120.00", "2500 left", "2500", { width: 40, height: 40 })).toEqual({
      lines: ["101", "2500"],
      size: 12,
    });
    expect(labelFor("Block 101", "120.00", "2500 left", "2500", { width: 30, height: 30 })).toEqual({
      lines: ["101", "2500"],
      size: 10,
    });
    expect(labelFor("Block 101", "120.00", "2500 left", "2500", { width: 8, height: 8 }).lines).toEqual([]);
  });
});
