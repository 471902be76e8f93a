import { act, waitFor } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";

import type { HeldSeats, SeatGrid } from "../../../lib/types";
import { grid, makeSeat, ok, stubApi } from "../../../testing/api-stub";
import { renderHookWithClient } from "../../../testing/render";
import { seatKeys } from "../api/get-seats";
import { heldSeats, SEAT_POLL_MS, useRecordSeats, useSeats } from "./use-seats";

const later = new Date(Date.now() + 300_000).toISOString();
const mine = (seat_number: string, section = "Main") =>
  makeSeat({ seat_number, section, status: "locked", is_locked: true, locked_by_me: true, locked_until: later });

describe("useSeats", () => {
  afterEach(() => {
    vi.useRealTimers();
    vi.unstubAllGlobals();
  });

  it("loads the whole grid once, then follows the change feed from each answer's cursor", async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    const held = makeSeat({ seat_number: "A2", status: "locked", is_locked: true });
    const fetchMock = stubApi({
      "GET /api/events/1/seats/": () =>
        ok({ ...grid([makeSeat({ seat_number: "A1" }), makeSeat({ seat_number: "A2" })]), cursor: "c1", full: true }),
      "GET /api/events/1/seats/?since=c1": () => ok({ ...grid([held]), cursor: "c2", full: false }),
      "GET /api/events/1/seats/?since=c2": () => ok({ ...grid([]), cursor: "c3", full: false }),
    });
    const { result } = renderHookWithClient(() => useSeats(1, null));
    await waitFor(() => expect(result.current.data?.seats.map((seat) => seat.status)).toEqual(["available", "available"]));
    await act(async () => vi.advanceTimersByTime(SEAT_POLL_MS));
    await waitFor(() => expect(result.current.data?.seats.map((seat) => seat.status)).toEqual(["available", "locked"]));
    await act(async () => vi.advanceTimersByTime(SEAT_POLL_MS));
    await waitFor(() => expect(result.current.data?.cursor).toBe("c3"));
    expect(result.current.data?.seats).toHaveLength(2);
    expect(fetchMock.mock.calls.map(([url]) => url)).toEqual([
      "/api/events/1/seats/",
      "/api/events/1/seats/?since=c1",
      "/api/events/1/seats/?since=c2",
    ]);
  });

  it("asks for one section's grid, and its feed with the section", async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    const fetchMock = stubApi({
      "GET /api/events/1/seats/?section=Block+101": () =>
        ok({ ...grid([makeSeat({ seat_number: "A1", section: "Block 101" })]), cursor: "c1", full: true }),
      "GET /api/events/1/seats/?section=Block+101&since=c1": () => ok({ ...grid([]), cursor: "c2", full: false }),
    });
    const { result } = renderHookWithClient(() => useSeats(1, "Block 101"));
    await waitFor(() => expect(result.current.data?.seats).toHaveLength(1));
    await act(async () => vi.advanceTimersByTime(SEAT_POLL_MS));
    await waitFor(() => expect(result.current.data?.cursor).toBe("c2"));
    expect(fetchMock).toHaveBeenCalledTimes(2);
  });

  it("takes the device's distance from the server's clock from each answer", async () => {
    const serverTime = new Date(Date.now() + 60_000).toISOString(); // this device is a minute slow
    stubApi({ "GET /api/events/1/seats/": () => ok({ ...grid([]), cursor: "c1", server_time: serverTime }) });
    const { result } = renderHookWithClient(() => useSeats(1, null));
    await waitFor(() => expect(result.current.data).toBeDefined());
    expect(result.current.data!.clock_offset).toBeGreaterThan(59_000);
    expect(result.current.data!.clock_offset).toBeLessThanOrEqual(60_000);
  });

  it("keeps the clock's offset when an answer comes again from the browser's cache (a 304)", async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    const written = new Date().toISOString();
    const fetchMock = stubApi({
      "GET /api/events/1/seats/": () => ok({ ...grid([]), cursor: "c1", server_time: written }),
      // Nothing changed: the browser revalidates and hands back the stored answer, as it was written.
      "GET /api/events/1/seats/?since=c1": () => ok({ ...grid([]), cursor: "c1", server_time: written, full: false }),
    });
    const { result } = renderHookWithClient(() => useSeats(1, null));
    await waitFor(() => expect(result.current.data).toBeDefined());
    const offset = result.current.data!.clock_offset!;
    expect(Math.abs(offset)).toBeLessThan(1000);
    for (const poll of [2, 3, 4]) {
      const shown = result.current.dataUpdatedAt;
      await act(async () => vi.advanceTimersByTime(SEAT_POLL_MS));
      // The poll's answer, not only its request: the hook shows data updated after the last.
      await waitFor(() => expect(result.current.dataUpdatedAt).toBeGreaterThan(shown));
      expect(fetchMock).toHaveBeenCalledTimes(poll);
      expect(result.current.data!.clock_offset).toBe(offset); // not 5, 10, 15 s behind
    }
  });

  it("keeps the offset through the network's jitter and follows a real change of the clock", async () => {
    vi.useFakeTimers({ toFake: ["Date"] }); // this device's clock stands still: only the server's moves
    const serverTime = (ahead: number) => new Date(Date.now() + ahead).toISOString();
    let serverAhead = 100; // ms: within the jitter of a request, then two seconds
    stubApi({
      "GET /api/events/1/seats/": () => ok({ ...grid([]), cursor: "c1", server_time: serverTime(0) }),
      "GET /api/events/1/seats/?since=c1": () =>
        ok({ ...grid([]), cursor: "c1", full: false, server_time: serverTime(serverAhead) }),
    });
    const { result, client } = renderHookWithClient(() => useSeats(1, null));
    // Each answer is told apart by its server_time: wait until the hook shows that answer, then
    // look at the offset it came with (the cache tells the hook a beat after the request ends).
    const shows = (ahead: number) => waitFor(() => expect(result.current.data?.server_time).toBe(serverTime(ahead)));
    await shows(0);
    expect(result.current.data!.clock_offset).toBe(0);
    await act(() => client.refetchQueries());
    await shows(100);
    expect(result.current.data!.clock_offset).toBe(0); // 100 ms: the network's, not the clock's
    serverAhead = 2000;
    await act(() => client.refetchQueries());
    await shows(2000);
    expect(result.current.data!.clock_offset).toBe(2000);
  });

  it("stops polling while the tab is hidden and catches up as soon as it is visible again", async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    const fetchMock = stubApi({
      "GET /api/events/1/seats/": () => ok({ ...grid([]), cursor: "c1" }),
      "GET /api/events/1/seats/?since=c1": () => ok({ ...grid([]), cursor: "c1", full: false }),
    });
    const visibility = vi.spyOn(document, "visibilityState", "get");
    const { result } = renderHookWithClient(() => useSeats(1, null));
    await waitFor(() => expect(result.current.data).toBeDefined());
    visibility.mockReturnValue("hidden");
    document.dispatchEvent(new Event("visibilitychange", { bubbles: true })); // as browsers fire it
    await act(async () => vi.advanceTimersByTime(SEAT_POLL_MS * 4));
    expect(fetchMock).toHaveBeenCalledTimes(1);
    const shown = result.current.dataUpdatedAt;
    visibility.mockReturnValue("visible");
    document.dispatchEvent(new Event("visibilitychange", { bubbles: true })); // as browsers fire it
    await waitFor(() => expect(result.current.dataUpdatedAt).toBeGreaterThan(shown)); // its answer is shown
    expect(fetchMock).toHaveBeenCalledTimes(2);
    visibility.mockRestore();
  });

  it("does not load while disabled (a big hall's overview)", async () => {
    const fetchMock = stubApi({});
    const { result } = renderHookWithClient(() => useSeats(1, null, false));
    await act(async () => {});
    expect(result.current.data).toBeUndefined();
    expect(fetchMock).not.toHaveBeenCalled();
  });
});

