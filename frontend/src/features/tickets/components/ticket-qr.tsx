import { create } from "qrcode";
import { useMemo } from "react";

/** White modules around the symbol, as the QR code standard asks, so that any reader finds it. */
const QUIET_ZONE = 4;
/** CSS pixels a module: whole pixels keep every module the same size (the style sheet lets a
 * narrower card shrink it). */
const MODULE_PX = 6;

/**
 * The dark modules of `text`'s QR code as one SVG path, a row's neighbouring modules drawn as one
 * rectangle; `size` is the symbol's width in modules (without the quiet zone).
 */
export function qrPath(text: string): { size: number; path: string } {
  const { modules } = create(text, { errorCorrectionLevel: "M" });
  const parts: string[] = [];
  for (let row = 0; row < modules.size; row++) {
    let column = 0;
    while (column < modules.size) {
      if (!modules.get(row, column)) {
        column++;
        continue;
      }
      const start = column;
      while (column < modules.size && modules.get(row, column)) column++;
      parts.push(`M${start} ${row}h${column - start}v1h${start - column}z`);
    }
  }
  return { size: modules.size, path: parts.join("") };
}

/**
 * A ticket's QR code, drawn in the browser as vectors (crisp at any size and zoom, nothing fetched,
 * no inline styles): an image whose accessible name says whose seat it opens.
 */
export function TicketQr({ code, label }: { code: string; label: string }) {
  const { size, path } = useMemo(() => qrPath(code), [code]);
  const box = size + 2 * QUIET_ZONE;
  return (
    <svg
      className="ticket-qr"
      role="img"
      aria-label={label}
      viewBox={`0 0 ${box} ${box}`}
      width={box * MODULE_PX}
      height={box * MODULE_PX}
      shapeRendering="crispEdges"
      xmlns="http://www.w3.org/2000/svg"
    >
      <rect width={box} height={box} fill="#fff" />
      <path d={path} transform={`translate(${QUIET_ZONE} ${QUIET_ZONE})`} fill="#000" />
    </svg>
  );
}
