import { describe, expect, it, vi } from "vitest";

import { fail, ok, stubApi } from "../testing/api-stub";
import { ApiError, api } from "./api-client";

describe("api client", () => {
  it("sends JSON and the CSRF token on unsafe requests", async () => {
    document.cookie = "csrftoken=abc123";
    const fetchMock = stubApi({ "POST /api/x/": () => ok({ done: true }) });
    await expect(api.post("/api/x/", { a: 1 })).resolves.toEqual({ success: true, done: true });
    const init = fetchMock.mock.calls[0]![1]!;
    expect(init.headers).toMatchObject({ "Content-Type": "application/json", "X-CSRFToken": "abc123" });
    expect(init.credentials).toBe("same-origin");
    expect(init.body).toBe('{"a":1}');
  });

  it("sends the CSRF token on PATCH too", async () => {
    document.cookie = "csrftoken=abc123";
    const fetchMock = stubApi({ "PATCH /api/x/": () => ok({}) });
    await api.patch("/api/x/", { email: "a@example.com" });
    const init = fetchMock.mock.calls[0]![1]!;
    expect(init.method).toBe("PATCH");
    expect(init.headers).toMatchObject({ "Content-Type": "application/json", "X-CSRFToken": "abc123" });
    expect(init.body).toBe('{"email":"a@example.com"}');
  });

  it("revalidates reads with the server instead of trusting the browser cache", async () => {
    const fetchMock = stubApi({ "GET /api/x/": () => ok({}) });
    await api.get("/api/x/");
    expect(fetchMock.mock.calls[0]![1]!.cache).toBe("no-cache");
    expect(fetchMock.mock.calls[0]![1]!.headers).not.toHaveProperty("X-CSRFToken");
  });

  it("turns the API's error shape into an ApiError", async () => {
    stubApi({ "POST /api/x/": () => fail(409, "seat_unavailable", "Seat A1 is held by another customer.") });
    const error = await api.post("/api/x/").catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 409, code: "seat_unavailable", message: "Seat A1 is held by another customer." });
  });

  it("explains a network failure", async () => {
    vi.stubGlobal("fetch", vi.fn().mockRejectedValue(new TypeError("Failed to fetch")));
    await expect(api.get("/api/x/")).rejects.toMatchObject({ code: "network_error" });
  });

  it("copes with a body that is not JSON", async () => {
    vi.stubGlobal("fetch", vi.fn().mockResolvedValue(new Response("<html>", { status: 502 })));
    await expect(api.get("/api/x/")).rejects.toMatchObject({ status: 502, code: "server_error" });
  });
});
