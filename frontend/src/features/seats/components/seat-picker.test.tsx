import { render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { MemoryRouter, Route, Routes } from "react-router";
import { describe, expect, it } from "vitest";

import { alice, fail, grid, makeSeat, ok, stubApi } from "../../../testing/api-stub";
import type { EventSection } from "../../../lib/types";
import { AuthProvider } from "../../auth/hooks/use-auth";
import { SeatPicker } from "./seat-picker";

const later = () => new Date(Date.now() + 300_000).toISOString();

function renderPicker(sections?: EventSection[]) {
  return render(
    <MemoryRouter initialEntries={["/events/1"]}>
      <AuthProvider>
        <Routes>
          <Route path="/events/:eventId" element={<SeatPicker eventId={1} sections={sections} />} />
          <Route path="/login" element={<p>Login page</p>} />
        </Routes>
      </AuthProvider>
    </MemoryRouter>,
  );
}

describe("SeatPicker", () => {
  it("holds a seat on click, announces it and refreshes the grid at once", async () => {
    let held = false;
    const fetchMock = stubApi({
      "GET /api/auth/me/": () => ok({ user: alice }),
      "GET /api/events/1/seats/": () =>
        ok(
          grid([
            makeSeat(
              held
                ? { seat_number: "A1", status: "locked", is_locked: true, locked_by_me: true, locked_until: later() }
                : { seat_number: "A1" },
            ),
          ]),
        ),
      "POST /api/events/1/seats/1/lock/": () => {
        held = true;
        return ok({ message: "Seat A1 locked for 5 minutes", seat: { id: 1 } });
      },
    });
    renderPicker();
    const user = userEvent.setup();
    await user.click(await screen.findByRole("button", { name: "A1, available, 100.00" }));
    expect(await screen.findByRole("status")).toHaveTextContent("Seat A1 locked for 5 minutes");
    expect(await screen.findByRole("button", { name: "A1, held by you, 100.00" })).toBeInTheDocument();
    expect(screen.getByRole("button", { name: "Reserve 1 seat(s)" })).toBeEnabled();
    expect(await screen.findByText(/held for (4:5\d|5:00)/)).toBeInTheDocument();
    const seatLoads = fetchMock.mock.calls.filter(([url]) => url === "/api/events/1/seats/");
    expect(seatLoads).toHaveLength(2);
  });

  it("explains a failed hold inline, without alert(), and refreshes the grid", async () => {
    let taken = false;
    const fetchMock = stubApi({
      "GET /api/auth/me/": () => ok({ user: alice }),
      "GET /api/events/1/seats/": () =>
        ok(grid([makeSeat(taken ? { seat_number: "A1", status: "locked", is_locked: true } : { seat_number: "A1" })])),
      "POST /api/events/1/seats/1/lock/": () => {
        taken = true;
        return fail(409, "seat_unavailable", "Seat A1 is held by another customer.");
      },
    });
    renderPicker();
    await userEvent.setup().click(await screen.findByRole("button", { name: /^A1, available/ }));
    expect(await screen.findByRole("alert")).toHaveTextContent("Seat A1 is held by another customer. Someone else was faster");
    expect(await screen.findByRole("button", { name: "A1, held by someone else, 100.00" })).toBeInTheDocument();
    expect(fetchMock.mock.calls.filter(([url]) => url === "/api/events/1/seats/")).toHaveLength(2);
  });

  it("reserves the held seats and shows the confirmation with seats and total", async () => {
    let reserved = false;
    const heldSeat = (seat_number: string) =>
      reserved
        ? makeSeat({ seat_number, status: "reserved" })
        : makeSeat({ seat_number, status: "locked", is_locked: true, locked_by_me: true, locked_until: later() });
    const fetchMock = stubApi({
      "GET /api/auth/me/": () => ok({ user: alice }),
      "GET /api/events/1/seats/": () => ok(grid([heldSeat("A1"), heldSeat("A2"), makeSeat({ seat_number: "A3" })])),
      "POST /api/events/1/reserve/": () => {
        reserved = true;
        return {
          status: 201,
          body: {
            success: true,
            message: "Successfully reserved 2 seat(s)",
            reservation_id: 42,
            seats: ["A1", "A2"],
            total_price: "200.00",
          },
        };
      },
    });
    renderPicker();
    const user = userEvent.setup();
    expect(await screen.findByText("200.00")).toBeInTheDocument();
    await user.click(screen.getByRole("button", { name: "Reserve 2 seat(s)" }));
    const confirmation = await screen.findByRole("region", { name: "Reservation confirmed" });
    expect(within(confirmation).getByText(/Reservation #42: seats A1, A2/)).toBeInTheDocument();
    expect(confirmation).toHaveFocus(); // not left on <body> when the Reserve button goes away
    expect(within(confirmation).getByText("200.00")).toBeInTheDocument();
    expect(screen.getByRole("status")).toHaveTextContent("Successfully reserved 2 seat(s): A1, A2. Total 200.00.");
    const reserveCall = fetchMock.mock.calls.find(([url]) => url === "/api/events/1/reserve/");
    expect(JSON.parse(String(reserveCall![1]!.body))).toEqual({ seat_ids: [1, 2] });
    expect(await screen.findByRole("button", { name: "A1, reserved, 100.00" })).toBeInTheDocument();
  });

  it("explains an expired hold when reserving fails", async () => {
    stubApi({
      "GET /api/auth/me/": () => ok({ user: alice }),
      "GET /api/events/1/seats/": () =>
        ok(grid([makeSeat({ seat_number: "A1", status: "locked", is_locked: true, locked_by_me: true, locked_until: later() })])),
      "POST /api/events/1/reserve/": () => fail(409, "lock_not_held", "You do not hold seat(s) A1; the hold may have expired."),
    });
    renderPicker();
    await userEvent.setup().click(await screen.findByRole("button", { name: "Reserve 1 seat(s)" }));
    expect(await screen.findByRole("alert")).toHaveTextContent("the hold may have expired. Hold the seats again");
  });

  it("sends a logged-out customer to log in, and back here afterwards", async () => {
    stubApi({
      "GET /api/auth/me/": () => ok({ user: null }),
      "GET /api/events/1/seats/": () => ok(grid([makeSeat({ seat_number: "A1" })])),
    });
    renderPicker();
    await userEvent.setup().click(await screen.findByRole("button", { name: /^A1, available/ }));
    expect(await screen.findByText("Login page")).toBeInTheDocument();
  });

  it("says why a seat someone else holds cannot be taken", async () => {
    stubApi({
      "GET /api/auth/me/": () => ok({ user: alice }),
      "GET /api/events/1/seats/": () =>
        ok(grid([makeSeat({ seat_number: "A1", status: "locked", is_locked: true })])),
    });
    renderPicker();
    await userEvent.setup().click(await screen.findByRole("button", { name: "A1, held by someone else, 100.00" }));
    expect(await screen.findByRole("alert")).toHaveTextContent(
      "Seat A1 is held by someone else: choose an available seat.",
    );
  });

  it("finds seats together through the holds endpoint and announces them", async () => {
    let asked: unknown;
    stubApi({
      "GET /api/auth/me/": () => ok({ user: alice }),
      "GET /api/events/1/seats/": () =>
        ok(grid([makeSeat({ seat_number: "A1" }), makeSeat({ seat_number: "A2" }), makeSeat({ seat_number: "A3" })])),
      "POST /api/events/1/holds/": (body) => {
        asked = body;
        return ok({
          message: "Holding 2 seats for 5 minutes",
          locked_until: later(),
          server_time: new Date().toISOString(),
          seats: [
            { id: 2, seat_number: "A2", section: "Main", price: "100.00", locked_until: later() },
            { id: 3, seat_number: "A3", section: "Main", price: "100.00", locked_until: later() },
          ],
        });
      },
    });
    renderPicker();
    const user = userEvent.setup();
    await user.clear(await screen.findByRole("spinbutton", { name: "Seats" }));
    await user.type(screen.getByRole("spinbutton", { name: "Seats" }), "2");
    await user.type(screen.getByRole("spinbutton", { name: "Up to (price per seat)" }), "120");
    await user.click(screen.getByRole("button", { name: "Find 2 together" }));
    expect(await screen.findByRole("status")).toHaveTextContent("Holding 2 seats for 5 minutes: A2, A3.");
    expect(asked).toEqual({ count: 2, max_price: "120.00" });
  });

  it("explains when there is no block of that many seats", async () => {
    stubApi({
      "GET /api/auth/me/": () => ok({ user: alice }),
      "GET /api/events/1/seats/": () => ok(grid([makeSeat({ seat_number: "A1" })])),
      "POST /api/events/1/holds/": () => fail(409, "not_enough_seats", "There are no 2 seats side by side left."),
    });
    renderPicker();
    await userEvent.setup().click(await screen.findByRole("button", { name: "Find 2 together" }));
    expect(await screen.findByRole("alert")).toHaveTextContent(
      "There are no 2 seats side by side left. Try fewer seats, another section or a higher price.",
    );
  });

  it("opens a big hall on its sections, then shows the chosen section's seats", async () => {
    const section = (name: string, y: number, left: number): EventSection => ({
      name,
      total_seats: 300,
      available_seats: left,
      locked_seats: 0,
      reserved_seats: 300 - left,
      min_price: "50.00",
      max_price: "50.00",
      x: 0,
      y,
      width: 30,
      height: 10,
    });
    stubApi({
      "GET /api/auth/me/": () => ok({ user: alice }),
      "GET /api/events/1/seats/": () =>
        ok(
          grid([
            makeSeat({ id: 1, seat_number: "S-A1", section: "Stalls" }),
            makeSeat({ id: 2, seat_number: "C-A1", section: "Circle" }),
          ]),
        ),
    });
    renderPicker([section("Stalls", 0, 12), section("Circle", 11, 0)]);
    const user = userEvent.setup();
    expect(screen.getByRole("navigation", { name: "Sections" })).toBeInTheDocument();
    expect(screen.getByRole("button", { name: /Circle.*Sold out/ })).toBeInTheDocument();
    await user.click(screen.getByRole("button", { name: /Stalls.*12 left/ }));
    expect(await screen.findByRole("button", { name: /^S-A1, available/ })).toBeInTheDocument();
    expect(screen.queryByRole("button", { name: /^C-A1,/ })).not.toBeInTheDocument();
    await user.click(screen.getByRole("button", { name: "← All sections" }));
    expect(screen.getByRole("navigation", { name: "Sections" })).toBeInTheDocument();
  });

  it("shows a hold as soon as the server confirms it, before the map is loaded again", async () => {
    let loads = 0;
    stubApi({
      "GET /api/auth/me/": () => ok({ user: alice }),
      "GET /api/events/1/seats/": () => {
        loads += 1;
        // The reload after the hold never answers here: only the hold's own answer can show it.
        return loads === 1 ? ok(grid([makeSeat({ seat_number: "A1" })])) : new Promise(() => {});
      },
      "POST /api/events/1/seats/1/lock/": () =>
        ok({ message: "Seat A1 locked for 5 minutes", seat: { id: 1, seat_number: "A1", locked_until: later() } }),
    });
    renderPicker();
    await userEvent.setup().click(await screen.findByRole("button", { name: "A1, available, 100.00" }));
    expect(await screen.findByRole("button", { name: "A1, held by you, 100.00" })).toBeInTheDocument();
    expect(loads).toBe(2);
  });
});
