import { describe, expect, it } from "vitest";

import { ApiError } from "./api-client";
import { retryTransient } from "./react-query";

describe("retryTransient", () => {
  const error = (status: number) => new ApiError("x", status, "code");

  it("retries a lost connection, a busy server and a rate limit twice", () => {
    for (const status of [0, 429, 500, 503]) {
      expect([0, 1, 2].map((failures) => retryTransient(failures, error(status)))).toEqual([true, true, false]);
    }
  });

  it("takes a 4xx answer (or anything that is not the API's) as final", () => {
    for (const status of [400, 401, 404, 409]) expect(retryTransient(0, error(status))).toBe(false);
    expect(retryTransient(0, new TypeError("bug"))).toBe(false);
  });
});
