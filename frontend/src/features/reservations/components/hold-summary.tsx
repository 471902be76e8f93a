import { formatCountdown, sumPrices } from "../../../lib/format";
import type { Seat } from "../../../lib/types";
import { holdEndsAt } from "../../seats/seat-view";

type Props = {
  held: Seat[];
  now: number;
  reserving: boolean;
  onReserve: () => void;
};

/** The seats you hold, their countdowns, the running total and the reserve button. */
export function HoldSummary({ held, now, reserving, onReserve }: Props) {
  if (held.length === 0) {
    return <p className="hint">Choose an available seat to hold it for a few minutes.</p>;
  }
  const total = sumPrices(held.map((seat) => seat.price));
  return (
    <section className="hold-summary" aria-labelledby="your-seats">
      <h2 id="your-seats">Your seats</h2>
      <ul>
        {held.map((seat) => (
          <li key={seat.id}>
            <span>{seat.seat_number}</span> <span>{seat.price}</span>{" "}
            <span className="countdown">held for {formatCountdown((holdEndsAt(seat) ?? now) - now)}</span>
          </li>
        ))}
      </ul>
      <p className="total">
        Total: <strong>{total}</strong>
      </p>
      <button type="button" className="primary" onClick={onReserve} disabled={reserving}>
        {reserving ? "Reserving…" : `Reserve ${held.length} seat(s)`}
      </button>
    </section>
  );
}
