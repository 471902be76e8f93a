import { render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";

import type { Reservation } from "../../../lib/types";
import { fail, ok, stubApi } from "../../../testing/api-stub";
import { ReservationList } from "./reservation-list";

const reservation: Reservation = {
  id: 7,
  event_id: 1,
  event_name: "The Matrix - Special Screening",
  event_date: "2030-01-01T19:00:00+00:00",
  seats: ["A1", "A2"],
  status: "confirmed",
  total_price: "200.00",
  created_at: "2029-12-01T10:00:00+00:00",
  cancelled_at: null,
};

describe("ReservationList", () => {
  it("lists event, seats, total and status", () => {
    render(<ReservationList reservations={[reservation]} onChange={() => {}} />);
    expect(screen.getByRole("heading", { name: "#7 · The Matrix - Special Screening" })).toBeInTheDocument();
    expect(screen.getByText(/Seats A1, A2/)).toBeInTheDocument();
    expect(screen.getByText("200.00")).toBeInTheDocument();
    expect(screen.getByText("confirmed")).toBeInTheDocument();
  });

  it("asks for confirmation before cancelling, then cancels and refreshes", async () => {
    const fetchMock = stubApi({ "POST /api/reservations/7/cancel/": () => ok({ message: "Reservation cancelled" }) });
    const onChange = vi.fn();
    render(<ReservationList reservations={[reservation]} onChange={onChange} />);
    const user = userEvent.setup();
    await user.click(screen.getByRole("button", { name: "Cancel reservation #7" }));
    expect(fetchMock).not.toHaveBeenCalled();
    await user.click(screen.getByRole("button", { name: "Keep it" }));
    await user.click(screen.getByRole("button", { name: "Cancel reservation #7" }));
    await user.click(screen.getByRole("button", { name: "Yes, cancel it" }));
    expect(fetchMock).toHaveBeenCalledTimes(1);
    expect(await screen.findByRole("status")).toHaveTextContent("Reservation #7 cancelled");
    expect(onChange).toHaveBeenCalled();
    expect(screen.getByRole("heading", { name: /#7/ })).toHaveFocus(); // not <body>
  });

  it("shows why a cancellation failed", async () => {
    stubApi({ "POST /api/reservations/7/cancel/": () => fail(409, "not_cancellable", "The event has started.") });
    render(<ReservationList reservations={[reservation]} onChange={() => {}} />);
    const user = userEvent.setup();
    await user.click(screen.getByRole("button", { name: "Cancel reservation #7" }));
    await user.click(screen.getByRole("button", { name: "Yes, cancel it" }));
    expect(await screen.findByRole("alert")).toHaveTextContent("The event has started.");
  });

  it("offers no cancel button for a cancelled reservation", () => {
    render(<ReservationList reservations={[{ ...reservation, status: "cancelled" }]} onChange={() => {}} />);
    expect(screen.queryByRole("button")).not.toBeInTheDocument();
  });
});
