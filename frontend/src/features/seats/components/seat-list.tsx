import { useId, useMemo, useState } from "react";

import type { Seat } from "../../../lib/types";
import { rowName, type SeatRow, type SeatView, seatLabel, seatRows, seatView, spansSections } from "../seat-view";

type Props = {
  seats: Seat[];
  /** The event's (ISO 4217), for the seats' prices. */
  currency: string;
  now: number;
  busySeatId?: number;
  onSeatClick: (seat: Seat, view: SeatView) => void;
};

/**
 * The seats as a list, one row at a time: choose a row (each says how many seats are free), then a
 * seat among its free ones (and your own, to give them back). What a screen reader or a small screen
 * needs in a big hall, where a map of thousands of buttons is a long walk.
 */
export function SeatList({ seats, currency, now, busySeatId, onSeatClick }: Props) {
  const id = useId();
  const rows = useMemo(
    () =>
      seatRows(seats).map((row) => {
        const views = row.seats.map((seat) => ({ seat, view: seatView(seat, now) }));
        const open = views.filter(({ view }) => view === "available" || view === "mine"); // yours: to give back
        const free = open.filter(({ view }) => view === "available").length;
        return { ...row, open, free };
      }),
    [seats, now],
  );
  const sectioned = spansSections(rows);
  const [chosenKey, setChosenKey] = useState<string>();
  const chosen = rows.find((row) => row.key === chosenKey) ?? rows.find((row) => row.free > 0) ?? rows[0];
  const name = (row: SeatRow) => rowName(row, sectioned);
  if (!chosen) return <p>No seats.</p>;

  return (
    <div className="seat-list">
      <label htmlFor={`${id}-row`}>Row</label>
      <select id={`${id}-row`} value={chosen.key} onChange={(event) => setChosenKey(event.target.value)}>
        {rows.map((row) => (
          <option key={row.key} value={row.key}>
            {name(row)}: {row.free ? `${row.free} of ${row.seats.length} free` : "none free"}
          </option>
        ))}
      </select>
      {chosen.open.length === 0 ? (
        <p>No free seats in {name(chosen).toLowerCase()}: choose another row.</p>
      ) : (
        <ul className="seat-list__seats" aria-label={`${name(chosen)}: free seats`}>
          {chosen.open.map(({ seat, view }) => (
            <li key={seat.id}>
              <button
                type="button"
                className={`seat-list__seat seat-list__seat--${view}`}
                aria-pressed={view === "mine"}
                aria-disabled={busySeatId === seat.id}
                aria-busy={busySeatId === seat.id}
                onClick={() => {
                  if (busySeatId !== seat.id) onSeatClick(seat, view);
                }}
              >
                {seatLabel(seat, view, currency)}
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
