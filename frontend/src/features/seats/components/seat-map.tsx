import {
  type FocusEvent,
  type KeyboardEvent,
  memo,
  type MouseEvent,
  useCallback,
  useLayoutEffect,
  useEffect,
  useMemo,
  useRef,
  useState,
} from "react";

import { ZoomPane } from "../../../components/zoom-pane";

import type { Seat } from "../../../lib/types";
import {
  isYourHold,
  rowName,
  type SeatRow,
  type SeatView,
  seatLabel,
  seatRows,
  seatView,
  spansSections,
} from "../seat-view";

const SEAT_ICON: Record<SeatView, string> = {
  available: "",
  mine: "✓",
  held: "●",
  reserved: "✕",
  blocked: "⊘",
};

/** The International Symbol of Access on a free wheelchair space (its name says it too). */
const WHEELCHAIR = "♿";

type Props = {
  seats: Seat[];
  /** The event's (ISO 4217), for the seats' prices. */
  currency: string;
  now: number;
  busySeatId?: number;
  onSeatClick: (seat: Seat, view: SeatView) => void;
  /** What the bar above the seats says ("Stage", "PITCH", "SCREEN"); null for no bar. */
  stageLabel?: string | null;
};

/** The rows are made in slices (see `useMadeRows`): the first of about this many seats, each
 * after as many as React makes in about `SLICE_MS`. */
const FIRST_SLICE = 150;
const SLICE_MS = 25;
const MOST_SLICE = 400;

/**
 * The seat the arrow keys lead to from seat `from`: left and right along its row, up and down to
 * the nearest seat of the row above or below (by position, across aisles), Home and End to the ends
 * of the row. Undefined for any other key or at an edge.
 */
export function nextSeat(rows: SeatRow[], from: number, key: string): number | undefined {
  const line = rows.findIndex((row) => row.seats.some((seat) => seat.id === from));
  if (line < 0) return undefined;
  const row = rows[line]!.seats;
  const place = row.findIndex((seat) => seat.id === from);
  const nearestIn = (other: SeatRow | undefined) => {
    const x = row[place]!.x;
    return other?.seats.reduce((best, seat) => (Math.abs(seat.x - x) < Math.abs(best.x - x) ? seat : best)).id;
  };
  switch (key) {
    case "ArrowLeft":
      return row[place - 1]?.id;
    case "ArrowRight":
      return row[place + 1]?.id;
    case "Home":
      return row[0]!.id;
    case "End":
      return row[row.length - 1]!.id;
    case "ArrowUp":
      return nearestIn(rows[line - 1]);
    case "ArrowDown":
      return nearestIn(rows[line + 1]);
    default:
      return undefined;
  }
}

/** What a seat shows: its row and number ("A5"; "12-7" in a row named by digits), which its
 * accessible name ("S-A5, available, 85.00") contains, as WCAG's label-in-name asks. */
function place(seat: Seat): string {
  return /\d$/.test(seat.row) ? `${seat.row}-${seat.number}` : `${seat.row}${seat.number}`;
}

/** The drawing's measures at scale 1 (CSS px): a seat's square, the row-letter column on each
 * side, the stage bar with the gap under it. The zoom pane scales all of it. */
const SEAT = 32;
const LABELS = 32;
const STAGE = 36;
/** Seat labels (and state icons) show from this size on screen; below it they would be specks, and
 * colour, border and the name still tell the state. */
const LABELS_FROM = 20;
/** On a phone the first view keeps seats this big (25 px buttons, for a finger) and scrolls. */
const TAP = 28;

/** The box the seats occupy, in seat-widths (a loop: a stadium block is thousands of seats). */
function extent(seats: Seat[]) {
  let [left, top, right, bottom] = [Infinity, Infinity, -Infinity, -Infinity];
  for (const seat of seats) {
    left = Math.min(left, seat.x);
    top = Math.min(top, seat.y);
    right = Math.max(right, seat.x);
    bottom = Math.max(bottom, seat.y);
  }
  if (!seats.length) return { left: 0, top: 0, columns: 1, lines: 1 };
  return { left, top, columns: right - left + 1, lines: bottom - top + 1 };
}

type Origin = { left: number; top: number };

type RowProps = {
  row: SeatRow;
  name: string;
  origin: Origin;
  columns: number;
  currency: string;
  now: number;
  /** The seat of this row that is the map's Tab stop, if it is in this row. */
  active?: number;
  busy?: number;
};

