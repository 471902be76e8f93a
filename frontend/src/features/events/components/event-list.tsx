import { Link } from "react-router";

import { formatDate, formatPriceRange } from "../../../lib/format";
import type { EventSummary } from "../../../lib/types";

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
            {event.min_price && <span>Price {formatPriceRange(event, event.currency)} · </span>}
            <span>
              {event.available_seats} of {event.total_seats} seats available
            </span>
          </p>
        </li>
      ))}
    </ul>
  );
}
