import { useQuery } from "@tanstack/react-query";

import { ErrorMessage } from "../../components/messages";
import { PageHeading } from "../../components/page-heading";
import { eventsQuery } from "../../features/events/api/get-events";
import { EventList } from "../../features/events/components/event-list";

export function EventsRoute() {
  const events = useQuery(eventsQuery());
  return (
    <>
      <PageHeading title="Upcoming events" />
      {events.isPending && <p>Loading events…</p>}
      <ErrorMessage>{events.error?.message}</ErrorMessage>
      {events.data && <EventList events={events.data} />}
    </>
  );
}
