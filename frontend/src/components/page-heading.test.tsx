import { render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { MemoryRouter, Route, Routes, useNavigate } from "react-router";
import { afterEach, describe, expect, it } from "vitest";

import { PageHeading } from "./page-heading";

function LogIn() {
  const navigate = useNavigate();
  return (
    <button type="button" onClick={() => navigate("/events/1", { replace: true })}>
      Log in
    </button>
  );
}

const inRouter = (page: React.ReactNode) => <MemoryRouter>{page}</MemoryRouter>;

describe("PageHeading", () => {
  afterEach(() => window.history.replaceState(null, ""));

  it("names the page in the document title", () => {
    render(inRouter(<PageHeading title="My reservations" />));
    expect(document.title).toBe("My reservations · Seat reservations");
    expect(screen.getByRole("heading", { level: 1, name: "My reservations" })).toBeInTheDocument();
  });

  it("takes the focus after a route change, not on the first page of a visit", () => {
    const { unmount } = render(inRouter(<PageHeading title="Upcoming events" />));
    expect(screen.getByRole("heading", { level: 1 })).not.toHaveFocus();
    unmount();
    window.history.replaceState({ idx: 1 }, "");
    render(inRouter(<PageHeading title="Gala" />));
    expect(screen.getByRole("heading", { level: 1, name: "Gala" })).toHaveFocus();
  });

  it("takes the focus after a redirect that replaces the first page (logging in)", async () => {
    render(
      <MemoryRouter initialEntries={["/login"]}>
        <Routes>
          <Route path="/login" element={<LogIn />} />
          <Route path="/events/1" element={<PageHeading title="Gala" />} />
        </Routes>
      </MemoryRouter>,
    );
    await userEvent.setup().click(screen.getByRole("button", { name: "Log in" }));
    expect(screen.getByRole("heading", { level: 1, name: "Gala" })).toHaveFocus();
  });
});
