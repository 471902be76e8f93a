import { vi } from "vitest";

import type { Seat, SeatGrid, User } from "../lib/types";

type Answer = { status?: number; body: unknown };
type Handler = (body: unknown) => Answer | Promise<Answer>;

/**
 * Replace `fetch` with a small router keyed by "METHOD /path". Unknown requests fail the test
 * loudly. Returns the mock, so tests can inspect the calls.
 */
export function stubApi(routes: Record<string, Handler>) {
  const fetchMock = vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
    const method = init?.method ?? "GET";
    const key = `${method} ${String(input)}`;
    const handler = routes[key];
    if (!handler) throw new Error(`Unexpected request: ${key}`);
    const body = init?.body ? JSON.parse(String(init.body)) : undefined;
    const result = await handler(body);
    return new Response(JSON.stringify(result.body), {
      status: result.status ?? 200,
      headers: { "Content-Type": "application/json" },
    });
  });
  vi.stubGlobal("fetch", fetchMock);
  return fetchMock;
}

/** A route whose answer is held back until the test gives it with `answer`: a request on its way. */
export function heldBack() {
  let answer: (result: Answer) => void = () => {};
  const result = new Promise<Answer>((resolve) => {
    answer = resolve;
  });
  return { route: () => result, answer };
}

export const ok = (body: object) => ({ status: 200, body: { success: true, ...body } });
export const fail = (status: number, code: string, error: string) => ({ status, body: { success: false, code, error } });

export const alice: User = { id: 1, username: "alice", is_staff: false, email: "alice@example.com" };

/** A seat from its number ("B2"); its id is unique per row letter and number (B2 is 102). */
export function makeSeat(overrides: Partial<Seat> & { seat_number: string }): Seat {
  const row = overrides.seat_number.replace(/[0-9]+$/, "");
  const number = Number(overrides.seat_number.slice(row.length));
  return {
    id: (row.charCodeAt(0) - 65) * 100 + number,
    section: "Main",
    row,
    number,
    x: number - 1,
    y: row.charCodeAt(0) - 65,
    price: "100.00",
    status: "available",
    is_locked: false,
    locked_by_me: false,
    locked_until: null,
    accessibility: null,
    ...overrides,
  };
}

/** A whole grid of these seats, as if from a server that has sent no cursor or time yet. */
export function grid(seats: Seat[]): SeatGrid {
  return { event_id: 1, lock_seconds: 300, cursor: "", server_time: "", full: true, seats };
}
