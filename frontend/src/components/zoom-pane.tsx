import {
  type CSSProperties,
  type KeyboardEvent,
  type PointerEvent,
  type ReactNode,
  useEffect,
  useLayoutEffect,
  useMemo,
  useRef,
  useState,
} from "react";

import {
  centreOn,
  fitView,
  firstView,
  type Point,
  type Size,
  type View,
  visibleRect,
  ZOOM_STEP,
  zoomAbout,
  zoomLimits,
} from "./zoom-state";

/** Below this width a pane is a phone's: its first view keeps `narrowScale`. */
const NARROW = 600;
/** How far a mouse moves with its button down before the press is a drag, not a click (px). */
const DRAG = 4;

type Props = {
  /** The drawing's size at scale 1, CSS px. */
  width: number;
  height: number;
  /** The drawing: laid out at `width` x `height` and scaled, so anything that fills a box of that
   * size (an SVG with a viewBox, positioned elements) zooms. A function is given the scale, for a
   * drawing that shows more detail when large (seat labels). */
  children: ReactNode | ((scale: number) => ReactNode);
  /** The small drawing in the corner that shows where you are; it fills a box of the drawing's
   * proportions (an SVG with the same viewBox, say). */
  overview?: ReactNode;
  /** The largest scale. */
  maxScale?: number;
  /** The least scale of the first view in a narrow pane (things big enough to tap; it scrolls). */
  narrowScale?: number;
};

const noSize: Size = { width: 0, height: 0 };

/** Scrolls the viewport (the browser keeps it within the drawing). */
function scroll(node: HTMLElement, to: { left: number; top: number }) {
  node.scrollLeft = to.left;
  node.scrollTop = to.top;
}

/**
 * A drawing that can be zoomed and panned: "Zoom in", "Zoom out" and "Fit" buttons under it, + and
 * - while the focus is inside, the wheel with Ctrl (and a trackpad's pinch, which Chromium sends as
 * that), two fingers on a touch screen, a drag with the mouse, and an overview to press on. It
 * pans by scrolling: a phone's finger, a trackpad and the scroll bars pan it as they would any
 * box, focusing something inside scrolls it into view (the keyboard's path stays in view at any
 * scale), and the page never scrolls sideways. The drawing is scaled with a transform, so zooming
 * redraws it without laying it out again.
 */
