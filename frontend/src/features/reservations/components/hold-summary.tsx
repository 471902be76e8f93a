import { useNow } from "../../../hooks/use-now";
import { formatCountdown, formatMoney, sumPrices } from "../../../lib/format";
import type { Seat } from "../../../lib/types";
import { holdEndsAt } from "../../seats/seat-view";

type Props = {
  held: Seat[];
  /** The event's (ISO 4217): every price is in it. */
  currency: string;
  /** ms to add to this device's clock to get the server's. */
  clockOffset: number;
  reserving: boolean;
  onReserve: () => void;
};

const WARN_MS = 60_000;

/** The seats you hold, their countdowns (by the server's clock, ticking here and only here), the
 * running total and the reserve button; one minute before a hold runs out it says so, politely. */
export function HoldSummary({ held, currency, clockOffset, reserving, onReserve }: Props) {
  const now = useNow(1000, held.length > 0, clockOffset);
  if (held.length === 0) {
    return <p className="hint">Choose an available seat to hold it for a few minutes.</p>;
  }
  const total = formatMoney(sumPrices(held.map((seat) => seat.price)), currency);
  const ending = held.filter((seat) => (holdEndsAt(seat) ?? Infinity) - now <= WARN_MS);
  return (
    <section className="hold-summary" aria-labelledby="your-seats">
      <h2 id="your-seats">Your seats</h2>
      <ul>
        {held.map((seat) => (
          <li key={seat.id}>
            <span>{seat.seat_number}</span> <span>{formatMoney(seat.price, currency)}</span>{" "}
            <span className="countdown">held for {formatCountdown((holdEndsAt(seat) ?? now) - now)}</span>
          </li>
        ))}
      </ul>
      <p className="total">
        Total: <strong>{total}</strong>
      </p>
      <p className="hint" aria-live="polite">
        {ending.length > 0 &&
          `Less than a minute left on ${ending.map((seat) => seat.seat_number).join(", ")}: reserve now to keep ${ending.length > 1 ? "them" : "it"}.`}
      </p>
      <button type="button" className="primary" onClick={onReserve} disabled={reserving}>
        {reserving ? "Reserving…" : `Reserve ${held.length} seat(s)`}
      </button>
    </section>
  );
}
