import {
  type CSSProperties,
  type KeyboardEvent,
  memo,
  useCallback,
  useEffect,
  useMemo,
  useRef,
  useState,
} from "react";

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
};

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

type RowProps = {
  row: SeatRow;
  name: string;
  origin: { left: number; top: number };
  currency: string;
  now: number;
  /** The seat of this row that is the map's Tab stop, if it is in this row. */
  active?: number;
  busy?: number;
  register: (seatId: number, node: HTMLButtonElement | null) => void;
  onFocusSeat: (seatId: number) => void;
  onKeyDown: (event: KeyboardEvent<HTMLButtonElement>) => void;
  onSeatClick: (seat: Seat, view: SeatView) => void;
};

/** One row of seats. Rows are memoized: a poll that changes one seat re-renders one row, and a
 * stadium block has a hundred rows; `now` is passed only to rows with your holds, so a hold running
 * out re-renders its own row. */
const MapRow = memo(function MapRow(props: RowProps) {
  const { row, name, origin, currency, now, active, busy, register, onFocusSeat, onKeyDown, onSeatClick } = props;
  return (
    <ul className="seats" aria-label={name}>
      {row.seats.map((seat) => {
        const view = seatView(seat, now);
        const clickable = view === "available" || view === "mine";
        const at = { "--x": seat.x - origin.left, "--y": seat.y - origin.top } as CSSProperties;
        return (
          <li key={seat.id} style={at}>
            <button
              type="button"
              ref={(node) => register(seat.id, node)}
              tabIndex={seat.id === active ? 0 : -1}
              onFocus={() => onFocusSeat(seat.id)}
              onKeyDown={onKeyDown}
              className={`seat seat--${view}${seat.accessibility ? ` seat--${seat.accessibility}` : ""}`}
              aria-label={seatLabel(seat, view, currency)}
              aria-pressed={view === "mine"}
              aria-disabled={!clickable || busy === seat.id}
              aria-busy={busy === seat.id}
              title={seatLabel(seat, view, currency)}
              onClick={() => {
                if (busy !== seat.id) onSeatClick(seat, view);
              }}
            >
              {SEAT_ICON[view] || (seat.accessibility === "wheelchair" ? WHEELCHAIR : place(seat))}
            </button>
          </li>
        );
      })}
    </ul>
  );
}, sameRow);

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

/**
 * The seats drawn where they are in the hall (`x`, `y`: aisles and gaps show), the stage above,
 * row letters in a column that stays in view. Sizes come from CSS (a container query on the frame):
 * the whole plan fits on a wide screen; on a phone seats stay at least 28 px (25 px buttons) and the plan pans
 * inside its frame, never the page; nothing is measured, so the seats are laid out once.
 * Row by row for assistive technology: each row is a list named "Row A" ("Stalls, row A" in a hall
 * with sections). The map is one Tab stop: the arrow keys, Home and End move between seats (roving
 * tabindex), Tab leaves it. Seats that cannot be taken stay focusable but are aria-disabled;
 * pressing one still reaches `onSeatClick`, so the customer is told why.
 */
export function SeatMap({ seats, currency, now, busySeatId, onSeatClick }: Props) {
  const buttons = useRef(new Map<number, HTMLButtonElement>());
  const [activeId, setActiveId] = useState<number>();
  const rows = useMemo(() => seatRows(seats), [seats]);
  const sectioned = useMemo(() => spansSections(rows), [rows]);
  const { left, top, columns, lines } = useMemo(() => extent(seats), [seats]);
  const origin = useMemo(() => ({ left, top }), [left, top]);
  // One Tab stop for the whole map (roving tabindex): the arrow keys move between seats.
  const active = seats.some((seat) => seat.id === activeId) ? activeId : seats[0]?.id;
  // The key handler reads these when a key is pressed, so it stays the same function (and the
  // memoized rows stay rendered) while the seats change.
  const current = useRef({ active, rows });
  useEffect(() => {
    current.current = { active, rows };
  });

  const register = useCallback((seatId: number, node: HTMLButtonElement | null) => {
    if (node) buttons.current.set(seatId, node);
    else buttons.current.delete(seatId);
  }, []);
  const handleKeyDown = useCallback((event: KeyboardEvent<HTMLButtonElement>) => {
    const { active: from, rows: lines } = current.current;
    const target = from === undefined ? undefined : nextSeat(lines, from, event.key);
    if (target === undefined) return;
    event.preventDefault();
    setActiveId(target);
    buttons.current.get(target)?.focus();
  }, []);
  const inRow = (row: SeatRow, seatId: number | undefined) =>
    seatId !== undefined && row.seats.some((seat) => seat.id === seatId) ? seatId : undefined;
  const plan = { "--columns": columns, "--lines": lines } as CSSProperties;

  return (
    <div className="seat-map" role="group" aria-label="Seat map">
      <div className="seat-map__frame">
        <div className="seat-map__plan" style={plan}>
          <div className="stage" aria-hidden="true">
            Stage
          </div>
          <div className="seat-map__rows">
            <div className="seat-map__labels" aria-hidden="true">
              {rows.map(({ key, row, seats: rowSeats }) => (
                <span key={key} className="row-label" style={{ "--y": rowSeats[0]!.y - top } as CSSProperties}>
                  {row}
                </span>
              ))}
            </div>
            <div className="seat-map__field">
              {rows.map((row) => (
                <MapRow
                  key={row.key}
                  row={row}
                  name={rowName(row, sectioned)}
                  origin={origin}
                  currency={currency}
                  now={row.seats.some(isYourHold) ? now : 0}
                  active={inRow(row, active)}
                  busy={inRow(row, busySeatId)}
                  register={register}
                  onFocusSeat={setActiveId}
                  onKeyDown={handleKeyDown}
                  onSeatClick={onSeatClick}
                />
              ))}
            </div>
          </div>
        </div>
      </div>
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
