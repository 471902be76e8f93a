/** What the scanner needs of the Barcode Detection API (not yet in TypeScript's DOM types). */
export type QrDetector = {
  detect(source: HTMLVideoElement): Promise<{ rawValue: string }[]>;
};

type DetectorClass = {
  new (options: { formats: string[] }): QrDetector;
  getSupportedFormats(): Promise<string[]>;
};

/**
 * A QR code reader: the browser's own BarcodeDetector where it has one that reads QR codes (Chrome
 * on Android and macOS), else ZXing compiled to WebAssembly, loaded only now (its own chunk and a
 * ~1 MB .wasm served from this site) so that nobody else downloads it.
 */
export async function createQrDetector(): Promise<QrDetector> {
  const native = (globalThis as { BarcodeDetector?: DetectorClass }).BarcodeDetector;
  if (native) {
    const formats = await native.getSupportedFormats().catch(() => [] as string[]);
    if (formats.includes("qr_code")) return new native({ formats: ["qr_code"] });
  }
  const { createZxingDetector } = await import("./zxing-detector");
  return createZxingDetector();
}
