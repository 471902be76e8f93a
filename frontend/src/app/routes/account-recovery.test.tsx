import { screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";

import { PASSWORD_RULES } from "../../features/auth/password-rules";
import { fail, ok, stubApi } from "../../testing/api-stub";
import { findStatus } from "../../testing/queries";
import { renderApp } from "../../testing/render-app";

const signedOut = { "GET /api/auth/me/": () => ok({ user: null }) };

/** The server refuses the new password (400 invalid_request) with this sentence and these details. */
function refuseNewPassword(error: string, details: Record<string, string[]>) {
  stubApi({
    ...signedOut,
    "POST /api/auth/password-reset/confirm/": () => ({
      status: 400,
      body: { success: false, code: "invalid_request", error, details },
    }),
  });
}

/** Open the link's page, type the new password and send it; the field is returned. */
async function setNewPassword(path: string, password: string) {
  renderApp(path);
  const user = userEvent.setup();
  const field = await screen.findByLabelText("New password");
  await user.type(field, password);
  await user.click(screen.getByRole("button", { name: "Set new password" }));
  return field;
}

describe("account recovery", () => {
  it("leads from the login form to asking for a link", async () => {
    stubApi(signedOut);
    renderApp("/login");
    await userEvent.setup().click(await screen.findByRole("link", { name: "Forgot your password?" }));
    // The page comes in a chunk of its own: its heading takes the focus once it is there.
    const heading = await screen.findByRole("heading", { level: 1, name: "Forgot your password?" });
    await waitFor(() => expect(heading).toHaveFocus());
  });

  it("asks for a link with the CSRF header, and says the same whether or not the address is known", async () => {
    document.cookie = "csrftoken=tok3n";
    const fetchMock = stubApi({
      ...signedOut,
      "POST /api/auth/password-reset/": () => ({ status: 202, body: { success: true } }),
    });
    renderApp("/forgot-password");
    const user = userEvent.setup();
    await user.type(await screen.findByLabelText("E-mail address"), "dora@example.com");
    await user.click(screen.getByRole("button", { name: "Send me a link" }));
    await findStatus("If an account has this address, we have sent it a link");
    const [, init] = fetchMock.mock.calls.find(([url]) => url === "/api/auth/password-reset/")!;
    expect(JSON.parse(String(init!.body))).toEqual({ email: "dora@example.com" });
    expect(init!.headers).toMatchObject({ "X-CSRFToken": "tok3n" });
  });

  it("says why no link could be sent (too many asked)", async () => {
    stubApi({
      ...signedOut,
      "POST /api/auth/password-reset/": () => fail(429, "rate_limited", "Too many requests. Try again in a while."),
    });
    renderApp("/forgot-password");
    const user = userEvent.setup();
    await user.type(await screen.findByLabelText("E-mail address"), "dora@example.com");
    await user.click(screen.getByRole("button", { name: "Send me a link" }));
    expect(await screen.findByRole("alert")).toHaveTextContent("Too many requests.");
  });

  it("sets a new password with the link's uid and token, then leads to login", async () => {
    document.cookie = "csrftoken=tok3n";
    const fetchMock = stubApi({ ...signedOut, "POST /api/auth/password-reset/confirm/": () => ok({}) });
    await setNewPassword("/reset-password/Mw/c0ffee-1234", "a-brand-new-passphrase-42"); // its rules: below
    await findStatus("Password changed, you can sign in.");
    const signIn = screen.getByRole("link", { name: "Log in with your new password" });
    expect(signIn).toHaveAttribute("href", "/login");
    await waitFor(() => expect(signIn).toHaveFocus());
    const [, init] = fetchMock.mock.calls.find(([url]) => url === "/api/auth/password-reset/confirm/")!;
    expect(JSON.parse(String(init!.body))).toEqual({ uid: "Mw", token: "c0ffee-1234", password: "a-brand-new-passphrase-42" });
    expect(init!.headers).toMatchObject({ "X-CSRFToken": "tok3n" });
  });

  it("says the same password rules as registration", async () => {
    stubApi(signedOut);
    renderApp("/register");
    expect(await screen.findByLabelText("Password")).toHaveAccessibleDescription(PASSWORD_RULES);
    renderApp("/reset-password/Mw/c0ffee");
    expect(await screen.findByLabelText("New password")).toHaveAccessibleDescription(PASSWORD_RULES);
    expect(PASSWORD_RULES).toMatch(/^At least 8 characters/);
  });

  it("explains a used or expired link and offers to ask again", async () => {
    refuseNewPassword("This password reset link is not valid: it was used already, has expired or is incomplete.", {
      token: ["Ask for a new link."],
    });
    await setNewPassword("/reset-password/Mw/old-token", "a-brand-new-passphrase-42");
    expect(await screen.findByRole("alert")).toHaveTextContent("has expired");
    expect(screen.getByRole("link", { name: "Ask for a new link" })).toHaveAttribute("href", "/forgot-password");
  });

  it("shows why a new password was refused next to the field", async () => {
    refuseNewPassword("This password is too common.", { password: ["This password is too common."] });
    const field = await setNewPassword("/reset-password/Mw/c0ffee", "password1");
    await waitFor(() => expect(field).toHaveAttribute("aria-invalid", "true"));
    expect(field).toHaveAccessibleDescription("This password is too common.");
    expect(screen.queryByRole("link", { name: "Ask for a new link" })).not.toBeInTheDocument();
  });
});