describe("useRecordSeats", () => {
  it("shows an answer in every cached grid of the event and in my holds", () => {
    const a1 = makeSeat({ seat_number: "A1" });
    const b7 = mine("B7", "Circle");
    const { result, client } = renderHookWithClient(() => useRecordSeats(1));
    const stalls = { ...grid([a1, makeSeat({ seat_number: "A2" })]), cursor: "c1" };
    client.setQueryData(seatKeys.grid(1, "Stalls"), stalls);
    client.setQueryData(seatKeys.grid(1, "Balcony"), grid([makeSeat({ seat_number: "C1" })]));
    client.setQueryData<HeldSeats>(seatKeys.holds(1), { server_time: "", seats: [b7] });
    const balconyBefore = client.getQueryState(seatKeys.grid(1, "Balcony"))!.dataUpdatedAt;

    act(() => result.current([{ id: a1.id, status: "locked", is_locked: true, locked_by_me: true, locked_until: later }]));
    const after = client.getQueryData<SeatGrid>(seatKeys.grid(1, "Stalls"))!;
    expect(after.seats[0]).toMatchObject({ seat_number: "A1", locked_by_me: true, locked_until: later });
    expect(after.seats[1]).toBe(stalls.seats[1]); // untouched seats stay the same objects
    expect(after.cursor).toBe("c1");
    expect(client.getQueryData<HeldSeats>(seatKeys.holds(1))!.seats.map((seat) => seat.seat_number)).toEqual(["A1", "B7"]);
    expect(client.getQueryState(seatKeys.grid(1, "Balcony"))!.dataUpdatedAt).toBe(balconyBefore); // not touched

    act(() => result.current([{ id: b7.id, status: "available", is_locked: false, locked_by_me: false, locked_until: null }]));
    expect(client.getQueryData<HeldSeats>(seatKeys.holds(1))!.seats.map((seat) => seat.seat_number)).toEqual(["A1"]);
  });
});

