import { screen } from "@testing-library/react";
import { describe, expect, it } from "vitest";

import { heldBack, ok, stubApi } from "../../testing/api-stub";
import { renderApp } from "../../testing/render-app";

describe("EventRoute", () => {
  it("keeps the heading's and the date's lines while the event is on its way, then fills them", async () => {
    const event = heldBack();
    stubApi({ "GET /api/auth/me/": () => ok({ user: null }), "GET /api/events/1/": event.route });
    renderApp("/events/1");
    expect(await screen.findByText("Loading the event…")).toHaveClass("placeholder-heading");
    expect(screen.getByRole("link", { name: "← All events" })).toBeInTheDocument();
    event.answer(
      ok({
        event: {
          id: 1,
          name: "Gala Night",
          description: "",
          event_date: "2027-01-13T19:00:00Z",
          location: "City Concert Hall",
          is_open: false,
          hold_limit: 10,
          ticket_limit: 10,
          total_seats: 0,
          available_seats: 0,
          locked_seats: 0,
          reserved_seats: 0,
          blocked_seats: 0,
        },
      }),
    );
    expect(await screen.findByRole("heading", { level: 1, name: "Gala Night" })).toBeInTheDocument();
    expect(screen.queryByText("Loading the event…")).not.toBeInTheDocument();
    expect(screen.getByText(/City Concert Hall/)).toBeInTheDocument();
  });
});