/** One row of seats, a list placed where the row is. Rows are memoized: a poll that changes one seat
 * re-renders one row, and a stadium block has fifty; `now` is passed only to rows with your holds,
 * so a hold running out re-renders its own row. A seat is a plain button (its clicks, keys and focus
 * are the map's, by delegation): 2,500 of them are made in one go. Rows out of view are not laid out
 * or painted (`content-visibility` in the CSS) yet stay in the page, for assistive technology, the
 * keyboard and find-in-page. */
const MapRow = memo(function MapRow({ row, name, origin, columns, currency, now, active, busy }: RowProps) {
  const seats = row.seats;
  let [top, bottom] = [Infinity, -Infinity];
  for (const seat of seats) [top, bottom] = [Math.min(top, seat.y), Math.max(bottom, seat.y)];
  const at = { top: (top - origin.top) * SEAT, width: columns * SEAT, height: (bottom - top + 1) * SEAT };
  return (
    <ul className="seats" aria-label={name} style={at}>
      {seats.map((seat) => {
        const view = seatView(seat, now);
        const clickable = view === "available" || view === "mine";
        const label = seatLabel(seat, view, currency);
        return (
          <li key={seat.id} style={spot(seat, origin, top)}>
            <button
              type="button"
              data-seat={seat.id}
              tabIndex={seat.id === active ? 0 : -1}
              className={`seat seat--${view}${seat.accessibility ? ` seat--${seat.accessibility}` : ""}`}
              aria-label={label}
              aria-pressed={view === "mine"}
              aria-disabled={!clickable || busy === seat.id}
              aria-busy={busy === seat.id || undefined}
              title={label}
            >
              {SEAT_ICON[view] || (seat.accessibility === "wheelchair" ? WHEELCHAIR : place(seat))}
            </button>
          </li>
        );
      })}
    </ul>
  );
}, sameRow);

/** Where a seat's item is in its row's box (most rows are straight: no `top`, the CSS's 0). */
function spot(seat: Seat, origin: Origin, rowTop: number) {
  const left = (seat.x - origin.left) * SEAT;
  return seat.y === rowTop ? { left } : { left, top: (seat.y - rowTop) * SEAT };
}

/** Props equal, with a row's seats compared one by one: the feed keeps every unchanged seat object. */
function sameRow(before: RowProps, after: RowProps): boolean {
  const seats = (props: RowProps) => props.row.seats;
  const keys = Object.keys(after) as Array<keyof RowProps>;
  return keys.every((key) =>
    key === "row"
      ? seats(before).length === seats(after).length && seats(before).every((seat, i) => seat === seats(after)[i])
      : before[key] === after[key],
  );
}

/** The row letters down one side of the plan (drawn, not read: each row's list has the name). Their
 * text keeps a readable size on screen at any scale, never taller than a row. */
const RowLetters = memo(function RowLetters({ rows, top, size }: { rows: SeatRow[]; top: number; size: number }) {
  return (
    <div className="seat-map__labels" aria-hidden="true" style={{ fontSize: size }}>
      {rows.map(({ key, row, seats }) => (
        <span key={key} className="row-label" style={{ top: (seats[0]!.y - top) * SEAT }}>
          {row}
        </span>
      ))}
    </div>
  );
});

/** The small drawing of the whole section in the zoom pane's corner: each state one path. */
const SeatOverview = memo(function SeatOverview(props: {
  seats: Seat[];
  now: number;
  origin: Origin;
  width: number;
  height: number;
  stage: boolean;
}) {
  const { seats, now, origin, width, height, stage } = props;
  const paths = new Map<SeatView, string[]>();
  const down = stage ? STAGE : 0;
  for (const seat of seats) {
    const view = seatView(seat, now);
    const x = LABELS + (seat.x - origin.left) * SEAT + 3;
    const y = down + (seat.y - origin.top) * SEAT + 3;
    const path = paths.get(view) ?? [];
    path.push(`M${x} ${y}h${SEAT - 6}v${SEAT - 6}h${6 - SEAT}z`);
    paths.set(view, path);
  }
  return (
    <svg viewBox={`0 0 ${width} ${height}`} preserveAspectRatio="none">
      {stage && <rect className="seat-map__overview-stage" x={width / 4} y={0} width={width / 2} height={STAGE - 12} />}
      {[...paths].map(([view, path]) => (
        <path key={view} className={`seat-map__overview--${view}`} d={path.join("")} />
      ))}
    </svg>
  );
});

