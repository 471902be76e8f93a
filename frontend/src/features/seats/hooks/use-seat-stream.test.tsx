import { act, waitFor } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

import type { HeldSeats } from "../../../lib/types";
import { grid, makeSeat, ok, stubApi } from "../../../testing/api-stub";
import { renderHookWithClient } from "../../../testing/render";
import { seatKeys } from "../api/get-seats";
import { SEAT_POLL_MS, SEAT_RECONCILE_MS, STREAM_RETRY_MS, useSeats } from "./use-seats";

/** A stand-in for the browser's EventSource: the test sends its messages and errors. */
class FakeEventSource {
  static opened: FakeEventSource[] = [];
  onmessage: ((event: MessageEvent<string>) => void) | null = null;
  onerror: (() => void) | null = null;
  closed = false;
  listeners = new Map<string, () => void>();
  constructor(public url: string) {
    FakeEventSource.opened.push(this);
  }
  addEventListener(type: string, listener: () => void) {
    this.listeners.set(type, listener);
  }
  close() {
    this.closed = true;
  }
  send(data: object) {
    act(() => this.onmessage?.(new MessageEvent("message", { data: JSON.stringify(data) })));
  }
  fail() {
    act(() => this.onerror?.());
  }
}

const A1 = makeSeat({ id: 1, seat_number: "A1" });
const A2 = makeSeat({ id: 2, seat_number: "A2" });
const lockedByOther = (seat: typeof A1) => ({ ...seat, status: "locked" as const, is_locked: true });
const change = (since: string, cursor: string, seats: object[]) => ({ ...grid(seats as never), since, cursor, full: false });

describe("useSeats with the live stream", () => {
  beforeEach(() => {
    FakeEventSource.opened = [];
    vi.stubGlobal("EventSource", FakeEventSource);
    vi.useFakeTimers({ shouldAdvanceTime: true });
  });
  afterEach(() => {
    vi.useRealTimers();
    vi.unstubAllGlobals();
  });

  it("opens one stream from the grid's cursor and shows a pushed change without polling", async () => {
    const fetchMock = stubApi({
      "GET /api/events/1/seats/": () => ok({ ...grid([A1, A2]), cursor: "c1", full: true }),
      "GET /api/events/1/seats/?since=s2": () => ok({ ...grid([]), cursor: "c9", full: false }),
    });
    const { result } = renderHookWithClient(() => useSeats(1, null));
    await waitFor(() => expect(FakeEventSource.opened).toHaveLength(1));
    const stream = FakeEventSource.opened[0]!;
    expect(stream.url).toBe("/api/events/1/seats/stream/?since=c1");
    stream.send(change("c1", "s1", []));
    stream.send(change("s1", "s2", [lockedByOther(A2)]));
    await waitFor(() => expect(result.current.data?.seats.map((seat) => seat.status)).toEqual(["available", "locked"]));
    await act(async () => vi.advanceTimersByTime(SEAT_POLL_MS * 2));
    expect(fetchMock).toHaveBeenCalledTimes(1); // live: no poll every 5 s
    await act(async () => vi.advanceTimersByTime(SEAT_RECONCILE_MS));
    await waitFor(() => expect(fetchMock).toHaveBeenCalledTimes(2)); // only the safety net
    expect(FakeEventSource.opened).toHaveLength(1);
  });

  it("polls the feed when the stream fails (a 503 here) and tries the stream again after a backoff", async () => {
    const fetchMock = stubApi({
      "GET /api/events/1/seats/": () => ok({ ...grid([A1, A2]), cursor: "c1", full: true }),
      "GET /api/events/1/seats/?since=c1": () => ok({ ...grid([lockedByOther(A1)]), cursor: "c2", full: false }),
      "GET /api/events/1/seats/?since=c2": () => ok({ ...grid([]), cursor: "c2", full: false }),
    });
    const { result } = renderHookWithClient(() => useSeats(1, null));
    await waitFor(() => expect(FakeEventSource.opened).toHaveLength(1));
    FakeEventSource.opened[0]!.fail();
    expect(FakeEventSource.opened[0]!.closed).toBe(true);
    await act(async () => vi.advanceTimersByTime(STREAM_RETRY_MS));
    expect(FakeEventSource.opened).toHaveLength(2); // tried again after about a second...
    FakeEventSource.opened[1]!.fail();
    await act(async () => vi.advanceTimersByTime(STREAM_RETRY_MS - 1));
    expect(FakeEventSource.opened).toHaveLength(2); // ...then after at least one more
    await act(async () => vi.advanceTimersByTime(SEAT_POLL_MS));
    await waitFor(() => expect(result.current.data?.seats[0]?.status).toBe("locked")); // polled meanwhile
    expect(fetchMock).toHaveBeenCalledWith("/api/events/1/seats/?since=c1", expect.anything());
    expect(FakeEventSource.opened.length).toBeGreaterThanOrEqual(3);
  });

  it("reads the feed at once when a message does not continue from the last one", async () => {
    const fetchMock = stubApi({
      "GET /api/events/1/seats/": () => ok({ ...grid([A1, A2]), cursor: "c1", full: true }),
      "GET /api/events/1/seats/?since=s1": () => ok({ ...grid([lockedByOther(A1)]), cursor: "c3", full: false }),
    });
    const { result } = renderHookWithClient(() => useSeats(1, null));
    await waitFor(() => expect(FakeEventSource.opened).toHaveLength(1));
    const stream = FakeEventSource.opened[0]!;
    stream.send(change("c1", "s1", []));
    stream.send(change("s5", "s6", [lockedByOther(A2)])); // s1 to s5 never came
    expect(stream.closed).toBe(true);
    await waitFor(() => expect(result.current.data?.seats[0]?.status).toBe("locked"));
    expect(fetchMock).toHaveBeenCalledTimes(2);
  });

  it("keeps your own hold's countdown when the anonymous stream says the seat is held", async () => {
    const until = new Date(Date.now() + 240_000).toISOString();
    const yours = { ...A1, status: "locked" as const, is_locked: true, locked_by_me: true, locked_until: until };
    stubApi({ "GET /api/events/1/seats/": () => ok({ ...grid([yours, A2]), cursor: "c1", full: true }) });
    const { result, client: queryClient } = renderHookWithClient(() => useSeats(1, null));
    queryClient.setQueryData<HeldSeats>(seatKeys.holds(1), { server_time: new Date().toISOString(), seats: [yours] });
    await waitFor(() => expect(FakeEventSource.opened).toHaveLength(1));
    FakeEventSource.opened[0]!.send(change("c1", "s1", [lockedByOther(A1), lockedByOther(A2)]));
    await waitFor(() => expect(result.current.data?.cursor).toBe("s1"));
    expect(result.current.data?.seats[0]).toMatchObject({ locked_by_me: true, locked_until: until });
    expect(result.current.data?.seats[1]).toMatchObject({ status: "locked", locked_by_me: false });
  });
});
