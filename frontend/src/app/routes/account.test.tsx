import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";

import { alice, ok, stubApi } from "../../testing/api-stub";
import { renderApp } from "../../testing/render-app";

const me = { ...alice, email: "alice@old.example.com" };

function section(name: string) {
  return within(screen.getByRole("region", { name }));
}

describe("/account", () => {
  it("is linked from the header and shows the address tickets go to", async () => {
    stubApi({ "GET /api/auth/me/": () => ok({ user: me }), "GET /api/events/": () => ok({ events: [] }) });
    renderApp("/");
    await userEvent.setup().click(await screen.findByRole("link", { name: "Account" }));
    // The page comes in a chunk of its own: its heading takes the focus once it is there.
    const heading = await screen.findByRole("heading", { level: 1, name: "Account settings" });
    await waitFor(() => expect(heading).toHaveFocus());
    expect(section("E-mail address").getByLabelText("E-mail address")).toHaveValue("alice@old.example.com");
  });

  it("sets the e-mail address and says so", async () => {
    const fetchMock = stubApi({
      "GET /api/auth/me/": () => ok({ user: me }),
      "PATCH /api/auth/me/": (body) => ok({ user: { ...me, ...(body as object) } }),
    });
    const { client } = renderApp("/account");
    const user = userEvent.setup();
    const field = await screen.findByRole("textbox", { name: "E-mail address" });
    await user.clear(field);
    await user.type(field, "alice@new.example.com");
    await user.click(screen.getByRole("button", { name: "Save e-mail address" }));
    await waitFor(() =>
      expect(section("E-mail address").getByRole("status")).toHaveTextContent("alice@new.example.com"),
    );
    expect(client.getQueryData(["me"])).toMatchObject({ email: "alice@new.example.com" });
    expect(fetchMock.mock.calls.some(([url, init]) => url === "/api/auth/me/" && init?.method === "PATCH")).toBe(true);
  });

  it("changes the password and stays signed in", async () => {
    const fetchMock = stubApi({
      "GET /api/auth/me/": () => ok({ user: me }),
      "POST /api/auth/password/": () => ok({ user: me }),
    });
    const { client } = renderApp("/account");
    const user = userEvent.setup();
    await user.type(await screen.findByLabelText("Current password"), "correct-horse-battery-staple");
    await user.type(screen.getByLabelText("New password"), "a-brand-new-passphrase-42");
    await user.click(screen.getByRole("button", { name: "Change password" }));
    await waitFor(() => expect(section("Change password").getByRole("status")).toHaveTextContent("Password changed."));
    expect(screen.getByLabelText("Current password")).toHaveValue(""); // nothing left in the form
    expect(client.getQueryData(["me"])).toEqual(me);
    const [, init] = fetchMock.mock.calls.find(([url]) => url === "/api/auth/password/")!;
    expect(JSON.parse(String(init!.body))).toEqual({
      old_password: "correct-horse-battery-staple",
      new_password: "a-brand-new-passphrase-42",
    });
  });

  it("shows the field errors of a refused change", async () => {
    stubApi({
      "GET /api/auth/me/": () => ok({ user: me }),
      "POST /api/auth/password/": () => ({
        status: 400,
        body: {
          success: false,
          code: "invalid_request",
          error: "The current password is not correct.",
          details: { old_password: ["Not your current password."] },
        },
      }),
    });
    renderApp("/account");
    const user = userEvent.setup();
    const current = await screen.findByLabelText("Current password");
    await user.type(current, "wrong");
    await user.type(screen.getByLabelText("New password"), "a-brand-new-passphrase-42");
    await user.click(screen.getByRole("button", { name: "Change password" }));
    expect(await screen.findByRole("alert")).toHaveTextContent("The current password is not correct.");
    expect(current).toHaveAttribute("aria-invalid", "true");
    expect(current).toHaveAccessibleDescription("Not your current password.");
    expect(screen.getByLabelText("New password")).toHaveAttribute("aria-invalid", "false");
  });

  it("sends someone signed out to log in", async () => {
    stubApi({ "GET /api/auth/me/": () => ok({ user: null }) });
    renderApp("/account");
    expect(await screen.findByRole("heading", { level: 1, name: "Log in" })).toBeInTheDocument();
  });
});
