import "@testing-library/jest-dom/vitest";

import { cleanup, configure } from "@testing-library/react";
import { afterEach } from "vitest";

// findBy* and waitFor wait for what they assert; on a busy CI machine (two cores shared with the
// backend's suites) rendering a seat map can take seconds, so they wait up to 10 s rather than 1 s.
// (A broken test then takes 10 s to fail instead of 1 s.)
configure({ asyncUtilTimeout: 10_000 });

afterEach(() => {
  cleanup();
  document.cookie.split(";").forEach((cookie) => {
    document.cookie = `${cookie.split("=")[0]!.trim()}=; expires=Thu, 01 Jan 1970 00:00:00 GMT`;
  });
});
