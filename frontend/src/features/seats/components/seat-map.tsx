import { Fragment } from "react";

import type { Seat } from "../../../lib/types";
import { type SeatView, seatLabel, seatRows, seatView } from "../seat-view";

const SEAT_ICON: Record<SeatView, string> = {
  available: "",
  mine: "✓",
  held: "●",
  reserved: "✕",
};

type Props = {
  seats: Seat[];
  now: number;
  busySeatId?: number;
  onSeatClick: (seat: Seat, view: SeatView) => void;
};

/** The seat map, row by row. Seats that cannot be taken stay focusable but are aria-disabled; pressing
 * one still reaches `onSeatClick`, so that the customer is told why. */
export function SeatMap({ seats, now, busySeatId, onSeatClick }: Props) {
  const rows = seatRows(seats);
  const sectioned = new Set(rows.map((row) => row.section)).size > 1;
  return (
    <div className="seat-map" role="group" aria-label="Seat map">
      <div className="stage" aria-hidden="true">
        Stage
      </div>
      {rows.map(({ section, row, seats: rowSeats }, index) => (
        <Fragment key={`${section}\u0000${row}`}>
          {sectioned && rows[index - 1]?.section !== section && <h3 className="section-name">{section}</h3>}
          <div className="seat-row">
            <span className="row-label" aria-hidden="true">
              {row}
            </span>
            <ul className="seats" aria-label={sectioned ? `${section}, row ${row}` : `Row ${row}`}>
              {rowSeats.map((seat) => {
                const view = seatView(seat, now);
                const clickable = view === "available" || view === "mine";
                return (
                  <li key={seat.id}>
                    <button
                      type="button"
                      className={`seat seat--${view}`}
                      aria-label={seatLabel(seat, view)}
                      aria-pressed={view === "mine"}
                      aria-disabled={!clickable || busySeatId === seat.id}
                      aria-busy={busySeatId === seat.id}
                      title={seatLabel(seat, view)}
                      onClick={() => {
                        // Untakeable seats still answer a press: the picker says why.
                        if (busySeatId !== seat.id) onSeatClick(seat, view);
                      }}
                    >
                      <span aria-hidden="true">{SEAT_ICON[view] || seat.number}</span>
                    </button>
                  </li>
                );
              })}
            </ul>
            <span className="row-label" aria-hidden="true">
              {row}
            </span>
          </div>
        </Fragment>
      ))}
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
