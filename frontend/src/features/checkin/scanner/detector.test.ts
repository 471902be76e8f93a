import { afterEach, describe, expect, it, vi } from "vitest";

import { createQrDetector } from "./detector";

const zxing = { detect: vi.fn() };
vi.mock("./zxing-detector", () => ({ createZxingDetector: async () => zxing }));

function nativeDetector(formats: string[]) {
  return class {
    static getSupportedFormats = async () => formats;
    options: unknown;
    constructor(options: unknown) {
      this.options = options;
    }
    detect = vi.fn();
  };
}

describe("createQrDetector", () => {
  afterEach(() => vi.unstubAllGlobals());

  it("uses the browser's own BarcodeDetector when it reads QR codes", async () => {
    const Native = nativeDetector(["ean_13", "qr_code"]);
    vi.stubGlobal("BarcodeDetector", Native);
    const detector = await createQrDetector();
    expect(detector).toBeInstanceOf(Native);
    expect((detector as InstanceType<typeof Native>).options).toEqual({ formats: ["qr_code"] });
  });

  it("loads the WebAssembly reader where there is none, or it cannot read QR codes", async () => {
    expect(await createQrDetector()).toBe(zxing);
    vi.stubGlobal("BarcodeDetector", nativeDetector(["ean_13"]));
    expect(await createQrDetector()).toBe(zxing);
  });
});
