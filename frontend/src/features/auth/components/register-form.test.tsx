import { screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";

import { alice, heldBack, ok, stubApi } from "../../../testing/api-stub";
import { renderWithClient } from "../../../testing/render";
import { AuthProvider } from "../hooks/use-auth";
import { RegisterForm } from "./register-form";

function renderForm() {
  const onDone = vi.fn();
  const { client } = renderWithClient(
    <AuthProvider>
      <RegisterForm onDone={onDone} />
    </AuthProvider>,
  );
  return { onDone, client };
}

describe("RegisterForm", () => {
  it("shows the server's reasons next to the fields at fault", async () => {
    stubApi({
      "GET /api/auth/me/": () => ok({ user: null }),
      "POST /api/auth/register/": () => ({
        status: 400,
        body: {
          success: false,
          code: "invalid_request",
          error: "Please correct the highlighted fields.",
          details: { password: ["This password is too common."] },
        },
      }),
    });
    const { onDone } = renderForm();
    const user = userEvent.setup();
    await user.type(screen.getByLabelText("Username"), "carol");
    await user.type(screen.getByLabelText("Password"), "password");
    await user.click(screen.getByRole("button", { name: "Create account" }));
    expect(await screen.findByRole("alert")).toHaveTextContent("Please correct the highlighted fields.");
    expect(screen.getByLabelText("Password")).toHaveAttribute("aria-invalid", "true");
    expect(screen.getByLabelText("Password")).toHaveAccessibleDescription("This password is too common.");
    expect(screen.getByLabelText("Username")).toHaveAttribute("aria-invalid", "false");
    expect(onDone).not.toHaveBeenCalled();
  });

  it("registers and hands over", async () => {
    const fetchMock = stubApi({
      "GET /api/auth/me/": () => ok({ user: null }),
      "POST /api/auth/register/": () => ({ status: 201, body: { success: true, user: { id: 3, username: "carol", is_staff: false } } }),
    });
    const { onDone, client } = renderForm();
    const user = userEvent.setup();
    await user.type(screen.getByLabelText("Username"), "carol");
    await user.type(screen.getByLabelText("Email (optional)"), "carol@example.com");
    await user.type(screen.getByLabelText("Password"), "correct-horse-battery");
    await user.click(screen.getByRole("button", { name: "Create account" }));
    await waitFor(() => expect(onDone).toHaveBeenCalled());
    expect(client.getQueryData(["me"])).toEqual({ id: 3, username: "carol", is_staff: false }); // signed in at once
    const call = fetchMock.mock.calls.find(([url]) => url === "/api/auth/register/");
    expect(JSON.parse(String(call![1]!.body))).toEqual({
      username: "carol",
      password: "correct-horse-battery",
      email: "carol@example.com",
    });
  });

  it("stays signed in when the page's first answer to \"who is this?\" comes after the registration", async () => {
    const me = heldBack();
    stubApi({
      "GET /api/auth/me/": me.route,
      "POST /api/auth/register/": () => ({ status: 201, body: { success: true, user: alice } }),
    });
    const { onDone, client } = renderForm();
    const user = userEvent.setup();
    await user.type(screen.getByLabelText("Username"), "alice");
    await user.type(screen.getByLabelText("Password"), "correct-horse-battery");
    await user.click(screen.getByRole("button", { name: "Create account" }));
    await waitFor(() => expect(onDone).toHaveBeenCalled());
    me.answer(ok({ user: null })); // asked when the page opened, before the registration: nobody
    await waitFor(() => expect(client.getQueryState(["me"])?.fetchStatus).toBe("idle")); // that request is over
    expect(client.getQueryData(["me"])).toEqual(alice);
  });
});
