import { useQuery } from "@tanstack/react-query";
import { Link, Navigate, useParams } from "react-router";

import { PageHeading } from "../../components/page-heading";
import { useAuth } from "../../features/auth/hooks/use-auth";
import { CheckInDesk, STAFF_ONLY } from "../../features/checkin/components/check-in-desk";
import { eventQuery } from "../../features/events/api/get-events";

/** `/checkin/:eventId`: the door of an event, for staff. */
export function CheckInRoute() {
  const eventId = Number(useParams().eventId);
  const { user, isLoading } = useAuth();
  const event = useQuery(eventQuery(eventId));
  if (isLoading) return <p>Loading…</p>;
  if (!user) return <Navigate to={`/login?next=${encodeURIComponent(`/checkin/${eventId}`)}`} replace />;
  return (
    <section className="checkin-page">
      <PageHeading title={event.data ? `Check-in: ${event.data.name}` : "Check-in"} />
      {user.is_staff ? (
        <CheckInDesk eventId={eventId} />
      ) : (
        <>
          <p className="notice">{STAFF_ONLY}</p>
          <Link to="/">Back to events</Link>
        </>
      )}
    </section>
  );
}