/** How many of `rows` to make: a first slice at once, one more slice in each task after, until all
 * are; rows of a map already made (a poll, a hold) are all made at once, and stay. A slice is as
 * many seats as React made in about `SLICE_MS` the last time (Chromium then lays them out in a task
 * of about as long), so a slow or busy machine gets smaller slices instead of longer tasks. */
function useMadeRows(rows: SeatRow[]): number {
  const [made, setMade] = useState(() => slice(rows, 0, FIRST_SLICE));
  const pace = useRef({ seats: FIRST_SLICE, started: 0, made: 0 });
  useLayoutEffect(() => {
    const { started, made: seats } = pace.current;
    if (!started) return;
    const took = performance.now() - started;
    const fits = Math.round((seats * SLICE_MS) / Math.max(took, 1));
    pace.current.seats = Math.min(2 * seats, MOST_SLICE, Math.max(100, fits)); // grows slowly: timings are noisy
    pace.current.started = 0;
  }, [made]);
  useEffect(() => {
    if (made >= rows.length) return;
    const next = setTimeout(() => {
      const end = slice(rows, made, pace.current.seats);
      pace.current = { ...pace.current, started: performance.now(), made: seatsIn(rows, made, end) };
      setMade(end);
    });
    return () => clearTimeout(next);
  }, [made, rows]);
  return made;
}

/** The end of the slice of about `seats` seats that starts after `from` rows (at least one row). */
function slice(rows: SeatRow[], from: number, seats: number): number {
  let [end, count] = [from, 0];
  while (end < rows.length && (end === from || count + rows[end]!.seats.length <= seats))
    count += rows[end++]!.seats.length;
  return end;
}

function seatsIn(rows: SeatRow[], from: number, to: number): number {
  return rows.slice(from, to).reduce((sum, row) => sum + row.seats.length, 0);
}

/**
 * The seats drawn where they are in the hall (`x`, `y`: aisles and gaps show), the stage (or pitch,
 * or nothing: `stageLabel`) above, row letters on both sides, in a zoom pane: the whole section fits
 * at first (on a phone seats stay big enough to tap and it scrolls), seat labels show once seats are
 * drawn big enough.
 * Row by row for assistive technology: each row is a list named "Row A" ("Stalls, row A" in a hall
 * with sections). The map is one Tab stop: the arrow keys, Home and End move between seats (roving
 * tabindex), Tab leaves it. Seats that cannot be taken stay focusable but are aria-disabled;
 * pressing one still reaches `onSeatClick`, so the customer is told why.
 * A block of 2,500 seats is made in slices, so opening one never holds the page in one long task.
 */
