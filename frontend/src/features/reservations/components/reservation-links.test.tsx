import { screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { MemoryRouter, Route, Routes, useParams } from "react-router";
import { describe, expect, it } from "vitest";

import type { Reservation } from "../../../lib/types";
import { renderWithClient } from "../../../testing/render";
import { ReservationList } from "./reservation-list";

const reservation: Reservation = {
  id: 7,
  event_id: 1,
  event_name: "Gala",
  event_date: "2030-01-01T19:00:00+00:00",
  seats: ["A1"],
  status: "confirmed",
  total_price: "100.00",
  currency: "EUR",
  created_at: "2029-12-01T10:00:00+00:00",
  cancelled_at: null,
  tickets: [],
};

function Opened() {
  return <p>Opened reservation {useParams().reservationId}</p>;
}

describe("ReservationList links", () => {
  it("leads from each reservation to its own page with the tickets", async () => {
    renderWithClient(
      <MemoryRouter initialEntries={["/reservations"]}>
        <Routes>
          <Route
            path="/reservations"
            element={<ReservationList reservations={[reservation, { ...reservation, id: 8, status: "cancelled" }]} />}
          />
          <Route path="/reservations/:reservationId" element={<Opened />} />
        </Routes>
      </MemoryRouter>,
    );
    expect(screen.getByRole("link", { name: "Details of reservation #8" })).toHaveAttribute("href", "/reservations/8");
    await userEvent.setup().click(screen.getByRole("link", { name: "Tickets and details of reservation #7" }));
    expect(await screen.findByText("Opened reservation 7")).toBeInTheDocument();
  });

  it("is a plain link where the list is shown outside the app's router", () => {
    renderWithClient(<ReservationList reservations={[reservation]} />);
    expect(screen.getByRole("link", { name: "Tickets and details of reservation #7" })).toHaveAttribute(
      "href",
      "/reservations/7",
    );
  });
});
