import { act, renderHook } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

import { useNow, useNowAt } from "./use-now";

describe("clocks", () => {
  beforeEach(() => {
    vi.useFakeTimers();
    vi.setSystemTime(new Date("2026-11-21T10:00:00Z"));
  });
  afterEach(() => vi.useRealTimers());

  it("useNow follows the server's clock, not this device's", () => {
    const { result } = renderHook(() => useNow(1000, true, 60_000)); // this device is a minute behind
    expect(result.current).toBe(Date.parse("2026-11-21T10:01:00Z"));
  });

  it("useNowAt moves only when a moment is reached, not every second", async () => {
    const start = Date.now();
    let renders = 0;
    const { result } = renderHook(() => {
      renders += 1;
      return useNowAt([start + 5_000, start + 12_000]);
    });
    const first = renders;
    await act(async () => vi.advanceTimersByTime(4_000));
    expect(renders).toBe(first);
    await act(async () => vi.advanceTimersByTime(1_100));
    expect(result.current).toBeGreaterThanOrEqual(start + 5_000);
    await act(async () => vi.advanceTimersByTime(7_000));
    expect(result.current).toBeGreaterThanOrEqual(start + 12_000);
    expect(renders - first).toBe(2);
  });
});
