import { screen } from "@testing-library/react";
import { MemoryRouter } from "react-router";
import { describe, expect, it } from "vitest";

import type { EventSummary } from "../../../lib/types";
import { renderWithClient } from "../../../testing/render";
import { EventList } from "./event-list";

const event: EventSummary = {
  id: 1,
  name: "Cup final",
  description: "",
  event_date: "2030-05-01T19:00:00+00:00",
  location: "National Arena",
  is_open: true,
  total_seats: 100,
  available_seats: 40,
  locked_seats: 0,
  reserved_seats: 60,
  blocked_seats: 0,
  hold_limit: 10,
  ticket_limit: 10,
  min_price: "35.00",
  max_price: "85.00",
  currency: "GBP",
  onsale_at: null,
  queue: { enabled: false, per_minute: 60, max_active: 100 },
};

describe("EventList", () => {
  it("shows each event's prices in its currency", () => {
    renderWithClient(
      <MemoryRouter>
        <EventList events={[event, { ...event, id: 2, name: "Free concert", min_price: null, max_price: null }]} />
      </MemoryRouter>,
    );
    expect(screen.getByText("Price £35.00 – £85.00 ·")).toBeInTheDocument();
    expect(screen.queryAllByText(/Price/)).toHaveLength(1); // a hall without seats shows no price
  });
});
