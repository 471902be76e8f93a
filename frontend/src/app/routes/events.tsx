import { ErrorMessage } from "../../components/messages";
import { getEvents } from "../../features/events/api/get-events";
import { EventList } from "../../features/events/components/event-list";
import { useResource } from "../../hooks/use-resource";

export function EventsRoute() {
  const events = useResource("events", getEvents);
  return (
    <>
      <h1>Upcoming events</h1>
      {events.isLoading && <p>Loading events…</p>}
      <ErrorMessage>{events.error?.message}</ErrorMessage>
      {events.data && <EventList events={events.data} />}
    </>
  );
}
