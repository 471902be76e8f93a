import { Link } from "react-router";

import { formatDate } from "../../../lib/format";
import type { EventSummary } from "../../../lib/types";

function priceRange(event: EventSummary): string {
  if (!event.min_price) return "";
  return event.min_price === event.max_price ? event.min_price : `${event.min_price} – ${event.max_price}`;
}

export function EventList({ events }: { events: EventSummary[] }) {
  if (events.length === 0) return <p>No upcoming events right now.</p>;
  return (
    <ul className="event-list">
      {events.map((event) => (
        <li key={event.id} className="event-card">
          <h2>
            <Link to={`/events/${event.id}`}>{event.name}</Link>
          </h2>
          <p>
            <time dateTime={event.event_date}>{formatDate(event.event_date)}</time> · {event.location}
          </p>
          <p>
            {priceRange(event) && <span>Price {priceRange(event)} · </span>}
            <span>
              {event.available_seats} of {event.total_seats} seats available
            </span>
          </p>
        </li>
      ))}
    </ul>
  );
}
