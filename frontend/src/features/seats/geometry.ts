/**
 * Where a venue's sections and field are drawn, in seat-widths (the API's units): a section is a
 * box turned by its `angle` (degrees clockwise, y down as on a screen) around its centre, as
 * `reservations/layouts.py` places it; its seats stay straight in its own map.
 */

export type Box = { x: number; y: number; width: number; height: number; angle?: number };
export type Point = [number, number];
export type View = { x: number; y: number; width: number; height: number };

/** The box's corners after turning: top-left, top-right, bottom-right, bottom-left before it. */
export function corners({ x, y, width, height, angle = 0 }: Box): Point[] {
  const turn = (angle * Math.PI) / 180;
  const [cos, sin] = [Math.cos(turn), Math.sin(turn)];
  const [cx, cy] = [x + width / 2, y + height / 2];
  const half: Point[] = [
    [-width / 2, -height / 2],
    [width / 2, -height / 2],
    [width / 2, height / 2],
    [-width / 2, height / 2],
  ];
  return half.map(([dx, dy]) => [cx + dx * cos - dy * sin, cy + dx * sin + dy * cos]);
}

/** The SVG `transform` that turns a box where it is, or none for a straight one. */
export function turnOf({ x, y, width, height, angle = 0 }: Box): string | undefined {
  return angle ? `rotate(${angle} ${x + width / 2} ${y + height / 2})` : undefined;
}

/** The attributes of an SVG `<rect>` drawing the box where it is, turned, grown by `grow` on every side. */
export function rectOf(box: Box, grow = 0) {
  const { x, y, width, height } = box;
  return { x: x - grow, y: y - grow, width: width + 2 * grow, height: height + 2 * grow, transform: turnOf(box) };
}

/** The upright rectangle that holds every box, turned, with `margin` seat-widths around. */
export function viewOf(boxes: Box[], margin = 2): View {
  const points = boxes.flatMap(corners);
  if (points.length === 0) return { x: 0, y: 0, width: 1, height: 1 };
  const xs = points.map(([x]) => x);
  const ys = points.map(([, y]) => y);
  // Whole seat-widths out from the shapes (a half turn leaves 4 as 3.9999999999999996).
  const [down, up] = [(value: number) => Math.floor(value + 1e-9), (value: number) => Math.ceil(value - 1e-9)];
  const [left, top] = [down(Math.min(...xs)) - margin, down(Math.min(...ys)) - margin];
  return {
    x: left,
    y: top,
    width: up(Math.max(...xs)) + margin - left,
    height: up(Math.max(...ys)) + margin - top,
  };
}

/**
 * The widest and tallest upright label that fits around a box's centre: the box itself when it is
 * straight or a quarter turned, less when it is turned in between (a 45° square holds an upright
 * square of its side / √2).
 */
export function uprightSpace({ width, height, angle = 0 }: Box): { width: number; height: number } {
  const turn = (((angle % 180) + 180) % 180) * (Math.PI / 180); // 0..π: a half turn is straight
  const [cos, sin] = [Math.abs(Math.cos(turn)), Math.abs(Math.sin(turn))];
  if (sin < 0.05) return { width, height };
  if (cos < 0.05) return { width: height, height: width };
  const side = Math.min(width, height) / Math.SQRT2;
  return { width: side, height: side };
}

/**
 * Price colours from light (cheapest) to dark (dearest): one hue, so the order reads by lightness
 * alone (in grey, to colour-blind eyes) and no price looks like a pitch's grass or a warning;
 * every stop keeps dark text at 4.5:1 or more.
 */
export const PRICE_RAMP = ["#dcebf7", "#b7d6ee", "#8cc0e3", "#5fa6d6", "#3d8fc8"];

function mix(from: string, to: string, share: number): string {
  const channel = (hex: string, at: number) => parseInt(hex.slice(at, at + 2), 16);
  return `#${[1, 3, 5]
    .map((at) => Math.round(channel(from, at) + (channel(to, at) - channel(from, at)) * share))
    .map((value) => value.toString(16).padStart(2, "0"))
    .join("")}`;
}

/** One colour per price, cheapest first, spread along the ramp (mixed between stops if needed). */
export function priceColours(prices: number[]): Map<number, string> {
  const distinct = [...new Set(prices)].sort((a, b) => a - b);
  const last = PRICE_RAMP.length - 1;
  return new Map(
    distinct.map((price, rank) => {
      const at = distinct.length === 1 ? last / 2 : (rank * last) / (distinct.length - 1);
      const stop = Math.min(Math.floor(at), last - 1);
      return [price, mix(PRICE_RAMP[stop]!, PRICE_RAMP[stop + 1]!, at - stop)];
    }),
  );
}

/** Relative luminance (WCAG 2), for checking that labels stay readable on every fill. */
export function luminance(hex: string): number {
  const [r, g, b] = [1, 3, 5].map((at) => {
    const value = parseInt(hex.slice(at, at + 2), 16) / 255;
    return value <= 0.04045 ? value / 12.92 : ((value + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
}

const CHARACTER = 0.6; // a character's width, in ems: generous for the system sans-serif fonts
const LINE = 1.2; // line height, in ems

/**
 * The lines of a section's label and their size in px that fit `space` (px): its name, price and
 * seats left at 12 to 10 px if there is room, then fewer or shorter lines ("101" for "Block 101",
 * the count alone), then 9 px; nothing when even that does not fit (the button keeps its name).
 */
export function labelFor(
  name: string,
  price: string,
  left: string,
  count: string,
  space: { width: number; height: number },
): { lines: string[]; size: number } {
  const short = name.split(" ").at(-1) ?? name;
  const choices = [[name, price, left], [name, left], [short, left], [short, count], [short]];
  const fits = (lines: string[], size: number) =>
    Math.max(...lines.map((line) => line.length)) * CHARACTER * size <= space.width - 4 &&
    lines.length * LINE * size <= space.height - 4;
  // More said a little smaller before less said bigger; 9 px only as the last resort.
  for (const lines of choices) {
    const size = [12, 11, 10].find((size) => fits(lines, size));
    if (size) return { lines, size };
  }
  const lines = choices.find((lines) => fits(lines, 9));
  return lines ? { lines, size: 9 } : { lines: [], size: 0 };
}

/** A field drawn as grass with its markings, rather than a plain stage: a football pitch. */
export function isPitch(label: string): boolean {
  return /^(pitch|football pitch|field)$/i.test(label.trim());
}
