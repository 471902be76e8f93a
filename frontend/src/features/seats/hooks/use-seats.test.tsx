import { act, renderHook } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

import { grid, makeSeat, ok, stubApi } from "../../../testing/api-stub";
import { SEAT_POLL_MS, useSeats } from "./use-seats";

describe("useSeats", () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => {
    vi.useRealTimers();
    vi.unstubAllGlobals();
  });

  it("loads the whole grid once, then follows the change feed from each answer's cursor", async () => {
    const held = makeSeat({ seat_number: "A2", status: "locked", is_locked: true });
    const fetchMock = stubApi({
      "GET /api/events/1/seats/": () =>
        ok({ ...grid([makeSeat({ seat_number: "A1" }), makeSeat({ seat_number: "A2" })]), cursor: "c1", full: true }),
      "GET /api/events/1/seats/?since=c1": () => ok({ ...grid([held]), cursor: "c2", full: false }),
      "GET /api/events/1/seats/?since=c2": () => ok({ ...grid([]), cursor: "c3", full: false }),
    });
    const { result } = renderHook(() => useSeats(1));
    await act(async () => {});
    expect(result.current.data?.seats.map((seat) => seat.status)).toEqual(["available", "available"]);
    await act(async () => vi.advanceTimersByTime(SEAT_POLL_MS));
    expect(result.current.data?.seats.map((seat) => seat.status)).toEqual(["available", "locked"]);
    await act(async () => vi.advanceTimersByTime(SEAT_POLL_MS));
    expect(result.current.data?.cursor).toBe("c3");
    expect(result.current.data?.seats).toHaveLength(2);
    expect(fetchMock.mock.calls.map(([url]) => url)).toEqual([
      "/api/events/1/seats/",
      "/api/events/1/seats/?since=c1",
      "/api/events/1/seats/?since=c2",
    ]);
  });
});
