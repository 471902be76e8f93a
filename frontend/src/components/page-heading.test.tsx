import { render, screen } from "@testing-library/react";
import { afterEach, describe, expect, it } from "vitest";

import { PageHeading } from "./page-heading";

describe("PageHeading", () => {
  afterEach(() => window.history.replaceState(null, ""));

  it("names the page in the document title", () => {
    render(<PageHeading title="My reservations" />);
    expect(document.title).toBe("My reservations · Seat reservations");
    expect(screen.getByRole("heading", { level: 1, name: "My reservations" })).toBeInTheDocument();
  });

  it("takes the focus after a route change, not on the first page of a visit", () => {
    const { unmount } = render(<PageHeading title="Upcoming events" />);
    expect(screen.getByRole("heading", { level: 1 })).not.toHaveFocus();
    unmount();
    window.history.replaceState({ idx: 1 }, "");
    render(<PageHeading title="Gala" />);
    expect(screen.getByRole("heading", { level: 1, name: "Gala" })).toHaveFocus();
  });
});
