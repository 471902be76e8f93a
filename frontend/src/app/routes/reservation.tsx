import { useQuery } from "@tanstack/react-query";
import { Link, Navigate, useParams } from "react-router";

import { ErrorMessage } from "../../components/messages";
import { PageHeading } from "../../components/page-heading";
import { useAuth } from "../../features/auth/hooks/use-auth";
import { reservationQuery } from "../../features/reservations/api/get-reservation";
import { ReservationDetail } from "../../features/reservations/components/reservation-detail";

function Reservation({ reservationId, askForEmail }: { reservationId: number; askForEmail: boolean }) {
  const reservation = useQuery(reservationQuery(reservationId));
  if (reservation.isPending) {
    return (
      <>
        <PageHeading title={`Reservation #${reservationId}`} />
        <p>Loading your tickets…</p>
      </>
    );
  }
  if (!reservation.data) {
    return (
      <>
        <PageHeading title={`Reservation #${reservationId}`} />
        <ErrorMessage>{reservation.error?.message ?? "This reservation could not be loaded."}</ErrorMessage>
      </>
    );
  }
  const { id, event_name } = reservation.data;
  return (
    <>
      <PageHeading title={`#${id} · ${event_name}`} />
      <ReservationDetail reservation={reservation.data} askForEmail={askForEmail} />
    </>
  );
}

/** `/reservations/:reservationId`: the page the confirmation e-mail links to. */
export function ReservationRoute() {
  const reservationId = Number(useParams().reservationId);
  const { user, isLoading } = useAuth();
  if (isLoading) return <p>Loading…</p>;
  if (!user) return <Navigate to={`/login?next=${encodeURIComponent(`/reservations/${reservationId}`)}`} replace />;
  return (
    <>
      <p>
        <Link to="/reservations">← My reservations</Link>
      </p>
      <Reservation reservationId={reservationId} askForEmail={!user.is_staff && user.email === ""} />
    </>
  );
}
