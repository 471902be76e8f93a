import { useQuery } from "@tanstack/react-query";
import { useDeferredValue } from "react";
import { Link, useParams } from "react-router";

import { ErrorMessage } from "../../components/messages";
import { PageHeading } from "../../components/page-heading";
import { eventQuery } from "../../features/events/api/get-events";
import { SeatPicker, SeatsPlaceholder } from "../../features/seats/components/seat-picker";
import { OnSaleGate } from "../../features/waitingroom/components/on-sale-gate";
import { formatDate } from "../../lib/format";

/** The page's frame while the event is on its way: the heading's and the date's lines keep their
 * height, so the page does not jump when they arrive. */
function EventPlaceholder() {
  return (
    <>
      <p>
        <Link to="/">← All events</Link>
      </p>
      <p className="placeholder-heading">Loading the event…</p>
      <p className="placeholder-line" aria-hidden="true" />
    </>
  );
}

export function EventRoute() {
  const eventId = Number(useParams().eventId);
  const event = useQuery(eventQuery(eventId));
  // The seat picker is drawn after the event's heading, in a render React does in slices (a
  // deferred value's): the answer's arrival is not one long task that holds up a phone.
  const deferred = useDeferredValue(event.data);
  const drawn = deferred?.id === eventId ? deferred : undefined; // not the event left a moment ago

  if (event.isPending) return <EventPlaceholder />;
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
      {!drawn ? (
        <SeatsPlaceholder sections={event.data.sections ?? []} />
      ) : drawn.is_open ? (
        <OnSaleGate event={drawn}>
          <SeatPicker
            eventId={eventId}
            currency={drawn.currency}
            sections={drawn.sections}
            stage={drawn.stage}
            limits={{ hold: drawn.hold_limit, ticket: drawn.ticket_limit }}
          />
        </OnSaleGate>
      ) : (
        <p className="hint">This event has started; seats can no longer be reserved.</p>
      )}
    </>
  );
}
