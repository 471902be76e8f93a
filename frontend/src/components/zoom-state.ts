/**
 * The arithmetic of a zoomable pane, kept apart from the DOM so that it can be tested: a drawing of
 * `content` size (CSS px at scale 1) shown at `scale` in a scrolling `viewport`, scrolled by `left`
 * and `top` (the viewport's scroll offsets, in screen px). The browser scrolls; these functions say
 * where to scroll to when the scale changes, so that the point under the pointer (or the focus)
 * stays where it is.
 */

export type Size = { width: number; height: number };
export type Point = { x: number; y: number };
export type Rect = { x: number; y: number; width: number; height: number };
export type View = { scale: number; left: number; top: number };
export type Limits = { min: number; max: number };

/** What one press of "Zoom in" multiplies the scale by ("Zoom out" divides). */
export const ZOOM_STEP = 1.5;

/** The scale at which the whole drawing fits the viewport (1 when either has no size yet). */
export function fitScale(content: Size, viewport: Size): number {
  if (!content.width || !content.height || !viewport.width || !viewport.height) return 1;
  return Math.min(viewport.width / content.width, viewport.height / content.height);
}

/** The scales a viewer may reach: down to the whole drawing fitting (nothing more to see) or its
 * own size if that is smaller, up to `max`. */
export function zoomLimits(content: Size, viewport: Size, max: number): Limits {
  const min = Math.min(fitScale(content, viewport), 1);
  return { min, max: Math.max(min, max) };
}

export function clampScale(scale: number, limits: Limits): number {
  return Math.min(limits.max, Math.max(limits.min, scale));
}

/** The scroll offsets kept within what the drawing at `scale` lets the viewport scroll, as the
 * browser would clamp them (0 where the drawing is narrower or lower than the viewport). */
export function clampView(view: View, content: Size, viewport: Size): View {
  const most = (length: number, room: number) => Math.max(0, length * view.scale - room);
  return {
    scale: view.scale,
    left: Math.min(most(content.width, viewport.width), Math.max(0, view.left)),
    top: Math.min(most(content.height, viewport.height), Math.max(0, view.top)),
  };
}

/** The room left on each side of a drawing narrower (or lower) than the viewport, which centres it. */
function margin(length: number, scale: number, room: number): number {
  return Math.max(0, (room - length * scale) / 2);
}

/**
 * The view at `scale` (clamped to `limits`) that keeps the drawing's point under `point` (viewport
 * px) where it is: the pointer's place for the wheel and a pinch, the focused seat's for the
 * keyboard, the viewport's middle for the buttons. A drawing smaller than the viewport is centred
 * in it, which moves its points as it grows, so that is counted in.
 */
export function zoomAbout(
  view: View,
  scale: number,
  point: Point,
  content: Size,
  viewport: Size,
  limits: Limits,
): View {
  const next = clampScale(scale, limits);
  const keep = (scroll: number, at: number, length: number, room: number) => {
    const drawing = (scroll + at - margin(length, view.scale, room)) / view.scale; // under the point
    return drawing * next + margin(length, next, room) - at;
  };
  return clampView(
    {
      scale: next,
      left: keep(view.left, point.x, content.width, viewport.width),
      top: keep(view.top, point.y, content.height, viewport.height),
    },
    content,
    viewport,
  );
}

/** The whole drawing in view, as large as it fits. */
export function fitView(content: Size, viewport: Size, limits: Limits): View {
  return { scale: clampScale(fitScale(content, viewport), limits), left: 0, top: 0 };
}

/** The first view: the whole drawing, no larger than its own size, and never smaller than `least`
 * (a phone keeps seats big enough to tap and scrolls instead), centred across and from the top
 * (where the stage is). */
export function firstView(content: Size, viewport: Size, limits: Limits, least: number): View {
  const scale = clampScale(Math.max(Math.min(fitScale(content, viewport), 1), least), limits);
  return clampView(
    { scale, left: (content.width * scale - viewport.width) / 2, top: 0 },
    content,
    viewport,
  );
}

/** The part of the drawing in view (drawing px), for the overview's frame. */
export function visibleRect(view: View, content: Size, viewport: Size): Rect {
  const x = Math.max(0, view.left / view.scale);
  const y = Math.max(0, view.top / view.scale);
  return {
    x,
    y,
    width: Math.min(content.width - x, viewport.width / view.scale),
    height: Math.min(content.height - y, viewport.height / view.scale),
  };
}

/** The view with the drawing's point `at` (drawing px) in the middle of the viewport, as near as the
 * edges allow: a press on the overview goes there. */
export function centreOn(view: View, at: Point, content: Size, viewport: Size): View {
  return clampView(
    {
      scale: view.scale,
      left: at.x * view.scale - viewport.width / 2,
      top: at.y * view.scale - viewport.height / 2,
    },
    content,
    viewport,
  );
}
