import { describe, expect, it } from "vitest";

import { createRepeatFilter } from "./repeat-filter";

describe("createRepeatFilter", () => {
  it("passes a code once while it stays in view, and again after 3 s out of view", () => {
    let now = 0;
    const fresh = createRepeatFilter(3_000, () => now);
    expect(fresh("A")).toBe(true);
    for (now = 200; now <= 10_000; now += 200) expect(fresh("A")).toBe(false); // held in front of the camera
    now = 10_000 + 2_999; // last seen at 10 s
    expect(fresh("A")).toBe(false);
    now += 3_000;
    expect(fresh("A")).toBe(true); // shown again after a pause
  });

  it("passes another code at once, and the first again after it", () => {
    let now = 0;
    const fresh = createRepeatFilter(3_000, () => now);
    expect(fresh("A")).toBe(true);
    now = 100;
    expect(fresh("B")).toBe(true);
    now = 200;
    expect(fresh("A")).toBe(true);
  });
});
