import { screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";

import { fail, stubApi } from "../../../testing/api-stub";
import { findStatus } from "../../../testing/queries";
import { renderWithClient } from "../../../testing/render";
import { reservationWithTickets as reservation } from "../../../testing/reservations";
import { ReservationDetail } from "./reservation-detail";

describe("ReservationDetail", () => {
  it("shows the date, seats, total and status, and each ticket's QR code and state", () => {
    renderWithClient(<ReservationDetail reservation={reservation} />);
    expect(screen.getByText(/Seats S-A12, S-A13, S-A14/)).toBeInTheDocument();
    expect(screen.getByText("€255.00")).toBeInTheDocument();
    expect(screen.getByText("confirmed")).toBeInTheDocument();
    expect(screen.getAllByRole("img", { name: /^Ticket for .*, QR code$/ })).toHaveLength(3);
    const card = (seat: string) => screen.getByRole("img", { name: `Ticket for ${seat}, QR code` }).closest("li")!;
    expect(within(card("S-A12")).getByText(/^Valid/)).toBeInTheDocument();
    expect(within(card("S-A13")).getByText(/^Checked in at/)).toBeInTheDocument();
    expect(within(card("S-A13")).getByText(/^Checked in at/).querySelector("time")).toHaveAttribute(
      "dateTime",
      "2030-01-01T18:40:00+00:00",
    );
    expect(within(card("S-A14")).getByText(/^Cancelled/)).toBeInTheDocument();
  });

  it("links to the tickets as a PDF and the event for a calendar", () => {
    renderWithClient(<ReservationDetail reservation={reservation} />);
    expect(screen.getByRole("link", { name: "Download tickets (PDF)" })).toHaveAttribute(
      "href",
      "/api/reservations/7/tickets.pdf",
    );
    expect(screen.getByRole("link", { name: "Add to calendar (.ics)" })).toHaveAttribute(
      "href",
      "/api/reservations/7/calendar.ics",
    );
  });

  it("sends the confirmation again on request and says so", async () => {
    const fetchMock = stubApi({ "POST /api/reservations/7/resend/": () => ({ status: 202, body: { success: true } }) });
    renderWithClient(<ReservationDetail reservation={reservation} />);
    await userEvent.setup().click(screen.getByRole("button", { name: "Resend confirmation e-mail" }));
    await findStatus("We have sent the confirmation with your tickets again.");
    expect(fetchMock).toHaveBeenCalledTimes(1);
  });

  it("says why the confirmation could not be sent again", async () => {
    stubApi({
      "POST /api/reservations/7/resend/": () => fail(429, "rate_limited", "Too many requests. Try again in a while."),
    });
    renderWithClient(<ReservationDetail reservation={reservation} />);
    await userEvent.setup().click(screen.getByRole("button", { name: "Resend confirmation e-mail" }));
    expect(await screen.findByRole("alert")).toHaveTextContent("Too many requests.");
  });

  it("offers nothing to resend for a cancelled reservation", () => {
    const cancelled = reservation.tickets!.map((ticket) => ({ ...ticket, status: "cancelled" as const }));
    renderWithClient(<ReservationDetail reservation={{ ...reservation, status: "cancelled", tickets: cancelled }} />);
    expect(screen.queryByRole("button", { name: "Resend confirmation e-mail" })).not.toBeInTheDocument();
    expect(screen.getAllByText(/^Cancelled/)).toHaveLength(3);
  });

  it("asks for an e-mail address when the account has none, until put off", async () => {
    renderWithClient(<ReservationDetail reservation={reservation} askForEmail />);
    await userEvent.setup().click(screen.getByRole("button", { name: "Not now" }));
    expect(screen.queryByRole("form", { name: "Where should we send your tickets?" })).not.toBeInTheDocument();
  });
});