describe("heldSeats", () => {
  const a1 = mine("A1", "Stalls");
  const b7 = mine("B7", "Circle");
  const holds = (seats = [a1, b7], at = 100) => ({ data: { server_time: "", seats }, dataUpdatedAt: at });
  const section = (seats: ReturnType<typeof makeSeat>[], at: number) => ({ data: grid(seats), dataUpdatedAt: at });

  it("takes my holds in other sections from the holds, and this section's from a newer grid", () => {
    const stalls = section([makeSeat({ seat_number: "A1", section: "Stalls" }), mine("A2", "Stalls")], 200);
    expect(heldSeats(stalls, "Stalls", holds()).map((seat) => seat.seat_number)).toEqual(["A2", "B7"]);
  });

  it("takes the holds when they are the newer answer", () => {
    const stalls = section([makeSeat({ seat_number: "A1", section: "Stalls" })], 50);
    expect(heldSeats(stalls, "Stalls", holds()).map((seat) => seat.seat_number)).toEqual(["A1", "B7"]);
  });

  it("uses whichever answer there is", () => {
    expect(heldSeats({ data: undefined, dataUpdatedAt: 0 }, null, holds()).map((seat) => seat.seat_number)).toEqual(["A1", "B7"]);
    const whole = section([a1, makeSeat({ seat_number: "A3" })], 10);
    expect(heldSeats(whole, null, { data: undefined, dataUpdatedAt: 0 })).toEqual([a1]);
  });

  it("lets a newer whole-hall grid decide for every seat", () => {
    const whole = section([makeSeat({ seat_number: "A1", section: "Stalls" }), makeSeat({ seat_number: "B7", section: "Circle" })], 200);
    expect(heldSeats(whole, null, holds())).toEqual([]);
  });
});
