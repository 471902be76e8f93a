import { BarcodeDetector, prepareZXingModule } from "barcode-detector/ponyfill";
// The reader's WebAssembly as a file Vite emits next to the app (hashed name): the page's
// Content-Security-Policy and the lack of internet at a venue's door rule out the default CDN.
import wasmUrl from "zxing-wasm/reader/zxing_reader.wasm?url";

import type { QrDetector } from "./detector";

/** Where the Emscripten module looks for its files: the .wasm is ours, anything else as it was. */
export function locateFile(path: string, prefix: string): string {
  return path.endsWith(".wasm") ? wasmUrl : prefix + path;
}

/** The BarcodeDetector polyfill (barcode-detector, on zxing-wasm) reading QR codes only, its
 * WebAssembly fetched and compiled now rather than at the first frame. */
export async function createZxingDetector(): Promise<QrDetector> {
  await prepareZXingModule({ overrides: { locateFile }, fireImmediately: true });
  return new BarcodeDetector({ formats: ["qr_code"] });
}
