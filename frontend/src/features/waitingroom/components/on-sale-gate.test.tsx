import { act, screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { MemoryRouter } from "react-router";
import { afterEach, describe, expect, it, vi } from "vitest";

import { alice, ok, stubApi } from "../../../testing/api-stub";
import { renderWithClient } from "../../../testing/render";
import type { EventSummary, QueuePlace } from "../../../lib/types";
import { AuthProvider } from "../../auth/hooks/use-auth";
import { pollDelay, retryDelay } from "../hooks/use-queue-place";
import { formatWait, OnSaleGate } from "./on-sale-gate";

const event = (overrides: Partial<EventSummary> = {}): EventSummary => ({
  id: 1,
  name: "Cup final",
  description: "",
  event_date: new Date(Date.now() + 86_400_000).toISOString(),
  location: "National Arena",
  is_open: true,
  total_seats: 10,
  available_seats: 10,
  locked_seats: 0,
  reserved_seats: 0,
  blocked_seats: 0,
  hold_limit: 10,
  ticket_limit: 10,
  min_price: "10.00",
  max_price: "10.00",
  currency: "EUR",
  onsale_at: null,
  queue: { enabled: false, per_minute: 60, max_active: 100 },
  ...overrides,
});

const queued = event({ queue: { enabled: true, per_minute: 60, max_active: 100 } });

const waiting = (position: number, wait: number): QueuePlace => ({
  state: "waiting",
  position,
  ahead: position - 1,
  admitted: false,
  admitted_until: null,
  estimated_wait_seconds: wait,
  opens_at: null,
  per_minute: 60,
});

function renderGate(shown: EventSummary) {
  return renderWithClient(
    <MemoryRouter initialEntries={["/events/1"]}>
      <AuthProvider>
        <OnSaleGate event={shown}>
          <p>The seat map</p>
        </OnSaleGate>
      </AuthProvider>
    </MemoryRouter>,
  );
}

afterEach(() => {
  vi.useRealTimers();
});

describe("OnSaleGate", () => {
  it("shows the map at once when the event is on sale without a queue", async () => {
    stubApi({ "GET /api/auth/me/": () => ok({ user: alice }) });
    renderGate(event());
    expect(await screen.findByText("The seat map")).toBeInTheDocument();
  });

  it("counts down to the on-sale, then shows the map by itself", async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    stubApi({ "GET /api/auth/me/": () => ok({ user: alice }) });
    renderGate(event({ onsale_at: new Date(Date.now() + 65_000).toISOString() }));
    expect(screen.getByRole("heading", { name: /Seats go on sale/ })).toBeInTheDocument();
    expect(screen.getByText(/Opens in/)).toHaveTextContent(/1:0[45]/);
    expect(screen.queryByText("The seat map")).not.toBeInTheDocument();
    await act(async () => vi.advanceTimersByTime(66_000));
    expect(await screen.findByText("The seat map")).toBeInTheDocument();
  });

  it("joins the queue on request and shows the place, the people ahead, the wait and the progress", async () => {
    let place: QueuePlace | null = null;
    const fetchMock = stubApi({
      "GET /api/auth/me/": () => ok({ user: alice }),
      "GET /api/events/1/queue/": () => ok({ queue: place }),
      "POST /api/events/1/queue/": () => {
        place = waiting(42, 150);
        return ok({ queue: place });
      },
    });
    renderGate(queued);
    await userEvent.click(await screen.findByRole("button", { name: "Join the queue" }));
    expect(await screen.findByRole("heading", { name: "You are in the queue" })).toBeInTheDocument();
    expect(screen.getByRole("status")).toHaveTextContent(
      "You are number 42 in the queue; 41 people ahead of you, about 3 minutes to wait.",
    );
    expect(screen.getByRole("progressbar", { name: "Your progress in the queue" })).toBeInTheDocument();
    expect(screen.queryByText("The seat map")).not.toBeInTheDocument();
    expect(fetchMock.mock.calls.filter(([url]) => String(url).endsWith("/queue/"))).toHaveLength(2);
  });

  it("follows the place by polling and opens the map when admitted, with the time left", async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    let place: QueuePlace = waiting(2, 4);
    stubApi({
      "GET /api/auth/me/": () => ok({ user: alice }),
      "GET /api/events/1/queue/": () => ok({ queue: place }),
    });
    renderGate(queued);
    expect(await screen.findByText(/You are number 2 in the queue/)).toBeInTheDocument();
    place = waiting(1, 2);
    await act(async () => vi.advanceTimersByTime(2_600)); // at most 2 s + 25%
    expect(await screen.findByText(/You are number 1 in the queue; 0 people ahead/)).toBeInTheDocument();
    place = {
      ...place,
      state: "admitted",
      position: null,
      ahead: 0,
      admitted: true,
      admitted_until: new Date(Date.now() + 900_000).toISOString(),
      estimated_wait_seconds: 0,
    };
    await act(async () => vi.advanceTimersByTime(2_600));
    expect(await screen.findByText("The seat map")).toBeInTheDocument();
    expect(screen.getByRole("note")).toHaveTextContent(/It is your turn: choose and reserve your seats within 1[45]:\d\d/);
  });

  it("before the on-sale says places are drawn at random when it opens", async () => {
    const opens = new Date(Date.now() + 600_000).toISOString();
    stubApi({
      "GET /api/auth/me/": () => ok({ user: alice }),
      "GET /api/events/1/queue/": () =>
        ok({ queue: { ...waiting(1, 0), state: "before_onsale", position: null, ahead: null, opens_at: opens } }),
    });
    renderGate({ ...queued, onsale_at: opens });
    await waitFor(() => expect(screen.getByRole("status")).toHaveTextContent(/gets a place at random/));
    expect(screen.getByText(/Opens in/)).toHaveTextContent(/(9:5\d|10:00)/);
  });

  it("asks a visitor to log in to join", async () => {
    stubApi({ "GET /api/auth/me/": () => ok({ user: null }) });
    renderGate(queued);
    expect(await screen.findByRole("link", { name: "Log in" })).toHaveAttribute("href", "/login?next=%2Fevents%2F1");
  });
});

describe("polling the queue", () => {
  it("asks soon when the turn is near, rarely when far, never two browsers in lockstep", () => {
    expect(pollDelay(waiting(1, 2), () => 0.5)).toBe(2_000);
    expect(pollDelay(waiting(500, 600), () => 0.5)).toBe(30_000);
    expect(pollDelay(waiting(50, 100), () => 0)).toBe(7_500);
    expect(pollDelay(waiting(50, 100), () => 1)).toBe(12_500);
    expect(pollDelay(null)).toBe(false);
    expect(pollDelay({ ...waiting(1, 0), state: "ended" })).toBe(false);
  });

  it("backs off after failures, with full jitter", () => {
    expect(retryDelay(0, () => 1)).toBe(2_000);
    expect(retryDelay(3, () => 1)).toBe(16_000);
    expect(retryDelay(10, () => 1)).toBe(60_000);
    expect(retryDelay(10, () => 0.25)).toBe(15_000);
  });

  it("words the wait", () => {
    expect(formatWait(30)).toBe("less than a minute");
    expect(formatWait(150)).toBe("about 3 minutes");
    expect(formatWait(3_900)).toBe("about 1 hour 5 minutes");
  });
});
