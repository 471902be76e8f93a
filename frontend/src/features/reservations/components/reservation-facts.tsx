import { formatDate, formatMoney } from "../../../lib/format";
import type { Reservation } from "../../../lib/types";

/** When, which seats, the total and the status: the same lines in the list and on the detail page. */
export function ReservationFacts({ reservation }: { reservation: Reservation }) {
  return (
    <>
      <p>
        <time dateTime={reservation.event_date}>{formatDate(reservation.event_date)}</time>
      </p>
      <p>
        Seats {reservation.seats.join(", ")} · Total <strong>{formatMoney(reservation.total_price, reservation.currency)}</strong> ·{" "}
        <span className="badge">{reservation.status}</span>
      </p>
    </>
  );
}
