import { useQueryClient } from "@tanstack/react-query";
import { useRef, useState } from "react";
import { Link, useInRouterContext } from "react-router";

import { ErrorMessage, StatusMessage } from "../../../components/messages";
import { ApiError } from "../../../lib/api-client";
import type { Reservation } from "../../../lib/types";
import { seatKeys } from "../../seats/api/get-seats";
import { cancelReservation } from "../api/cancel-reservation";
import { reservationsQuery } from "../api/get-reservations";
import { ReservationFacts } from "./reservation-facts";

type Props = {
  reservations: Reservation[];
};

/** A link to a reservation's own page (its tickets): a router link in the app, a plain link where
 * the list is shown on its own (tests render it without a router). */
function ReservationLink({ reservation }: { reservation: Reservation }) {
  const inRouter = useInRouterContext();
  const to = `/reservations/${reservation.id}`;
  const text = (
    <>
      {reservation.status === "confirmed" ? "Tickets and details" : "Details"}{" "}
      <span className="visually-hidden">of reservation #{reservation.id}</span>
    </>
  );
  return inRouter ? <Link to={to}>{text}</Link> : <a href={to}>{text}</a>;
}

/** Your reservations; cancelling asks for confirmation first. */
export function ReservationList({ reservations }: Props) {
  const queryClient = useQueryClient();
  const [confirming, setConfirming] = useState<number | null>(null);
  const [cancelling, setCancelling] = useState(false);
  const [error, setError] = useState("");
  const [status, setStatus] = useState("");
  const headings = useRef(new Map<number, HTMLHeadingElement>());

  async function handleCancel(reservation: Reservation) {
    setCancelling(true);
    setError("");
    try {
      await cancelReservation(reservation.id);
      setStatus(`Reservation #${reservation.id} cancelled; seats ${reservation.seats.join(", ")} are free again.`);
      setConfirming(null);
      // The buttons that had the focus are gone: keep it on this reservation, not on <body>.
      headings.current.get(reservation.id)?.focus();
    } catch (caught) {
      setError(caught instanceof ApiError ? caught.message : "Cancelling failed. Please try again.");
    } finally {
      setCancelling(false);
      void queryClient.invalidateQueries({ queryKey: reservationsQuery().queryKey });
      void queryClient.invalidateQueries({ queryKey: seatKeys.event(reservation.event_id) });
    }
  }

  return (
    <>
      <StatusMessage>{status}</StatusMessage>
      <ErrorMessage>{error}</ErrorMessage>
      {reservations.length === 0 ? (
        <p>You have no reservations yet.</p>
      ) : (
        <ul className="reservation-list">
          {reservations.map((reservation) => (
            <li key={reservation.id} className={`reservation reservation--${reservation.status}`}>
              <h2
                tabIndex={-1}
                ref={(node) => {
                  if (node) headings.current.set(reservation.id, node);
                  else headings.current.delete(reservation.id);
                }}
              >
                #{reservation.id} · {reservation.event_name}
              </h2>
              <ReservationFacts reservation={reservation} />
              <p>
                <ReservationLink reservation={reservation} />
              </p>
              {reservation.status === "confirmed" &&
                (confirming === reservation.id ? (
                  <div className="confirm" role="group" aria-label={`Cancel reservation #${reservation.id}?`}>
                    <span>Cancel reservation #{reservation.id}?</span>
                    <button type="button" className="danger" disabled={cancelling} onClick={() => handleCancel(reservation)}>
                      Yes, cancel it
                    </button>
                    <button type="button" onClick={() => setConfirming(null)}>
                      Keep it
                    </button>
                  </div>
                ) : (
                  <button type="button" onClick={() => setConfirming(reservation.id)}>
                    Cancel reservation #{reservation.id}
                  </button>
                ))}
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
