import { act, renderHook } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

import { ApiError } from "../lib/api-client";
import { useResource } from "./use-resource";

function setVisibility(state: "visible" | "hidden") {
  Object.defineProperty(document, "visibilityState", { configurable: true, get: () => state });
  document.dispatchEvent(new Event("visibilitychange"));
}

/** A load function whose calls resolve only when the test says so. */
function controllableLoad() {
  const pending: Array<(value: number) => void> = [];
  const signals: AbortSignal[] = [];
  const load = vi.fn(
    (signal: AbortSignal) =>
      new Promise<number>((resolve) => {
        signals.push(signal);
        pending.push(resolve);
      }),
  );
  return { load, pending, signals };
}

describe("useResource polling", () => {
  beforeEach(() => {
    vi.useFakeTimers();
    setVisibility("visible");
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it("loads at once and then every interval after the previous load finished", async () => {
    const load = vi.fn(async () => 42);
    const { result } = renderHook(() => useResource("k", load, { pollMs: 5000 }));
    await act(async () => {});
    expect(load).toHaveBeenCalledTimes(1);
    expect(result.current.data).toBe(42);
    await act(async () => vi.advanceTimersByTime(4999));
    expect(load).toHaveBeenCalledTimes(1);
    await act(async () => vi.advanceTimersByTime(1));
    expect(load).toHaveBeenCalledTimes(2);
    await act(async () => vi.advanceTimersByTime(5000));
    expect(load).toHaveBeenCalledTimes(3);
  });

  it("never overlaps requests: a slow request delays the next poll", async () => {
    const { load, pending } = controllableLoad();
    renderHook(() => useResource("k", load, { pollMs: 5000 }));
    await act(async () => vi.advanceTimersByTime(20_000));
    expect(load).toHaveBeenCalledTimes(1);
    await act(async () => pending[0]!(1));
    await act(async () => vi.advanceTimersByTime(5000));
    expect(load).toHaveBeenCalledTimes(2);
  });

  it("refresh during a request runs exactly one more request after it", async () => {
    const { load, pending } = controllableLoad();
    const { result } = renderHook(() => useResource("k", load, { pollMs: 5000 }));
    act(() => {
      result.current.refresh();
      result.current.refresh();
    });
    expect(load).toHaveBeenCalledTimes(1);
    await act(async () => pending[0]!(1));
    expect(load).toHaveBeenCalledTimes(2);
  });

  it("pauses while the tab is hidden and refreshes when it is shown again", async () => {
    const load = vi.fn(async () => 1);
    renderHook(() => useResource("k", load, { pollMs: 5000 }));
    await act(async () => {});
    act(() => setVisibility("hidden"));
    await act(async () => vi.advanceTimersByTime(60_000));
    expect(load).toHaveBeenCalledTimes(1);
    await act(async () => setVisibility("visible"));
    expect(load).toHaveBeenCalledTimes(2);
    await act(async () => vi.advanceTimersByTime(5000));
    expect(load).toHaveBeenCalledTimes(3);
  });

  it("stops polling and aborts the request when unmounted", async () => {
    const { load, signals } = controllableLoad();
    const { unmount } = renderHook(() => useResource("k", load, { pollMs: 5000 }));
    unmount();
    expect(signals[0]!.aborted).toBe(true);
    await act(async () => vi.advanceTimersByTime(60_000));
    expect(load).toHaveBeenCalledTimes(1);
  });

  it("keeps the last good data when a later load fails", async () => {
    let fail = false;
    const load = vi.fn(async () => {
      if (fail) throw new ApiError("Server down", 503, "unavailable");
      return 7;
    });
    const { result } = renderHook(() => useResource("k", load, { pollMs: 5000 }));
    await act(async () => {});
    fail = true;
    await act(async () => vi.advanceTimersByTime(5000));
    expect(result.current.data).toBe(7);
    expect(result.current.error?.code).toBe("unavailable");
  });

  it("does not poll without pollMs", async () => {
    const load = vi.fn(async () => 1);
    renderHook(() => useResource("k", load));
    await act(async () => vi.advanceTimersByTime(60_000));
    expect(load).toHaveBeenCalledTimes(1);
  });
});
