import { screen } from "@testing-library/react";
import { describe, expect, it } from "vitest";

import { alice, fail, ok, stubApi } from "../../testing/api-stub";
import { renderApp } from "../../testing/render-app";
import { reservationWithTickets as reservation } from "../../testing/reservations";

describe("/reservations/:id (the page the confirmation e-mail links to)", () => {
  it("shows the reservation with a QR code per ticket, and leads back to the list", async () => {
    stubApi({
      "GET /api/auth/me/": () => ok({ user: { ...alice, email: "alice@example.com" } }),
      "GET /api/reservations/7/": () => ok({ reservation }),
    });
    renderApp("/reservations/7");
    expect(await screen.findByRole("heading", { level: 1, name: "#7 · Gala" })).toBeInTheDocument();
    expect(document.title).toBe("#7 · Gala · Seat reservations");
    expect(screen.getAllByRole("img", { name: /QR code$/ })).toHaveLength(3);
    expect(screen.getByRole("link", { name: "← My reservations" })).toHaveAttribute("href", "/reservations");
    expect(screen.queryByRole("form", { name: "Where should we send your tickets?" })).not.toBeInTheDocument();
  });

  it("asks a customer without an e-mail address where to send tickets", async () => {
    stubApi({
      "GET /api/auth/me/": () => ok({ user: { ...alice, email: "" } }),
      "GET /api/reservations/7/": () => ok({ reservation }),
    });
    renderApp("/reservations/7");
    expect(await screen.findByRole("form", { name: "Where should we send your tickets?" })).toBeInTheDocument();
  });

  it("says so when the reservation is not there (or not yours)", async () => {
    stubApi({
      "GET /api/auth/me/": () => ok({ user: alice }),
      "GET /api/reservations/7/": () => fail(404, "not_found", "Reservation not found."),
    });
    renderApp("/reservations/7");
    expect(await screen.findByRole("alert")).toHaveTextContent("Reservation not found.");
    expect(screen.getByRole("heading", { level: 1, name: "Reservation #7" })).toBeInTheDocument();
  });

  it("sends someone signed out to log in first", async () => {
    stubApi({ "GET /api/auth/me/": () => ok({ user: null }) });
    renderApp("/reservations/7");
    expect(await screen.findByRole("heading", { level: 1, name: "Log in" })).toBeInTheDocument();
    expect(screen.getByRole("link", { name: "Create an account" })).toHaveAttribute(
      "href",
      `/register?next=${encodeURIComponent("/reservations/7")}`,
    );
  });
});
