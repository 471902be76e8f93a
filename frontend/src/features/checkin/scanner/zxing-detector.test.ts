import { ZXING_WASM_VERSION as detectorBuiltFor } from "barcode-detector/ponyfill";
import { ZXING_WASM_VERSION as bundled } from "zxing-wasm/reader";
import wasmUrl from "zxing-wasm/reader/zxing_reader.wasm?url";
import { describe, expect, it } from "vitest";

import { locateFile } from "./zxing-detector";

describe("the bundled QR code reader", () => {
  it("fetches its WebAssembly from this site, never from a CDN", () => {
    expect(locateFile("zxing_reader.wasm", "https://fastly.jsdelivr.net/npm/zxing-wasm/dist/reader/")).toBe(wasmUrl);
    expect(wasmUrl).toMatch(/zxing_reader\.wasm$/);
    expect(wasmUrl).not.toMatch(/^https?:/);
    expect(locateFile("other.js", "/assets/")).toBe("/assets/other.js");
  });

  it("ships the .wasm of the zxing-wasm version the polyfill was built with (their exports must match)", () => {
    expect(bundled).toBe(detectorBuiltFor);
  });
});
