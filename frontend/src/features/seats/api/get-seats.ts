import { api } from "../../../lib/api-client";
import type { HeldSeats, Seat, SeatGrid } from "../../../lib/types";

/** Cache keys: an event's grids (whole, or one section's) and the seats you hold in it. */
export const seatKeys = {
  event: (eventId: number) => ["seats", eventId] as const,
  grid: (eventId: number, section: string | null) => ["seats", eventId, "grid", section] as const,
  holds: (eventId: number) => ["seats", eventId, "holds"] as const,
};

/** The whole grid (of one section, with `section`), or with `since` (an earlier answer's cursor)
 * only the seats changed since. */
export function getSeats(
  eventId: number,
  { section, since }: { section?: string | null; since?: string },
  signal?: AbortSignal,
): Promise<SeatGrid> {
  const query = new URLSearchParams();
  if (section) query.set("section", section);
  if (since) query.set("since", since);
  const search = query.size ? `?${query}` : "";
  return api.get<SeatGrid>(`/api/events/${eventId}/seats/${search}`, signal);
}

/** The seats you hold in the event now, in every section. */
export function getMyHolds(eventId: number, signal?: AbortSignal): Promise<HeldSeats> {
  return api.get<HeldSeats>(`/api/events/${eventId}/holds/`, signal);
}

/** The grid after a feed answer: a whole grid replaces it, changed seats replace theirs. */
export function applyFeed(grid: SeatGrid, answer: SeatGrid): SeatGrid {
  if (answer.full !== false) return answer;
  if (answer.seats.length === 0) return { ...grid, cursor: answer.cursor, server_time: answer.server_time };
  const changed = new Map(answer.seats.map((seat) => [seat.id, seat]));
  return { ...answer, full: true, seats: grid.seats.map((seat) => changed.get(seat.id) ?? seat) };
}

/** A message of the live stream (`GET /api/events/{id}/seats/stream/`): a change-feed answer (as an
 * anonymous viewer sees the seats) and `since`, the cursor it continues from. */
export type StreamMessage = SeatGrid & { since?: string | null };

export function streamUrl(eventId: number, section: string | null, since?: string): string {
  const query = new URLSearchParams();
  if (section) query.set("section", section);
  if (since) query.set("since", since);
  const search = query.size ? `?${query}` : "";
  return `/api/events/${eventId}/seats/stream/${search}`;
}

/** The grid after a stream message. The stream is anonymous: a seat you hold (`yours`) keeps your
 * view of it, with its countdown, unless the message says it is reserved. */
export function applyStream(grid: SeatGrid, message: StreamMessage, yours: Map<number, Seat>): SeatGrid {
  const seats = message.seats.map((seat) => {
    const own = yours.get(seat.id);
    return own && seat.status !== "reserved" ? own : seat;
  });
  return { ...applyFeed(grid, { ...message, seats }), clock_offset: grid.clock_offset };
}