export function ZoomPane({ width, height, children, overview, maxScale = 3, narrowScale = 0 }: Props) {
  const viewport = useRef<HTMLDivElement>(null);
  const [size, setSize] = useState(noSize);
  // The viewer's scale once they have zoomed; until then the first view's, which follows the size.
  const [chosen, setChosen] = useState<number | null>(null);
  const [offset, setOffset] = useState({ left: 0, top: 0 }); // the scroll, mirrored for the overview
  const content = useMemo(() => ({ width, height }), [width, height]);
  const limits = zoomLimits(content, size, maxScale);
  const first = firstView(content, size, limits, size.width < NARROW ? narrowScale : 0);
  const scale = chosen === null ? first.scale : Math.min(limits.max, Math.max(limits.min, chosen));
  // Where to scroll once the drawing has its new size (a zoom keeps a point where it was).
  const pending = useRef<View | null>(null);
  const state = useRef({ scale, content, size, limits });

  useEffect(() => {
    state.current = { scale, content, size, limits };
  });

  useLayoutEffect(() => {
    const node = viewport.current;
    if (!node || typeof ResizeObserver === "undefined") return;
    const observer = new ResizeObserver(() => {
      setSize((old) =>
        old.width === node.clientWidth && old.height === node.clientHeight
          ? old
          : { width: node.clientWidth, height: node.clientHeight },
      );
    });
    observer.observe(node);
    return () => observer.disconnect();
  }, []);

  // The first view is scrolled to (across to the middle) until the viewer zooms.
  const [firstLeft, firstTop] = [first.left, first.top];
  useLayoutEffect(() => {
    if (chosen !== null || !viewport.current) return;
    scroll(viewport.current, { left: firstLeft, top: firstTop });
  }, [chosen, firstLeft, firstTop]);

  useLayoutEffect(() => {
    const node = viewport.current;
    if (!pending.current || !node) return;
    scroll(node, pending.current);
    pending.current = null;
  });

  /** The view now: the one asked for if the drawing has not caught up with it yet. */
  const currentView = (): View => {
    const node = viewport.current!;
    return pending.current ?? { scale: state.current.scale, left: node.scrollLeft, top: node.scrollTop };
  };
  const zoomTo = (next: number, point?: Point) => {
    const { content: drawing, size: room, limits: range } = state.current;
    const at = point ?? { x: room.width / 2, y: room.height / 2 };
    const view = zoomAbout(currentView(), next, at, drawing, room, range);
    pending.current = view;
    setChosen(view.scale);
  };
  const zoomBy = (factor: number, point?: Point) => zoomTo(currentView().scale * factor, point);
  const fit = () => {
    const view = fitView(state.current.content, state.current.size, state.current.limits);
    pending.current = view;
    setChosen(view.scale);
  };
  // Native listeners call the newest zoomBy (the wheel's and touch's must be able to cancel, which
  // React's passive ones cannot).
  const zoomByRef = useRef(zoomBy);
  useEffect(() => {
    zoomByRef.current = zoomBy;
  });

  useEffect(() => {
    const node = viewport.current;
    if (!node) return;
    const inside = (x: number, y: number): Point => {
      const box = node.getBoundingClientRect();
      return { x: x - box.left, y: y - box.top };
    };
    const onWheel = (event: WheelEvent) => {
      if (!event.ctrlKey && !event.metaKey) return; // a plain wheel scrolls, as everywhere
      event.preventDefault();
      const delta = Math.max(-50, Math.min(50, event.deltaY));
      zoomByRef.current(Math.exp(-delta / 100), inside(event.clientX, event.clientY));
    };
    let pinch: { distance: number; middle: Point } | null = null;
    const measure = (touches: TouchList) => {
      const [a, b] = [touches[0]!, touches[1]!];
      return {
        distance: Math.hypot(a.clientX - b.clientX, a.clientY - b.clientY),
        middle: inside((a.clientX + b.clientX) / 2, (a.clientY + b.clientY) / 2),
      };
    };
    const onTouchStart = (event: TouchEvent) => {
      pinch = event.touches.length === 2 ? measure(event.touches) : null;
    };
    const onTouchMove = (event: TouchEvent) => {
      if (!pinch || event.touches.length !== 2) return;
      if (event.cancelable) event.preventDefault();
      const now = measure(event.touches);
      // Two fingers pan too.
      scroll(node, { left: node.scrollLeft + pinch.middle.x - now.middle.x, top: node.scrollTop + pinch.middle.y - now.middle.y });
      if (pinch.distance > 0) zoomByRef.current(now.distance / pinch.distance, now.middle);
      pinch = now;
    };
    const onTouchEnd = (event: TouchEvent) => {
      if (event.touches.length < 2) pinch = null;
    };
    let frame = 0;
    const onScroll = () => {
      cancelAnimationFrame(frame);
      frame = requestAnimationFrame(() => setOffset({ left: node.scrollLeft, top: node.scrollTop }));
    };
    node.addEventListener("wheel", onWheel, { passive: false });
    node.addEventListener("touchstart", onTouchStart, { passive: true });
    node.addEventListener("touchmove", onTouchMove, { passive: false });
    node.addEventListener("touchend", onTouchEnd);
    node.addEventListener("touchcancel", onTouchEnd);
    node.addEventListener("scroll", onScroll, { passive: true });
    return () => {
      cancelAnimationFrame(frame);
      node.removeEventListener("wheel", onWheel);
      node.removeEventListener("touchstart", onTouchStart);
      node.removeEventListener("touchmove", onTouchMove);
      node.removeEventListener("touchend", onTouchEnd);
      node.removeEventListener("touchcancel", onTouchEnd);
      node.removeEventListener("scroll", onScroll);
    };
  }, []);

  // A drag with the mouse pans; the click that ends a drag is not a click on what is under it.
  const drag = useRef<{ x: number; y: number; left: number; top: number; moved: boolean } | null>(null);
  const dragged = useRef(false);
  const onPointerDown = (event: PointerEvent<HTMLDivElement>) => {
    dragged.current = false;
    if (event.pointerType !== "mouse" || event.button !== 0) return;
    const node = event.currentTarget;
    drag.current = { x: event.clientX, y: event.clientY, left: node.scrollLeft, top: node.scrollTop, moved: false };
  };
  const onPointerMove = (event: PointerEvent<HTMLDivElement>) => {
    const start = drag.current;
    if (!start) return;
    const [dx, dy] = [event.clientX - start.x, event.clientY - start.y];
    if (!start.moved && Math.hypot(dx, dy) < DRAG) return;
    if (!start.moved) {
      start.moved = true;
      event.currentTarget.setPointerCapture(event.pointerId);
      event.currentTarget.classList.add("zoom-pane__viewport--dragging");
    }
    scroll(event.currentTarget, { left: start.left - dx, top: start.top - dy });
  };
  const onPointerUp = (event: PointerEvent<HTMLDivElement>) => {
    dragged.current = Boolean(drag.current?.moved);
    drag.current = null;
    event.currentTarget.classList.remove("zoom-pane__viewport--dragging");
  };

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    if (event.ctrlKey || event.metaKey || event.altKey) return; // the browser's own zoom
    const zoomIn = event.key === "+" || event.key === "=";
    if (!zoomIn && event.key !== "-") return;
    event.preventDefault();
    // About the focused thing when it is in the drawing, so that it stays where it is.
    const node = viewport.current!;
    let point: Point | undefined;
    if (node.contains(event.target as Node) && event.target !== node) {
      const [box, room] = [(event.target as Element).getBoundingClientRect(), node.getBoundingClientRect()];
      point = { x: box.left + box.width / 2 - room.left, y: box.top + box.height / 2 - room.top };
    }
    zoomBy(zoomIn ? ZOOM_STEP : 1 / ZOOM_STEP, point);
  };

  const drawn = useMemo(() => (typeof children === "function" ? children(scale) : children), [children, scale]);
  const where = visibleRect({ scale, ...offset }, content, size);
  const percent = (part: number, whole: number) => `${(100 * part) / whole}%`;
  const goTo = (event: PointerEvent<HTMLDivElement>) => {
    if (event.type === "pointermove" && !event.buttons) return;
    const box = event.currentTarget.getBoundingClientRect();
    const at = {
      x: ((event.clientX - box.left) / box.width) * width,
      y: ((event.clientY - box.top) / box.height) * height,
    };
    const view = centreOn({ scale, ...offset }, at, content, size);
    if (viewport.current) scroll(viewport.current, view);
  };

  return (
    // The keys + and - come from whatever inside has the focus (a seat, a button).
    // eslint-disable-next-line jsx-a11y/no-static-element-interactions
    <div
      className="zoom-pane"
      onKeyDown={onKeyDown}
      style={{ "--zoom-w": width, "--zoom-h": height, "--zoom-narrow": narrowScale } as CSSProperties}
    >
      <div
        ref={viewport}
        className="zoom-pane__viewport"
        onPointerDown={onPointerDown}
        onPointerMove={onPointerMove}
        onPointerUp={onPointerUp}
        onPointerCancel={onPointerUp}
        onClickCapture={(event) => {
          if (!dragged.current) return;
          dragged.current = false;
          event.stopPropagation();
          event.preventDefault();
        }}
      >
        <div className="zoom-pane__extent" style={{ width: width * scale, height: height * scale }}>
          <div className="zoom-pane__content" style={{ width, height, transform: `scale(${scale})` }}>
            {drawn}
          </div>
        </div>
      </div>
      <div className="zoom-pane__bar">
        <ZoomButtons zoomIn={() => zoomBy(ZOOM_STEP)} zoomOut={() => zoomBy(1 / ZOOM_STEP)} fit={fit} />
        {/* Where you are: pressed or dragged on with a pointer; the keyboard has the arrows. */}
        <div className="zoom-pane__overview" aria-hidden="true" onPointerDown={goTo} onPointerMove={goTo}>
          {overview}
          <div
            className="zoom-pane__where"
            style={{
              left: percent(where.x, width),
              top: percent(where.y, height),
              width: percent(where.width, width),
              height: percent(where.height, height),
            }}
          />
        </div>
      </div>
    </div>
  );
}

