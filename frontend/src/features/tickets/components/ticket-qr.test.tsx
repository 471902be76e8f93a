import { render, screen } from "@testing-library/react";
import { describe, expect, it } from "vitest";

import { qrPath, TicketQr } from "./ticket-qr";

const CODE = "K2XQ7ZJ4M3VPA6RT9HWNCDEFGB5YLS8U2XQ7ZJ4M"; // 40 characters of base32, as the API issues

describe("TicketQr", () => {
  it("is an image named for its seat", () => {
    render(<TicketQr code={CODE} label="Ticket for S-A12, QR code" />);
    const image = screen.getByRole("img", { name: "Ticket for S-A12, QR code" });
    expect(image.tagName.toLowerCase()).toBe("svg");
    expect(image).not.toHaveAttribute("style"); // the Content-Security-Policy allows no inline styles
    expect(image).toHaveAttribute("viewBox", "0 0 37 37"); // 29 modules and a quiet zone of 4 each side
  });

  it("draws the code's modules, with the three finder patterns in their corners", () => {
    const { size, path } = qrPath(CODE);
    expect(size).toBe(29); // version 3: 40 alphanumeric characters at error correction M
    const runs = [...path.matchAll(/M(\d+) (\d+)h(\d+)/g)].map(([, x, y, length]) => [Number(x), Number(y), Number(length)]);
    const rowStarts = (row: number) => runs.filter(([, y]) => y === row).map(([x, , length]) => [x, length]);
    expect(rowStarts(0)).toEqual(expect.arrayContaining([[0, 7], [size - 7, 7]])); // the top of two finders
    expect(rowStarts(size - 1)).toEqual(expect.arrayContaining([[0, 7]])); // the bottom-left finder
    expect(rowStarts(1).slice(0, 2)).toEqual([[0, 1], [6, 1]]); // a finder's hollow ring
  });

  it("draws another code differently", () => {
    expect(qrPath(CODE).path).not.toBe(qrPath(CODE.replace("K", "L")).path);
  });
});
