import { ErrorMessage } from "../../components/messages";
import { getEvents } from "../../features/events/api/get-events";
import { EventList } from "../../features/events/components/event-list";
import { useResource } from "../../hooks/use-resource";
import { PageHeading } from "../../components/page-heading";

export function EventsRoute() {
  const events = useResource("events", getEvents);
  return (
    <>
      <PageHeading title="Upcoming events" />
      {events.isLoading && <p>Loading events…</p>}
      <ErrorMessage>{events.error?.message}</ErrorMessage>
      {events.data && <EventList events={events.data} />}
    </>
  );
}