/** "Zoom out", "Zoom in" and "Fit" as one toolbar: one Tab stop (the drawing's path through the
 * page grows by one), the arrow keys, Home and End move between them. */
function ZoomButtons({ zoomIn, zoomOut, fit }: { zoomIn: () => void; zoomOut: () => void; fit: () => void }) {
  const [current, setCurrent] = useState(0);
  const buttons = useRef<Array<HTMLButtonElement | null>>([]);
  const tools: Array<[label: string, text: string, hint: string, act: () => void]> = [
    ["Zoom out", "−", "Zoom out (-)", zoomOut],
    ["Zoom in", "+", "Zoom in (+)", zoomIn],
    ["Fit", "Fit", "Show it all", fit],
  ];
  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const last = tools.length - 1;
    const next = { ArrowLeft: current - 1, ArrowRight: current + 1, Home: 0, End: last }[event.key];
    if (next === undefined) return;
    event.preventDefault();
    const to = Math.max(0, Math.min(last, next));
    setCurrent(to);
    buttons.current[to]?.focus();
  };
  return (
    <div className="zoom-pane__buttons" role="toolbar" aria-label="Zoom" onKeyDown={onKeyDown}>
      {tools.map(([label, text, hint, act], index) => (
        <button
          key={label}
          ref={(node) => {
            buttons.current[index] = node;
          }}
          type="button"
          tabIndex={index === current ? 0 : -1}
          aria-label={label === text ? undefined : label}
          title={hint}
          onFocus={() => setCurrent(index)}
          onClick={act}
        >
          {text}
        </button>
      ))}
    </div>
  );
}
