import { render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";

import type { EventSection, Stage } from "../../../lib/types";
import { SectionOverview } from "./section-overview";

function block(name: string, price: string, left: number, box: Partial<EventSection> = {}): EventSection {
  return {
    name,
    total_seats: 2500,
    available_seats: left,
    locked_seats: 0,
    reserved_seats: 2500 - left,
    blocked_seats: 0,
    min_price: price,
    max_price: price,
    x: 0,
    y: 0,
    width: 50,
    height: 50,
    angle: 0,
    ...box,
  };
}

const pitch: Stage = { label: "PITCH", x: 60, y: 60, width: 100, height: 60 };
const bowl = [
  block("Block 101", "120.00", 2500, { x: 85, y: 4, angle: 180 }),
  block("Block 102", "55.00", 40, { x: 170, y: 130, angle: -45 }),
  block("Block 103", "85.00", 0, { x: 85, y: 126 }),
];

// Prices as Node's default locale (en-US) writes euros: "€120.00".
describe("SectionOverview", () => {
  it("makes each section a button named by its name, price and seats left, in display order", () => {
    render(<SectionOverview sections={bowl} stage={pitch} currency="EUR" onChoose={() => {}} />);
    const drawing = screen.getByRole("navigation", { name: "Sections" }).querySelector("svg") as SVGSVGElement;
    const sections = within(drawing as unknown as HTMLElement).getAllByRole("button");
    expect(sections.map((section) => section.getAttribute("aria-label"))).toEqual([
      "Block 101, €120.00, 2500 left",
      "Block 102, €55.00, 40 left",
      "Block 103, €85.00, Sold out",
    ]);
  });

  it("opens a section by click, Enter or Space", async () => {
    const onChoose = vi.fn();
    render(<SectionOverview sections={bowl} stage={pitch} currency="EUR" onChoose={onChoose} />);
    const user = userEvent.setup();
    await user.click(screen.getByRole("button", { name: /^Block 102/ }));
    await user.tab({ shift: true });
    expect(screen.getByRole("button", { name: /^Block 101/ })).toHaveFocus();
    await user.keyboard("{Enter}");
    await user.tab();
    await user.keyboard(" ");
    await user.keyboard("a"); // other keys do nothing
    expect(onChoose.mock.calls).toEqual([["Block 102"], ["Block 101"], ["Block 102"]]);
  });

  it("draws each section turned where it is, and the field with its label", () => {
    const { container } = render(<SectionOverview sections={bowl} stage={pitch} currency="EUR" onChoose={() => {}} />);
    const shape = (name: RegExp) =>
      screen.getByRole("button", { name }).querySelector(".section-shape__box") as SVGRectElement;
    expect(shape(/^Block 102/).getAttribute("transform")).toBe("rotate(-45 195 155)");
    expect(shape(/^Block 101/).getAttribute("transform")).toBe("rotate(180 110 29)");
    expect(shape(/^Block 103/).hasAttribute("transform")).toBe(false);
    expect(shape(/^Block 103/).getAttribute("x")).toBe("85");
    expect(container.querySelector(".section-overview__field")).toHaveTextContent("PITCH");
    // The drawing holds every turned box and the field; its height follows from its width.
    const drawing = container.querySelector("svg.section-overview__drawing") as SVGSVGElement;
    // From the pitch's left (60) and Block 101's top (4) to the corner block's tips (230.36, 190.36).
    expect(drawing.getAttribute("viewBox")).toBe("58 2 175 191");
    // Its room follows its proportions (the zoom pane's CSS), at 8 px a seat-width at most on first
    // view: a small hall is not blown up.
    const pane = container.querySelector(".zoom-pane") as HTMLElement;
    expect([pane.style.getPropertyValue("--zoom-w"), pane.style.getPropertyValue("--zoom-h")]).toEqual(["1400", "1528"]);
    expect((container.querySelector(".section-overview__hall") as HTMLElement).style.maxWidth).toBe("1400px");
  });

  it("colours sections by price with a legend, cheapest first, and hatches the sold-out ones", () => {
    render(<SectionOverview sections={bowl} stage={pitch} currency="EUR" onChoose={() => {}} />);
    const legend = screen.getByRole("list", { name: "Prices" });
    expect(within(legend).getAllByRole("listitem").map((item) => item.textContent)).toEqual([
      "€55.00",
      "€85.00",
      "€120.00",
      "Sold out",
    ]);
    const fill = (name: RegExp) =>
      screen.getByRole("button", { name }).querySelector(".section-shape__box")?.getAttribute("fill");
    const swatch = (text: string) =>
      (within(legend).getByText(text).querySelector(".swatch") as HTMLElement | null)?.style.background;
    expect(fill(/^Block 102/)).not.toBe(fill(/^Block 101/));
    expect(swatch("€55.00")).toBe(hex(fill(/^Block 102/)!));
    expect(swatch("€120.00")).toBe(hex(fill(/^Block 101/)!));
    expect(fill(/^Block 103/)).toMatch(/^url\(#.*sold-out\)$/); // sold out: hatched, whatever its price
  });

  it("labels a section with what fits: name, price and seats left in a big one", () => {
    const stalls = block("Stalls", "85.00", 300, { width: 40, height: 20 });
    const { container } = render(<SectionOverview sections={[stalls]} currency="EUR" onChoose={() => {}} />);
    expect(container.querySelector(".section-overview__labels")?.textContent).toBe("Stalls€85.00300 left");
    expect(container.querySelector(".section-overview__field")).toBeNull(); // no field given
  });

  it("shows more of a small section's label as it is zoomed in", async () => {
    const box = block("Box 7", "85.00", 12, { width: 6, height: 3 });
    const { container } = render(<SectionOverview sections={[box]} currency="EUR" onChoose={() => {}} />);
    const label = () => container.querySelector(".section-overview__labels")?.textContent;
    expect(label()).toBe("7"); // 48 x 24 px: the short name only
    const user = userEvent.setup();
    for (let press = 0; press < 3; press++) await user.click(screen.getByRole("button", { name: "Zoom in" }));
    expect(label()).toBe("Box 7€85.0012 left"); // three times as big: all of it
  });
});

/** jsdom writes a colour set in a style as rgb(): the same colour as hex. */
function hex(colour: string): string {
  const [r, g, b] = [1, 3, 5].map((at) => parseInt(colour.slice(at, at + 2), 16));
  return `rgb(${r}, ${g}, ${b})`;
}
