import { act, fireEvent, render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

import { ZoomPane } from "./zoom-pane";

// jsdom lays nothing out: the viewport is given a size (400 x 300) and a ResizeObserver that reports
// it, as Chromium's would once the pane is on screen.
beforeEach(() => {
  vi.spyOn(HTMLElement.prototype, "clientWidth", "get").mockReturnValue(400);
  vi.spyOn(HTMLElement.prototype, "clientHeight", "get").mockReturnValue(300);
  vi.stubGlobal(
    "ResizeObserver",
    class {
      constructor(private report: () => void) {}
      observe() {
        this.report();
      }
      disconnect() {}
    },
  );
});

afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllGlobals();
});

/** The scale the drawing is shown at, from its transform. */
function shownScale(): number {
  const content = screen.getByTestId("drawing").parentElement!;
  return Number(/scale\(([\d.]+)\)/.exec(content.style.transform)![1]);
}

// A drawing of 1,000 x 500: the whole fits the 400 px viewport at 0.4.
function pane(props: Partial<Parameters<typeof ZoomPane>[0]> = {}) {
  return render(
    <ZoomPane width={1000} height={500} maxScale={2} {...props}>
      {(scale) => (
        <div data-testid="drawing">
          <button type="button">Seat</button>
          {scale >= 1 ? "labels" : "no labels"}
        </div>
      )}
    </ZoomPane>,
  );
}

describe("ZoomPane", () => {
  it("shows the whole drawing first, and zooms in, out and back to the whole by its buttons", async () => {
    pane();
    const user = userEvent.setup();
    expect(shownScale()).toBe(0.4);
    await user.click(screen.getByRole("button", { name: "Zoom in" }));
    expect(shownScale()).toBeCloseTo(0.6);
    await user.click(screen.getByRole("button", { name: "Zoom in" }));
    expect(shownScale()).toBeCloseTo(0.9);
    await user.click(screen.getByRole("button", { name: "Zoom out" }));
    expect(shownScale()).toBeCloseTo(0.6);
    await user.click(screen.getByRole("button", { name: "Fit" }));
    expect(shownScale()).toBe(0.4);
    await user.click(screen.getByRole("button", { name: "Zoom out" }));
    expect(shownScale()).toBe(0.4); // nothing more to see
  });

  it("gives the drawing its scale, so it can show more when large", async () => {
    pane();
    expect(screen.getByTestId("drawing")).toHaveTextContent("no labels");
    const user = userEvent.setup();
    for (let i = 0; i < 3; i++) await user.click(screen.getByRole("button", { name: "Zoom in" }));
    expect(shownScale()).toBeCloseTo(1.35);
    expect(screen.getByTestId("drawing")).toHaveTextContent(/^Seatlabels$/);
    // The drawing's box grows with it, so the viewport scrolls over all of it.
    const extent = screen.getByTestId("drawing").parentElement!.parentElement!;
    expect(parseFloat(extent.style.width)).toBeCloseTo(1350);
  });

  it("zooms with + and - while the focus is inside, and its buttons are one Tab stop", async () => {
    pane();
    const user = userEvent.setup();
    await user.tab();
    expect(screen.getByRole("button", { name: "Seat" })).toHaveFocus();
    await user.keyboard("+");
    expect(shownScale()).toBeCloseTo(0.6);
    await user.keyboard("-");
    expect(shownScale()).toBeCloseTo(0.4);
    await user.tab();
    expect(screen.getByRole("button", { name: "Zoom out" })).toHaveFocus();
    await user.keyboard("{ArrowRight}");
    expect(screen.getByRole("button", { name: "Zoom in" })).toHaveFocus();
    await user.keyboard("{End}");
    expect(screen.getByRole("button", { name: "Fit" })).toHaveFocus();
    await user.tab();
    expect(document.body).toHaveFocus(); // out of the pane: one stop for the three
  });

  it("zooms with the wheel only while Ctrl is held (a trackpad's pinch), about the pointer", () => {
    pane();
    const viewport = screen.getByTestId("drawing").parentElement!.parentElement!.parentElement!;
    fireEvent.wheel(viewport, { deltaY: -100 });
    expect(shownScale()).toBe(0.4); // a plain wheel scrolls
    const wheel = new WheelEvent("wheel", { deltaY: -50, ctrlKey: true, cancelable: true, bubbles: true });
    act(() => {
      viewport.dispatchEvent(wheel);
    });
    expect(wheel.defaultPrevented).toBe(true); // not the page's zoom
    expect(shownScale()).toBeCloseTo(0.4 * Math.exp(0.5));
  });

  it("starts a narrow pane at the scale given for it (things big enough to tap)", () => {
    pane({ narrowScale: 0.875 });
    expect(shownScale()).toBe(0.875);
  });
});
