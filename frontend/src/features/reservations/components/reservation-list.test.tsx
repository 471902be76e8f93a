import { screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";

import type { Reservation } from "../../../lib/types";
import { fail, ok, stubApi } from "../../../testing/api-stub";
import { findStatus } from "../../../testing/queries";
import { renderWithClient } from "../../../testing/render";
import { ReservationList } from "./reservation-list";

const reservation: Reservation = {
  id: 7,
  event_id: 1,
  event_name: "The Matrix - Special Screening",
  event_date: "2030-01-01T19:00:00+00:00",
  seats: ["A1", "A2"],
  status: "confirmed",
  total_price: "200.00",
  currency: "EUR",
  created_at: "2029-12-01T10:00:00+00:00",
  cancelled_at: null,
  tickets: [],
};

describe("ReservationList", () => {
  it("lists event, seats, total and status", () => {
    renderWithClient(<ReservationList reservations={[reservation]} />);
    expect(screen.getByRole("heading", { name: "#7 · The Matrix - Special Screening" })).toBeInTheDocument();
    expect(screen.getByText(/Seats A1, A2/)).toBeInTheDocument();
    expect(screen.getByText("€200.00")).toBeInTheDocument();
    expect(screen.getByText("confirmed")).toBeInTheDocument();
  });

  it("asks for confirmation before cancelling, then cancels and refreshes", async () => {
    const fetchMock = stubApi({ "POST /api/reservations/7/cancel/": () => ok({ message: "Reservation cancelled" }) });
    const { client } = renderWithClient(<ReservationList reservations={[reservation]} />);
    client.setQueryData(["reservations"], [reservation]);
    client.setQueryData(["seats", 1, "holds"], { server_time: "", seats: [] });
    const user = userEvent.setup();
    await user.click(screen.getByRole("button", { name: "Cancel reservation #7" }));
    expect(fetchMock).not.toHaveBeenCalled();
    await user.click(screen.getByRole("button", { name: "Keep it" }));
    await user.click(screen.getByRole("button", { name: "Cancel reservation #7" }));
    await user.click(screen.getByRole("button", { name: "Yes, cancel it" }));
    expect(fetchMock).toHaveBeenCalledTimes(1);
    await findStatus("Reservation #7 cancelled");
    // The list and the event's seats load again when next shown.
    expect(client.getQueryState(["reservations"])?.isInvalidated).toBe(true);
    expect(client.getQueryState(["seats", 1, "holds"])?.isInvalidated).toBe(true);
    expect(screen.getByRole("heading", { name: /#7/ })).toHaveFocus(); // not <body>
  });

  it("shows why a cancellation failed", async () => {
    stubApi({ "POST /api/reservations/7/cancel/": () => fail(409, "not_cancellable", "The event has started.") });
    renderWithClient(<ReservationList reservations={[reservation]} />);
    const user = userEvent.setup();
    await user.click(screen.getByRole("button", { name: "Cancel reservation #7" }));
    await user.click(screen.getByRole("button", { name: "Yes, cancel it" }));
    expect(await screen.findByRole("alert")).toHaveTextContent("The event has started.");
  });

  it("offers no cancel button for a cancelled reservation", () => {
    renderWithClient(<ReservationList reservations={[{ ...reservation, status: "cancelled" }]} />);
    expect(screen.queryByRole("button")).not.toBeInTheDocument();
  });
});
