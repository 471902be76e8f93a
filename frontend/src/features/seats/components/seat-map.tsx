import { type CSSProperties, type KeyboardEvent, useRef, useState } from "react";

import { useWidth } from "../../../hooks/use-width";
import type { Seat } from "../../../lib/types";
import { type SeatRow, type SeatView, seatLabel, seatRows, seatView } from "../seat-view";

const SEAT_ICON: Record<SeatView, string> = {
  available: "",
  mine: "✓",
  held: "●",
  reserved: "✕",
};

const LABELS_PX = 32; // the row-label column, which stays in view while the seats pan
const PHONE_PX = 600;

type Props = {
  seats: Seat[];
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

/** Seat size in px: the whole plan fits its frame on a wide screen; on a phone seats stay at least
 * 26 px (a finger) and the plan pans inside its frame, never the page. */
function seatSize(frameWidth: number, columns: number): number {
  if (!frameWidth) return 36;
  const fit = Math.floor((frameWidth - LABELS_PX) / columns);
  return Math.max(frameWidth < PHONE_PX ? 26 : 14, Math.min(36, fit));
}

/**
 * The seats drawn where they are in the hall (`x`, `y`: aisles and gaps show), the stage above,
 * row letters in a column that stays in view. Row by row for assistive technology: each row is a
 * list named "Row A" ("Stalls, row A" in a hall with sections). The map is one Tab stop: the arrow
 * keys, Home and End move between seats (roving tabindex), Tab leaves it. Seats that cannot be taken stay
 * focusable but are aria-disabled; pressing one still reaches `onSeatClick`, so the customer is told why.
 */
export function SeatMap({ seats, now, busySeatId, onSeatClick }: Props) {
  const frame = useRef<HTMLDivElement>(null);
  const buttons = useRef(new Map<number, HTMLButtonElement>());
  const [activeId, setActiveId] = useState<number>();
  const frameWidth = useWidth(frame);
  const rows = seatRows(seats);
  const sectioned = new Set(rows.map((row) => row.section)).size > 1;
  const { left, top, columns, lines } = extent(seats);
  // One Tab stop for the whole map (roving tabindex): the arrow keys move between seats.
  const active = seats.some((seat) => seat.id === activeId) ? activeId : seats[0]?.id;

  function handleKeyDown(event: KeyboardEvent<HTMLButtonElement>) {
    const target = active === undefined ? undefined : nextSeat(rows, active, event.key);
    if (target === undefined) return;
    event.preventDefault();
    setActiveId(target);
    buttons.current.get(target)?.focus();
  }
  const size = seatSize(frameWidth, columns);
  const plan = { width: LABELS_PX + columns * size, "--seat": `${size}px` } as CSSProperties;
  const field = { width: columns * size, height: lines * size };

  return (
    <div className="seat-map" role="group" aria-label="Seat map">
      <div ref={frame} className="seat-map__frame">
        <div className="seat-map__plan" style={plan}>
          <div
            className="stage"
            aria-hidden="true"
            style={{ marginLeft: LABELS_PX + (columns * size) / 4, width: (columns * size) / 2 }}
          >
            Stage
          </div>
          <div className="seat-map__rows">
            <div className="seat-map__labels" aria-hidden="true" style={{ height: field.height }}>
              {rows.map(({ section, row, seats: rowSeats }) => (
                <span key={`${section}\u0000${row}`} className="row-label" style={{ top: (rowSeats[0]!.y - top) * size }}>
                  {row}
                </span>
              ))}
            </div>
            <div className="seat-map__field" style={field}>
              {rows.map(({ section, row, seats: rowSeats }) => (
                <ul key={`${section}\u0000${row}`} className="seats" aria-label={sectioned ? `${section}, row ${row}` : `Row ${row}`}>
                  {rowSeats.map((seat) => {
                    const view = seatView(seat, now);
                    const clickable = view === "available" || view === "mine";
                    return (
                      <li key={seat.id} style={{ left: (seat.x - left) * size, top: (seat.y - top) * size }}>
                        <button
                          type="button"
                          ref={(node) => {
                            if (node) buttons.current.set(seat.id, node);
                            else buttons.current.delete(seat.id);
                          }}
                          tabIndex={seat.id === active ? 0 : -1}
                          onFocus={() => setActiveId(seat.id)}
                          onKeyDown={handleKeyDown}
                          className={`seat seat--${view}`}
                          aria-label={seatLabel(seat, view)}
                          aria-pressed={view === "mine"}
                          aria-disabled={!clickable || busySeatId === seat.id}
                          aria-busy={busySeatId === seat.id}
                          title={seatLabel(seat, view)}
                          onClick={() => {
                            if (busySeatId !== seat.id) onSeatClick(seat, view);
                          }}
                        >
                          <span aria-hidden="true">{SEAT_ICON[view] || place(seat)}</span>
                        </button>
                      </li>
                    );
                  })}
                </ul>
              ))}
            </div>
          </div>
        </div>
      </div>
    </div>
  );
}

export function SeatLegend() {
  const entries: Array<[SeatView, string]> = [
    ["available", "Available"],
    ["mine", "Held by you"],
    ["held", "Held by someone else"],
    ["reserved", "Reserved"],
  ];
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
    </ul>
  );
}
