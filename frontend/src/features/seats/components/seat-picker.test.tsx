import { act, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { MemoryRouter, Route, Routes, useSearchParams } from "react-router";
import { describe, expect, it } from "vitest";

import { alice, fail, grid, heldBack, makeSeat, ok, stubApi } from "../../../testing/api-stub";
import { findStatus } from "../../../testing/queries";
import { reservationWithTickets } from "../../../testing/reservations";
import { renderWithClient } from "../../../testing/render";
import type { EventSection, Reservation, Seat } from "../../../lib/types";
import { AuthProvider } from "../../auth/hooks/use-auth";
import { SeatPicker } from "./seat-picker";

const later = () => new Date(Date.now() + 300_000).toISOString();

/** The seat grid and my holds, both read from `seats()` when asked, and my reservations (none
 * unless given). */
function seatRoutes(seats: () => Seat[], query = "", reservations: () => Reservation[] = () => []) {
  return {
    [`GET /api/events/1/seats/${query}`]: () => ok(grid(seats())),
    "GET /api/events/1/holds/": () =>
      ok({ server_time: new Date().toISOString(), seats: seats().filter((seat) => seat.locked_by_me) }),
    "GET /api/reservations/": () => ok({ reservations: reservations() }),
  };
}

/** Best available's answer: these seats (of `seats()` above) are now held for 5 minutes. */
function heldTogether(seats: Seat[]) {
  return ok({
    message: `Holding ${seats.length} seat${seats.length > 1 ? "s" : ""} for 5 minutes`,
    locked_until: later(),
    server_time: new Date().toISOString(),
    seats: seats.map(({ id, seat_number, section, price }) => ({ id, seat_number, section, price, locked_until: later() })),
  });
}

/** Stands in for the login page: says where logging in leads back to. */
function LoginPage() {
  return <p>Login page, then back to {useSearchParams()[0].get("next")}</p>;
}

function renderPicker(sections?: EventSection[]) {
  return renderWithClient(
    <MemoryRouter initialEntries={["/events/1"]}>
      <AuthProvider>
        <Routes>
          <Route path="/events/:eventId" element={<SeatPicker eventId={1} currency="EUR" sections={sections} limits={{ hold: 10, ticket: 4 }} />} />
          <Route path="/login" element={<LoginPage />} />
        </Routes>
      </AuthProvider>
    </MemoryRouter>,
  );
}

describe("SeatPicker", () => {
  const heldByMe = (seat_number: string, section = "Main") =>
    makeSeat({ seat_number, section, status: "locked", is_locked: true, locked_by_me: true, locked_until: later() });

  it("holds a seat on click, announces it and refreshes the grid at once", async () => {
    let held = false;
    const fetchMock = stubApi({
      "GET /api/auth/me/": () => ok({ user: alice }),
      ...seatRoutes(() => [held ? heldByMe("A1") : makeSeat({ seat_number: "A1" })]),
      "POST /api/events/1/seats/1/lock/": () => {
        held = true;
        return ok({ message: "Seat A1 locked for 5 minutes", seat: { id: 1, locked_until: later() } });
      },
    });
    renderPicker();
    const user = userEvent.setup();
    await user.click(await screen.findByRole("button", { name: "A1, available, €100.00" }));
    await findStatus("Seat A1 locked for 5 minutes");
    expect(await screen.findByRole("button", { name: "A1, held by you, €100.00" })).toBeInTheDocument();
    expect(screen.getByRole("button", { name: "Reserve 1 seat(s)" })).toBeEnabled();
    expect(await screen.findByText(/held for (4:5\d|5:00)/)).toBeInTheDocument();
    const seatLoads = () => fetchMock.mock.calls.filter(([url]) => url === "/api/events/1/seats/");
    await waitFor(() => expect(seatLoads()).toHaveLength(2));
    // A small hall's whole grid shows every hold of yours: no separate list is asked for.
    expect(fetchMock.mock.calls.filter(([url]) => url === "/api/events/1/holds/")).toHaveLength(0);
  });

  it("asks a customer without an e-mail address where the tickets should go, and lets them put it off", async () => {
    let held = false;
    stubApi({
      "GET /api/auth/me/": () => ok({ user: { ...alice, email: "" } }),
      ...seatRoutes(() => [held ? heldByMe("A1") : makeSeat({ seat_number: "A1" })]),
      "POST /api/events/1/seats/1/lock/": () => {
        held = true;
        return ok({ message: "Seat A1 locked for 5 minutes", seat: { id: 1, locked_until: later() } });
      },
    });
    renderPicker();
    const user = userEvent.setup();
    expect(screen.queryByRole("form", { name: "Where should we send your tickets?" })).not.toBeInTheDocument();
    await user.click(await screen.findByRole("button", { name: "A1, available, €100.00" }));
    const prompt = await screen.findByRole("form", { name: "Where should we send your tickets?" });
    expect(screen.getByRole("button", { name: "Reserve 1 seat(s)" })).toBeEnabled(); // reserving needs no address
    await user.click(within(prompt).getByRole("button", { name: "Not now" }));
    await waitFor(() =>
      expect(screen.queryByRole("form", { name: "Where should we send your tickets?" })).not.toBeInTheDocument(),
    );
  });

  it("tells the ticket limit before it is reached, counting this event's reservations and holds", async () => {
    const here = { ...reservationWithTickets, seats: ["B1", "B2"] };
    const elsewhere = { ...here, id: 8, event_id: 2, seats: ["C1", "C2", "C3"] };
    const cancelled = { ...here, id: 9, status: "cancelled" as const, seats: ["D1"] };
    const held = new Set<string>();
    const seatNow = (seat_number: string) => (held.has(seat_number) ? heldByMe(seat_number) : makeSeat({ seat_number }));
    const routes = seatRoutes(() => ["A1", "A2", "A3"].map(seatNow), "", () => [here, elsewhere, cancelled]);
    stubApi({
      "GET /api/auth/me/": () => ok({ user: alice }),
      ...routes,
      "POST /api/events/1/seats/1/lock/": () => {
        held.add("A1");
        return ok({ message: "Seat A1 locked for 5 minutes", seat: { id: 1, locked_until: later() } });
      },
      "POST /api/events/1/seats/2/lock/": () => {
        held.add("A2");
        return ok({ message: "Seat A2 locked for 5 minutes", seat: { id: 2, locked_until: later() } });
      },
      "POST /api/events/1/seats/3/lock/": () =>
        fail(409, "ticket_limit_reached", "One customer may have at most 4 seats for this event."),
    });
    renderPicker();
    const user = userEvent.setup();
    expect(await screen.findByText("Up to 4 tickets per customer for this event: you have 2 reserved.")).toBeVisible();
    expect(screen.getByRole("spinbutton", { name: "Seats" })).toHaveAttribute("max", "2");
    await user.click(await screen.findByRole("button", { name: "A1, available, €100.00" }));
    expect(await screen.findByText(/you have 2 reserved and 1 held\.$/)).toBeVisible();
    await user.click(await screen.findByRole("button", { name: "A2, available, €100.00" }));
    expect(
      await screen.findByText(/^You have 2 reserved and 2 held: the most one customer may have for this event \(4\)/),
    ).toBeVisible();
    expect(screen.getByRole("spinbutton", { name: "Seats" })).toHaveValue(1);
    await user.click(await screen.findByRole("button", { name: "A3, available, €100.00" }));
    expect(await screen.findByRole("alert")).toHaveTextContent(
      "One customer may have at most 4 seats for this event. Release a seat or cancel a reservation first.",
    );
  });

  it("explains a failed hold inline, without alert(), and refreshes the grid", async () => {
    let taken = false;
    const fetchMock = stubApi({
      "GET /api/auth/me/": () => ok({ user: alice }),
      ...seatRoutes(() => [makeSeat(taken ? { seat_number: "A1", status: "locked", is_locked: true } : { seat_number: "A1" })]),
      "POST /api/events/1/seats/1/lock/": () => {
        taken = true;
        return fail(409, "seat_unavailable", "Seat A1 is held by another customer.");
      },
    });
    renderPicker();
    await userEvent.setup().click(await screen.findByRole("button", { name: /^A1, available/ }));
    expect(await screen.findByRole("alert")).toHaveTextContent("Seat A1 is held by another customer. Someone else was faster");
    expect(await screen.findByRole("button", { name: "A1, held by someone else, €100.00" })).toBeInTheDocument();
    expect(fetchMock.mock.calls.filter(([url]) => url === "/api/events/1/seats/")).toHaveLength(2);
  });

  it("reserves the held seats and shows the confirmation with seats and total", async () => {
    let reserved = false;
    const seatNow = (seat_number: string) =>
      reserved ? makeSeat({ seat_number, status: "reserved" }) : heldByMe(seat_number);
    const fetchMock = stubApi({
      "GET /api/auth/me/": () => ok({ user: alice }),
      ...seatRoutes(() => [seatNow("A1"), seatNow("A2"), makeSeat({ seat_number: "A3" })]),
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
            currency: "EUR",
          },
        };
      },
    });
    renderPicker();
    const user = userEvent.setup();
    expect(await screen.findByText("€200.00")).toBeInTheDocument();
    await user.click(screen.getByRole("button", { name: "Reserve 2 seat(s)" }));
    const confirmation = await screen.findByRole("region", { name: "Reservation confirmed" });
    expect(within(confirmation).getByText(/Reservation #42: seats A1, A2/)).toBeInTheDocument();
    expect(confirmation).toHaveFocus(); // not left on <body> when the Reserve button goes away
    expect(within(confirmation).getByText("€200.00")).toBeInTheDocument();
    await findStatus("Successfully reserved 2 seat(s): A1, A2. Total €200.00.");
    const reserveCall = fetchMock.mock.calls.find(([url]) => url === "/api/events/1/reserve/");
    expect(JSON.parse(String(reserveCall![1]!.body))).toEqual({ seat_ids: [1, 2] });
    expect(await screen.findByRole("button", { name: "A1, reserved, €100.00" })).toBeInTheDocument();
  });

  it("explains an expired hold when reserving fails", async () => {
    stubApi({
      "GET /api/auth/me/": () => ok({ user: alice }),
      ...seatRoutes(() => [heldByMe("A1")]),
      "POST /api/events/1/reserve/": () => fail(409, "lock_not_held", "You do not hold seat(s) A1; the hold may have expired."),
    });
    renderPicker();
    await userEvent.setup().click(await screen.findByRole("button", { name: "Reserve 1 seat(s)" }));
    expect(await screen.findByRole("alert")).toHaveTextContent("the hold may have expired. Hold the seats again");
  });

  it("says so when a hold runs out, by the server's clock, and keeps saying it until the next action", async () => {
    const soon = new Date(Date.now() + 300).toISOString();
    let a1 = makeSeat({ seat_number: "A1", status: "locked", is_locked: true, locked_by_me: true, locked_until: soon });
    let a2 = makeSeat({ seat_number: "A2" });
    stubApi({
      "GET /api/auth/me/": () => ok({ user: alice }),
      ...seatRoutes(() => [a1, a2]),
      "POST /api/events/1/seats/1/lock/": () => {
        a1 = heldByMe("A1");
        return ok({ message: "Seat A1 locked for 5 minutes", seat: { id: 1, locked_until: later() } });
      },
    });
    const { client } = renderPicker();
    const ranOut = "Your hold on A1 ran out: the seat is free for everyone again.";
    expect(await screen.findByRole("button", { name: "A1, held by you, €100.00" })).toBeInTheDocument();
    expect(await screen.findByRole("button", { name: "A1, available, €100.00" }, { timeout: 2000 })).toBeInTheDocument();
    expect(screen.getByRole("status")).toHaveTextContent(ranOut);
    // Signed in (the summary is shown) and holding nothing: no Reserve button.
    expect(await screen.findByText("Choose an available seat to hold it for a few minutes.")).toBeInTheDocument();
    expect(screen.queryByRole("button", { name: /^Reserve/ })).not.toBeInTheDocument();
    // The next poll no longer lists the hold at all (and someone has reserved A2): the notice stays.
    a1 = makeSeat({ seat_number: "A1" });
    a2 = makeSeat({ seat_number: "A2", status: "reserved" });
    await act(() => client.refetchQueries());
    expect(await screen.findByRole("button", { name: "A2, reserved, €100.00" })).toBeInTheDocument();
    expect(screen.getByRole("status")).toHaveTextContent(ranOut);
    // Until the next action, whose own message takes its place.
    await userEvent.setup().click(screen.getByRole("button", { name: "A1, available, €100.00" }));
    await findStatus("Seat A1 locked for 5 minutes");
  });

  it("sends a logged-out customer to log in, and back here afterwards", async () => {
    stubApi({
      "GET /api/auth/me/": () => ok({ user: null }),
      ...seatRoutes(() => [makeSeat({ seat_number: "A1" })]),
    });
    renderPicker();
    await userEvent.setup().click(await screen.findByRole("button", { name: /^A1, available/ }));
    expect(await screen.findByText("Login page, then back to /events/1")).toBeInTheDocument();
  });

  it("waits to know who is signed in before an action that needs it, then does it", async () => {
    const me = heldBack(); // the page has just opened: who is signed in is not known yet
    let held = false;
    const seatNow = (seat_number: string) => (held ? heldByMe(seat_number) : makeSeat({ seat_number }));
    stubApi({
      "GET /api/auth/me/": me.route,
      ...seatRoutes(() => [seatNow("A1"), seatNow("A2")]),
      "POST /api/events/1/holds/": () => {
        held = true;
        return heldTogether([seatNow("A1"), seatNow("A2")]);
      },
    });
    renderPicker();
    await userEvent.setup().click(screen.getByRole("button", { name: "Find 2 together" })); // before the answer
    // Not knowing yet is not being logged out: the click waits (and cannot be sent twice).
    expect(screen.queryByText(/Login page/)).not.toBeInTheDocument();
    expect(screen.getByRole("button", { name: "Finding…" })).toBeDisabled();
    me.answer(ok({ user: alice }));
    await findStatus("Holding 2 seats for 5 minutes: A1, A2.");
    expect(await screen.findByRole("button", { name: "A1, held by you, €100.00" })).toBeInTheDocument();
    expect(screen.queryByText(/Login page/)).not.toBeInTheDocument();
  });

  it("sends a customer to log in once the server says nobody is signed in, not before", async () => {
    const me = heldBack(); // the page has just opened: who is signed in is not known yet
    stubApi({ "GET /api/auth/me/": me.route, ...seatRoutes(() => [makeSeat({ seat_number: "A1" })]) });
    renderPicker();
    await userEvent.setup().click(await screen.findByRole("button", { name: "A1, available, €100.00" }));
    expect(screen.queryByText(/Login page/)).not.toBeInTheDocument();
    expect(screen.getByRole("button", { name: "A1, available, €100.00" })).toHaveAttribute("aria-busy", "true");
    me.answer(ok({ user: null }));
    expect(await screen.findByText("Login page, then back to /events/1")).toBeInTheDocument();
  });

  it("says why a seat someone else holds cannot be taken", async () => {
    stubApi({
      "GET /api/auth/me/": () => ok({ user: alice }),
      ...seatRoutes(() => [makeSeat({ seat_number: "A1", status: "locked", is_locked: true })]),
    });
    renderPicker();
    await userEvent.setup().click(await screen.findByRole("button", { name: "A1, held by someone else, €100.00" }));
    expect(await screen.findByRole("alert")).toHaveTextContent(
      "Seat A1 is held by someone else: choose an available seat.",
    );
  });

  it("clears a lost connection's error once the server answers again", async () => {
    let online = false;
    stubApi({
      "GET /api/auth/me/": () => ok({ user: alice }),
      ...seatRoutes(() => [makeSeat({ seat_number: "A1" })]),
      "POST /api/events/1/seats/1/lock/": () => {
        if (!online) throw new TypeError("Failed to fetch"); // what fetch() does without a connection
        return fail(409, "seat_unavailable", "Seat A1 is held by another customer.");
      },
    });
    const { client } = renderPicker();
    await userEvent.setup().click(await screen.findByRole("button", { name: "A1, available, €100.00" }));
    expect(await screen.findByRole("alert")).toHaveTextContent("We could not reach the server.");
    online = true;
    await act(() => client.refetchQueries()); // the next poll, or the browser's "online" event
    await waitFor(() => expect(screen.queryByRole("alert")).not.toBeInTheDocument());
  });

  it("finds seats together through the holds endpoint and shows them held", async () => {
    let asked: unknown;
    let held = false;
    const seatNow = (seat_number: string) => (held ? heldByMe(seat_number) : makeSeat({ seat_number }));
    stubApi({
      "GET /api/auth/me/": () => ok({ user: alice }),
      ...seatRoutes(() => [makeSeat({ seat_number: "A1" }), seatNow("A2"), seatNow("A3")]),
      "POST /api/events/1/holds/": (body) => {
        asked = body;
        held = true;
        return heldTogether([seatNow("A2"), seatNow("A3")]);
      },
    });
    renderPicker();
    const user = userEvent.setup();
    await user.clear(await screen.findByRole("spinbutton", { name: "Seats" }));
    await user.type(screen.getByRole("spinbutton", { name: "Seats" }), "2");
    await user.type(screen.getByRole("spinbutton", { name: "Up to (price per seat)" }), "120");
    await user.click(screen.getByRole("button", { name: "Find 2 together" }));
    await findStatus("Holding 2 seats for 5 minutes: A2, A3.");
    expect(asked).toEqual({ count: 2, max_price: "120.00" });
    // The map hears of the hold from the cache, a beat after the message: wait for it.
    expect(await screen.findByRole("button", { name: "A2, held by you, €100.00" })).toBeInTheDocument();
    expect(screen.getByRole("button", { name: "Reserve 2 seat(s)" })).toBeInTheDocument();
  });

  it("explains when there is no block of that many seats", async () => {
    stubApi({
      "GET /api/auth/me/": () => ok({ user: alice }),
      ...seatRoutes(() => [makeSeat({ seat_number: "A1" })]),
      "POST /api/events/1/holds/": () => fail(409, "not_enough_seats", "There are no 2 seats side by side left."),
    });
    renderPicker();
    await userEvent.setup().click(await screen.findByRole("button", { name: "Find 2 together" }));
    expect(await screen.findByRole("alert")).toHaveTextContent(
      "There are no 2 seats side by side left. Try fewer seats, another section or a higher price.",
    );
  });

  const section = (name: string, y: number, left: number): EventSection => ({
    name,
    total_seats: 300,
    available_seats: left,
    locked_seats: 0,
    reserved_seats: 300 - left,
    blocked_seats: 0,
    min_price: "50.00",
    max_price: "50.00",
    x: 0,
    y,
    width: 30,
    height: 10,
    angle: 0,
  });
  const hall = [section("Stalls", 0, 12), section("Circle", 11, 0)];
  // The overview's counts are polled: the event now has 10 seats left in the Stalls, not 12.
  const eventRoute = { "GET /api/events/1/": () => ok({ event: { id: 1, sections: [section("Stalls", 0, 10), hall[1]] } }) };

  it("opens a big hall on its sections, loads only the chosen section, and keeps holds from the others", async () => {
    const circleSeat = heldByMe("C-A1", "Circle");
    const fetchMock = stubApi({
      "GET /api/auth/me/": () => ok({ user: alice }),
      "GET /api/events/1/seats/?section=Stalls": () => ok(grid([makeSeat({ id: 1, seat_number: "S-A1", section: "Stalls" })])),
      "GET /api/events/1/holds/": () => ok({ server_time: new Date().toISOString(), seats: [circleSeat] }),
      ...eventRoute,
    });
    renderPicker(hall);
    const user = userEvent.setup();
    expect(screen.getByRole("navigation", { name: "Sections" })).toBeInTheDocument();
    expect(screen.getByRole("button", { name: /Circle.*Sold out/ })).toBeInTheDocument();
    expect(await screen.findByText("C-A1")).toBeInTheDocument(); // in "Your seats", before any grid
    await user.click(await screen.findByRole("button", { name: /Stalls.*10 left/ }));
    expect(await screen.findByRole("button", { name: /^S-A1, available/ })).toBeInTheDocument();
    expect(screen.getByRole("heading", { name: "Stalls" })).toHaveFocus();
    expect(screen.getByRole("button", { name: "Reserve 1 seat(s)" })).toBeInTheDocument(); // C-A1, held elsewhere
    await user.click(screen.getByRole("button", { name: "← All sections" }));
    expect(screen.getByRole("navigation", { name: "Sections" })).toBeInTheDocument();
    expect(screen.getByRole("heading", { name: "Choose a section" })).toHaveFocus();
    const urls = fetchMock.mock.calls.map(([url]) => String(url));
    expect(urls.filter((url) => url.startsWith("/api/events/1/seats/"))).toEqual(["/api/events/1/seats/?section=Stalls"]);
  });

  it("keeps the room of the chosen section's seats while they load, in the section's proportions", async () => {
    const seats = heldBack();
    stubApi({
      "GET /api/auth/me/": () => ok({ user: null }),
      "GET /api/events/1/seats/?section=Stalls": seats.route,
      ...eventRoute,
    });
    renderPicker(hall);
    await userEvent.setup().click(await screen.findByRole("button", { name: /Stalls/ }));
    const room = screen.getByText("Loading seats…").parentElement!;
    expect(room).toHaveClass("seats-placeholder");
    expect(room.style.aspectRatio).toBe("30 / 10"); // Stalls: 30 seat-widths by 10 rows
    seats.answer(ok(grid([makeSeat({ id: 1, seat_number: "S-A1", section: "Stalls" })])));
    expect(await screen.findByRole("button", { name: /^S-A1, available/ })).toBeInTheDocument();
    expect(screen.queryByText("Loading seats…")).not.toBeInTheDocument();
  });

  it("keeps the log-in hint's line, unread, until it knows who is signed in", async () => {
    const me = heldBack();
    stubApi({ "GET /api/auth/me/": me.route, ...seatRoutes(() => [makeSeat({ seat_number: "A1" })]) });
    renderPicker();
    const hint = /^Log in to hold seats/;
    expect(screen.getByText(hint)).toHaveAttribute("aria-hidden", "true");
    expect(screen.getByText(hint)).toHaveClass("placeholder-hidden");
    me.answer(ok({ user: null }));
    await waitFor(() => expect(screen.getByText(hint)).not.toHaveAttribute("aria-hidden"));
    expect(screen.getByText(hint)).not.toHaveClass("placeholder-hidden");
  });

  it("opens the section where best available found the seats", async () => {
    stubApi({
      "GET /api/auth/me/": () => ok({ user: alice }),
      ...seatRoutes(() => [heldByMe("S-A1", "Stalls")], "?section=Stalls"),
      ...eventRoute,
      "POST /api/events/1/holds/": () => heldTogether([heldByMe("S-A1", "Stalls")]),
    });
    renderPicker(hall);
    const user = userEvent.setup();
    await user.clear(screen.getByRole("spinbutton", { name: "Seats" }));
    await user.type(screen.getByRole("spinbutton", { name: "Seats" }), "1");
    await user.click(screen.getByRole("button", { name: "Find 1 together" }));
    expect(await screen.findByRole("button", { name: "S-A1, held by you, €100.00" })).toBeInTheDocument();
    expect(screen.getByRole("heading", { name: "Stalls" })).toBeInTheDocument();
  });

  it("offers the seats as a list, row by row, with the same actions", async () => {
    let held = false;
    stubApi({
      "GET /api/auth/me/": () => ok({ user: alice }),
      ...seatRoutes(() => [
        makeSeat({ seat_number: "A1", status: "reserved" }),
        makeSeat({ seat_number: "B1" }),
        held ? heldByMe("B2") : makeSeat({ seat_number: "B2" }),
      ]),
      "POST /api/events/1/seats/102/lock/": () => {
        held = true;
        return ok({ message: "Seat B2 locked for 5 minutes", seat: { id: 102, locked_until: later() } });
      },
    });
    renderPicker();
    const user = userEvent.setup();
    await user.click(await screen.findByRole("button", { name: "List by row" }));
    const row = screen.getByRole("combobox", { name: "Row" });
    expect(within(row).getByRole("option", { name: "Row A: none free" })).toBeInTheDocument();
    expect(row).toHaveDisplayValue("Row B: 2 of 2 free"); // the first row with a free seat
    await user.click(screen.getByRole("button", { name: "B2, available, €100.00" }));
    expect(await screen.findByRole("button", { name: "B2, held by you, €100.00" })).toHaveAttribute("aria-pressed", "true");
    await user.selectOptions(row, screen.getByRole("option", { name: "Row A: none free" }));
    expect(screen.getByText("No free seats in row a: choose another row.")).toBeInTheDocument();
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
    await userEvent.setup().click(await screen.findByRole("button", { name: "A1, available, €100.00" }));
    expect(await screen.findByRole("button", { name: "A1, held by you, €100.00" })).toBeInTheDocument();
    expect(screen.getByRole("button", { name: "Reserve 1 seat(s)" })).toBeInTheDocument();
    await waitFor(() => expect(loads).toBe(2)); // the reload was asked for, and has not answered
  });
});
