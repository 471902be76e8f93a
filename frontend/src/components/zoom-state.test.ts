import { describe, expect, it } from "vitest";

import { centreOn, clampView, firstView, fitScale, fitView, visibleRect, zoomAbout, zoomLimits } from "./zoom-state";

// A drawing 1,000 x 500 px in a viewport of 400 x 400: it fits at 0.4 (its width decides).
const content = { width: 1000, height: 500 };
const viewport = { width: 400, height: 400 };
const limits = zoomLimits(content, viewport, 2);

describe("zoom state", () => {
  it("fits the drawing by the side that needs it, and knows no size yet as 1", () => {
    expect(fitScale(content, viewport)).toBe(0.4);
    expect(fitScale({ width: 100, height: 800 }, viewport)).toBe(0.5); // a tall drawing: its height
    expect(fitScale(content, { width: 0, height: 0 })).toBe(1);
    expect(fitView(content, viewport, limits)).toEqual({ scale: 0.4, left: 0, top: 0 });
  });

  it("never zooms out past the whole drawing (or its own size) nor in past the most", () => {
    expect(limits).toEqual({ min: 0.4, max: 2 });
    expect(zoomAbout({ scale: 0.4, left: 0, top: 0 }, 0.1, { x: 0, y: 0 }, content, viewport, limits).scale).toBe(0.4);
    expect(zoomAbout({ scale: 1, left: 0, top: 0 }, 9, { x: 0, y: 0 }, content, viewport, limits).scale).toBe(2);
    // A drawing smaller than the viewport: down to its own size, and first shown at it.
    const small = { width: 100, height: 100 };
    expect(zoomLimits(small, viewport, 2)).toEqual({ min: 1, max: 2 });
    expect(firstView(small, viewport, zoomLimits(small, viewport, 2), 0).scale).toBe(1);
  });

  it("keeps the point under the pointer where it is", () => {
    // At scale 1, scrolled to 300 across: the pointer at 100 px is over the drawing's x = 400.
    const view = zoomAbout({ scale: 1, left: 300, top: 0 }, 2, { x: 100, y: 50 }, content, viewport, limits);
    expect(view).toEqual({ scale: 2, left: 700, top: 50 });
    expect((view.left + 100) / view.scale).toBe(400); // still x = 400 under the pointer
    expect((view.top + 50) / view.scale).toBe(50);
  });

  it("counts in the centring of a drawing smaller than the viewport", () => {
    // At its fit (0.4) the drawing is 200 px high in 400: centred, 100 px above it. The pointer at
    // y = 150 is over the drawing's y = 125; at scale 2 that is 250 px down, so scrolled to 100.
    const view = zoomAbout({ scale: 0.4, left: 0, top: 0 }, 2, { x: 200, y: 150 }, content, viewport, limits);
    expect(view).toEqual({ scale: 2, left: 800, top: 100 });
  });

  it("stays within what can be scrolled when zooming near an edge", () => {
    // Zooming out about the right edge would scroll past the drawing's end: held at the end.
    const view = zoomAbout({ scale: 2, left: 1600, top: 600 }, 1, { x: 400, y: 400 }, content, viewport, limits);
    expect(view).toEqual({ scale: 1, left: 600, top: 100 });
    expect(clampView({ scale: 0.4, left: 50, top: -10 }, content, viewport)).toEqual({ scale: 0.4, left: 0, top: 0 });
  });

  it("starts with the whole drawing, or on a phone big enough to tap, centred across", () => {
    expect(firstView(content, viewport, limits, 0)).toEqual({ scale: 0.4, left: 0, top: 0 });
    expect(firstView(content, viewport, limits, 0.8)).toEqual({ scale: 0.8, left: 200, top: 0 });
  });

  it("says which part is in view, and goes to a point of the overview", () => {
    expect(visibleRect({ scale: 2, left: 200, top: 100 }, content, viewport)).toEqual({
      x: 100,
      y: 50,
      width: 200,
      height: 200,
    });
    expect(visibleRect({ scale: 0.4, left: 0, top: 0 }, content, viewport)).toEqual({
      x: 0,
      y: 0,
      width: 1000,
      height: 500,
    });
    expect(centreOn({ scale: 1, left: 0, top: 0 }, { x: 500, y: 250 }, content, viewport)).toEqual({
      scale: 1,
      left: 300,
      top: 50,
    });
  });
});
