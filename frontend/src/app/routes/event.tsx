import { useQuery } from "@tanstack/react-query";
import { Link, useParams } from "react-router";

import { ErrorMessage } from "../../components/messages";
import { PageHeading } from "../../components/page-heading";
import { eventQuery } from "../../features/events/api/get-events";
import { SeatPicker } from "../../features/seats/components/seat-picker";
import { OnSaleGate } from "../../features/waitingroom/components/on-sale-gate";
import { formatDate } from "../../lib/format";

export function EventRoute() {
  const eventId = Number(useParams().eventId);
  const event = useQuery(eventQuery(eventId));

  if (event.isPending) return <p>Loading…</p>;
  if (!event.data) {
    return (
      <>
        <ErrorMessage>{event.error?.message ?? "This event could not be loaded."}</ErrorMessage>
        <Link to="/">Back to events</Link>
      </>
    );
  }
  return (
    <>
      <p>
        <Link to="/">← All events</Link>
      </p>
      <PageHeading title={event.data.name} />
      <p>
        <time dateTime={event.data.event_date}>{formatDate(event.data.event_date)}</time> · {event.data.location}
      </p>
      {event.data.description && <p>{event.data.description}</p>}
      {event.data.is_open ? (
        <OnSaleGate event={event.data}>
          <SeatPicker
            eventId={eventId}
            currency={event.data.currency}
            sections={event.data.sections}
            stage={event.data.stage}
            limits={{ hold: event.data.hold_limit, ticket: event.data.ticket_limit }}
          />
        </OnSaleGate>
      ) : (
        <p className="hint">This event has started; seats can no longer be reserved.</p>
      )}
    </>
  );
}
