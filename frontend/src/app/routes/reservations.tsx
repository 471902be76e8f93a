import { useQuery } from "@tanstack/react-query";
import { Navigate } from "react-router";

import { ErrorMessage } from "../../components/messages";
import { useAuth } from "../../features/auth/hooks/use-auth";
import { reservationsQuery } from "../../features/reservations/api/get-reservations";
import { ReservationList } from "../../features/reservations/components/reservation-list";
import { PageHeading } from "../../components/page-heading";

function Reservations() {
  const reservations = useQuery(reservationsQuery());
  return (
    <>
      {reservations.isPending && <p>Loading your reservations…</p>}
      <ErrorMessage>{reservations.error?.message}</ErrorMessage>
      {reservations.data && <ReservationList reservations={reservations.data} />}
    </>
  );
}

export function ReservationsRoute() {
  const { user, isLoading } = useAuth();
  if (isLoading) return <p>Loading…</p>;
  if (!user) return <Navigate to="/login?next=/reservations" replace />;
  return (
    <>
      <PageHeading title="My reservations" />
      <Reservations />
    </>
  );
}