export function SeatMap({ seats, currency, now, busySeatId, onSeatClick, stageLabel = "Stage" }: Props) {
  const field = useRef<HTMLDivElement>(null);
  const [activeId, setActiveId] = useState<number>();
  const rows = useMemo(() => seatRows(seats), [seats]);
  const sectioned = useMemo(() => spansSections(rows), [rows]);
  const { left, top, columns, lines } = useMemo(() => extent(seats), [seats]);
  // The rows are made a few hundred seats at a time, from the stage back, each slice in a task of
  // its own (a block of 2,500 seats made and laid out in one go held the page for 270-430 ms).
  const made = useMadeRows(rows);
  const origin = useMemo(() => ({ left, top }), [left, top]);
  const width = 2 * LABELS + columns * SEAT;
  const height = (stageLabel ? STAGE : 0) + lines * SEAT;
  // One Tab stop for the whole map (roving tabindex): the arrow keys move between seats.
  const active = seats.some((seat) => seat.id === activeId) ? activeId : seats[0]?.id;
  // The handlers read these when a key is pressed or a seat clicked, so they stay the same
  // functions (and the memoized rows stay rendered) while the seats change.
  const current = useRef({ rows, seats, now, busySeatId, onSeatClick });
  useEffect(() => {
    current.current = { rows, seats, now, busySeatId, onSeatClick };
  });
  // A seat the arrows lead to before its row is made takes the focus once it is.
  const focusNext = useRef<number>(undefined);
  useLayoutEffect(() => {
    const seat = focusNext.current;
    const button = seat === undefined ? null : field.current?.querySelector<HTMLElement>(`[data-seat="${seat}"]`);
    if (!button) return;
    focusNext.current = undefined;
    button.focus();
  });

  const seatOf = (event: { target: EventTarget }) => {
    const id = (event.target as Element).closest?.("[data-seat]")?.getAttribute("data-seat");
    return id ? Number(id) : undefined;
  };
  const onKeyDown = useCallback((event: KeyboardEvent<HTMLDivElement>) => {
    const from = seatOf(event);
    const target = from === undefined ? undefined : nextSeat(current.current.rows, from, event.key);
    if (target === undefined) return;
    event.preventDefault();
    setActiveId(target);
    const button = field.current?.querySelector<HTMLElement>(`[data-seat="${target}"]`);
    if (button) button.focus();
    else focusNext.current = target;
  }, []);
  const onClick = useCallback((event: MouseEvent<HTMLDivElement>) => {
    const id = seatOf(event);
    const { seats: all, now: at, busySeatId: busy, onSeatClick: report } = current.current;
    const seat = id === undefined || id === busy ? undefined : all.find((one) => one.id === id);
    if (seat) report(seat, seatView(seat, at));
  }, []);
  const onFocus = useCallback((event: FocusEvent<HTMLDivElement>) => setActiveId(seatOf(event)), []);
  const inRow = (row: SeatRow, seatId: number | undefined) =>
    seatId !== undefined && row.seats.some((seat) => seat.id === seatId) ? seatId : undefined;

  const seatField = (
    // The seats' own buttons are the controls: clicks, keys and focus are handled here, once.
    // eslint-disable-next-line jsx-a11y/no-static-element-interactions
    <div
      ref={field}
      className="seat-map__field"
      style={{ width: columns * SEAT, height: lines * SEAT }}
      onClick={onClick}
      onKeyDown={onKeyDown}
      onFocus={onFocus}
    >
      {rows.slice(0, made).map((row) => (
        <MapRow
          key={row.key}
          row={row}
          name={rowName(row, sectioned)}
          origin={origin}
          columns={columns}
          currency={currency}
          now={row.seats.some(isYourHold) ? now : 0}
          active={inRow(row, active)}
          busy={inRow(row, busySeatId)}
        />
      ))}
    </div>
  );
  const draw = (scale: number) => {
    const letters = Math.min(SEAT * 0.7, 12 / scale);
    return (
      <div className={`seat-map__plan${scale * SEAT >= LABELS_FROM ? " seat-map__plan--labels" : ""}`}>
        {stageLabel && (
          <div className="stage" aria-hidden="true" style={{ width: (columns * SEAT) / 2 }}>
            {stageLabel}
          </div>
        )}
        <div className="seat-map__rows">
          <RowLetters rows={rows} top={top} size={letters} />
          {seatField}
          <RowLetters rows={rows} top={top} size={letters} />
        </div>
      </div>
    );
  };

  return (
    <div className="seat-map" role="group" aria-label="Seat map">
      <ZoomPane
        width={width}
        height={height}
        maxScale={2.5}
        narrowScale={TAP / SEAT}
        overview={
          <SeatOverview seats={seats} now={now} origin={origin} width={width} height={height} stage={Boolean(stageLabel)} />
        }
      >
        {draw}
      </ZoomPane>
    </div>
  );
}

/** The legend of the states, and of what only some halls have (blocked seats, wheelchair spaces,
 * companion seats) when the seats shown have it: a legend says what is on the map. */
export function SeatLegend({ seats }: { seats: Seat[] }) {
  const has = (test: (seat: Seat) => boolean) => seats.some(test);
  const entries: Array<[SeatView, string]> = [
    ["available", "Available"],
    ["mine", "Held by you"],
    ["held", "Held by someone else"],
    ["reserved", "Reserved"],
  ];
  if (has((seat) => seat.status === "blocked")) entries.push(["blocked", "Not for sale"]);
  return (
    <ul className="legend" aria-label="Legend">
      {entries.map(([view, text]) => (
        <li key={view}>
          <span className={`seat seat--${view} seat--sample`} aria-hidden="true">
            {SEAT_ICON[view]}
          </span>
          {text}
        </li>
      ))}
      {has((seat) => seat.accessibility === "wheelchair") && (
        <li>
          <span className="seat seat--available seat--wheelchair seat--sample" aria-hidden="true">
            {WHEELCHAIR}
          </span>
          Wheelchair space
        </li>
      )}
      {has((seat) => seat.accessibility === "companion") && (
        <li>
          <span className="seat seat--available seat--companion seat--sample" aria-hidden="true" />
          Companion seat
        </li>
      )}
    </ul>
  );
}
