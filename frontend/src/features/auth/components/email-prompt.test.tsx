import { screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";

import { alice, ok, stubApi } from "../../../testing/api-stub";
import { findStatus } from "../../../testing/queries";
import { renderWithClient } from "../../../testing/render";
import { EmailPrompt } from "./email-prompt";

function renderPrompt() {
  const onDone = vi.fn();
  const onDismiss = vi.fn();
  const { client } = renderWithClient(<EmailPrompt onDone={onDone} onDismiss={onDismiss} />);
  client.setQueryData(["me"], { ...alice, email: "" });
  return { client, onDone, onDismiss };
}

describe("EmailPrompt", () => {
  it("asks where to send the tickets, saves the address and updates who is signed in", async () => {
    const fetchMock = stubApi({
      "PATCH /api/auth/me/": (body) => ok({ user: { ...alice, ...(body as object) } }),
    });
    const { client, onDone, onDismiss } = renderPrompt();
    const form = screen.getByRole("form", { name: "Where should we send your tickets?" });
    const user = userEvent.setup();
    await user.type(screen.getByLabelText("E-mail address"), " alice@example.com ");
    await user.click(screen.getByRole("button", { name: "Save e-mail address" }));
    await findStatus("we will send your tickets to alice@example.com");
    expect(JSON.parse(String(fetchMock.mock.calls[0]![1]!.body))).toEqual({ email: "alice@example.com" });
    expect(client.getQueryData(["me"])).toEqual({ ...alice, email: "alice@example.com" });
    expect(onDone).toHaveBeenCalledWith({ ...alice, email: "alice@example.com" });
    expect(onDismiss).not.toHaveBeenCalled();
    expect(form).toBeInTheDocument();
  });

  it("shows the server's reason next to the field", async () => {
    stubApi({
      "PATCH /api/auth/me/": () => ({
        status: 400,
        body: {
          success: false,
          code: "invalid_request",
          error: "Please give a valid e-mail address.",
          details: { email: ["Enter a valid email address."] },
        },
      }),
    });
    const { onDone } = renderPrompt();
    const user = userEvent.setup();
    const field = screen.getByLabelText("E-mail address");
    await user.type(field, "alice@localhost");
    await user.click(screen.getByRole("button", { name: "Save e-mail address" }));
    expect(await screen.findByText("Enter a valid email address.")).toBeInTheDocument();
    expect(field).toHaveAttribute("aria-invalid", "true");
    expect(field).toHaveAccessibleDescription("Enter a valid email address.");
    expect(onDone).not.toHaveBeenCalled();
  });

  it("can be put off without asking the server", async () => {
    const fetchMock = stubApi({});
    const { onDismiss } = renderPrompt();
    await userEvent.setup().click(screen.getByRole("button", { name: "Not now" }));
    expect(onDismiss).toHaveBeenCalled();
    expect(fetchMock).not.toHaveBeenCalled();
  });
});
