import { act, screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";

import type { AdmittedTicket } from "../../../lib/types";
import { alice, fail, ok, stubApi } from "../../../testing/api-stub";
import { findStatus } from "../../../testing/queries";
import { renderApp, staff } from "../../../testing/render-app";
import { CHECKIN_POLL_MS } from "../api/check-in";
import type { QrDetector } from "../scanner/detector";

const detect = vi.fn<QrDetector["detect"]>();
vi.mock("../scanner/detector", () => ({ createQrDetector: async () => ({ detect }) }));

const CODE = "K2XQ7ZJ4M3VPA6RT9HWNCDEFGB5YLS8U2XQ7ZJ4M";
const event = { id: 1, name: "Gala", event_date: "2030-01-01T19:00:00+00:00", location: "Hall", is_open: true };
const admitted: AdmittedTicket = {
  id: 5,
  seat_number: "S-A12",
  section: "Stalls",
  row: "A",
  number: 12,
  holder: "alice",
  checked_in_at: "2030-01-01T18:31:07+00:00",
};

function stubDoor(answers: Record<string, () => ReturnType<typeof ok>>, counts = [{ tickets: 3, checked_in: 0 }]) {
  let countsAsked = 0;
  const scanned: string[] = [];
  const fetchMock = stubApi({
    "GET /api/auth/me/": () => ok({ user: staff }),
    "GET /api/events/1/": () => ok({ event }),
    "GET /api/events/1/checkin/": () => ok(counts[Math.min(countsAsked++, counts.length - 1)]!),
    "POST /api/events/1/checkin/": (body) => {
      const { code } = body as { code: string };
      scanned.push(code);
      return answers[code]?.() ?? fail(404, "invalid_ticket", "This is not a ticket.");
    },
  });
  return { fetchMock, scanned };
}

async function openDoor() {
  renderApp("/checkin/1");
  const field = await screen.findByRole("textbox", { name: "Ticket code" });
  await screen.findByRole("heading", { level: 1, name: "Check-in: Gala" });
  return field;
}

describe("the door (check-in page)", () => {
  afterEach(() => {
    vi.useRealTimers();
    vi.unstubAllGlobals();
  });

  it("lets a ticket in: green, with the seat and holder; the field is emptied, keeps the focus, and the count moves", async () => {
    const { scanned } = stubDoor({ [CODE]: () => ok({ ticket: admitted }) }, [
      { tickets: 3, checked_in: 0 },
      { tickets: 3, checked_in: 1 },
    ]);
    const field = await openDoor();
    expect(field).toHaveFocus(); // a USB or Bluetooth scanner types wherever the focus is
    expect(await screen.findByText("0 of 3 checked in")).toBeInTheDocument();
    const user = userEvent.setup();
    await user.type(field, `${CODE}{Enter}`); // what a scanner does
    const result = await findStatus(/Come in/);
    expect(result).toHaveTextContent("Stalls · Row A · Seat 12");
    expect(result).toHaveTextContent("Ticket of alice");
    expect(result.querySelector(".verdict--in")).not.toBeNull();
    expect(scanned).toEqual([CODE]);
    expect(field).toHaveValue("");
    expect(field).toHaveFocus();
    expect(await screen.findByText("1 of 3 checked in")).toBeInTheDocument();
  });

  it.each([
    ["a code that is not a ticket", () => fail(404, "invalid_ticket", "This is not a ticket."), "Not a ticket", "not one of our tickets"],
    [
      "a ticket of another event",
      () => ({ status: 409, body: { success: false, code: "wrong_event", error: "Another event.", details: { event_id: 4 } } }),
      "Wrong event",
      "for another event (event #4)",
    ],
    ["a cancelled ticket", () => fail(409, "ticket_cancelled", "Cancelled."), "Cancelled ticket", "reservation was cancelled"],
    [
      "a ticket used already",
      () => ({
        status: 409,
        body: { success: false, code: "already_checked_in", error: "Used.", details: { checked_in_at: admitted.checked_in_at } },
      }),
      "Already checked in",
      `came in at ${new Date(admitted.checked_in_at).toLocaleTimeString(undefined, { timeStyle: "medium" })}`,
    ],
  ])("stops %s in red and says why", async (_case, answer, headline, reason) => {
    stubDoor({ [CODE]: answer });
    const field = await openDoor();
    await userEvent.setup().type(field, `${CODE}{Enter}`);
    const result = await findStatus(headline);
    expect(result).toHaveTextContent(reason);
    expect(result.querySelector(".verdict--stop")).not.toBeNull();
    expect(field).toHaveValue("");
    expect(field).toHaveFocus();
  });

  it("says the next answer even when it reads as the last one (a new element in the live region)", async () => {
    stubDoor({});
    const field = await openDoor();
    const user = userEvent.setup();
    await user.type(field, "NOPE{Enter}");
    const first = (await findStatus("Not a ticket")).firstElementChild;
    await user.type(field, "NOPE2{Enter}");
    await waitFor(() => expect(screen.getByRole("status").firstElementChild).not.toBe(first));
    expect(screen.getByRole("status")).toHaveTextContent("Not a ticket");
  });

  it("trims what was typed and sends nothing for an empty field", async () => {
    const { scanned } = stubDoor({ [CODE]: () => ok({ ticket: admitted }) });
    const field = await openDoor();
    const user = userEvent.setup();
    await user.type(field, "   {Enter}");
    await user.type(field, `  ${CODE} {Enter}`);
    await findStatus(/Come in/);
    expect(scanned).toEqual([CODE]);
  });

  it("checks in a code read by the camera like a typed one", async () => {
    const { scanned } = stubDoor({ [CODE]: () => ok({ ticket: admitted }) });
    const getUserMedia = vi.fn(async () => ({ getTracks: () => [{ stop: vi.fn() }] }) as unknown as MediaStream);
    vi.stubGlobal("navigator", { ...navigator, mediaDevices: { getUserMedia } });
    vi.spyOn(HTMLMediaElement.prototype, "play").mockResolvedValue(undefined);
    vi.spyOn(HTMLMediaElement.prototype, "readyState", "get").mockReturnValue(HTMLMediaElement.HAVE_ENOUGH_DATA);
    detect.mockResolvedValue([{ rawValue: CODE }]);
    await openDoor();
    const user = userEvent.setup();
    await user.click(screen.getByRole("button", { name: "Scan with camera" }));
    expect(await findStatus(/Come in/)).toHaveTextContent("Stalls · Row A · Seat 12");
    expect(scanned).toEqual([CODE]); // once, though the code stays in view
    await user.click(screen.getByRole("button", { name: "Stop camera" }));
    expect(screen.queryByLabelText("Camera view")).not.toBeInTheDocument();
  });

  it("refreshes the count every 10 seconds (other doors let people in too)", async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    stubDoor({}, [
      { tickets: 3, checked_in: 0 },
      { tickets: 3, checked_in: 2 },
    ]);
    await openDoor();
    expect(await screen.findByText("0 of 3 checked in")).toBeInTheDocument();
    await act(async () => vi.advanceTimersByTime(CHECKIN_POLL_MS));
    expect(await screen.findByText("2 of 3 checked in")).toBeInTheDocument();
  });

  it("tells a customer that only staff check tickets in, and asks them nothing", async () => {
    const fetchMock = stubApi({
      "GET /api/auth/me/": () => ok({ user: alice }),
      "GET /api/events/1/": () => ok({ event }),
    });
    renderApp("/checkin/1");
    expect(await screen.findByText("Only staff can check tickets in.")).toBeInTheDocument();
    expect(screen.queryByRole("textbox", { name: "Ticket code" })).not.toBeInTheDocument();
    expect(fetchMock.mock.calls.map(([url]) => url)).not.toContain("/api/events/1/checkin/");
  });

  it("says the same when the API refuses (403), e.g. staff rights taken away meanwhile", async () => {
    stubApi({
      "GET /api/auth/me/": () => ok({ user: staff }),
      "GET /api/events/1/": () => ok({ event }),
      "GET /api/events/1/checkin/": () => fail(403, "forbidden", "Only staff can do this."),
    });
    renderApp("/checkin/1");
    expect(await screen.findByText("Only staff can check tickets in.")).toBeInTheDocument();
  });

  it("sends someone signed out to log in, and back here afterwards", async () => {
    stubApi({
      "GET /api/auth/me/": () => ok({ user: null }),
      "GET /api/events/1/": () => ok({ event }),
    });
    renderApp("/checkin/1");
    expect(await screen.findByRole("heading", { level: 1, name: "Log in" })).toBeInTheDocument();
    expect(screen.getByRole("link", { name: "Create an account" })).toHaveAttribute(
      "href",
      `/register?next=${encodeURIComponent("/checkin/1")}`,
    );
  });
});
