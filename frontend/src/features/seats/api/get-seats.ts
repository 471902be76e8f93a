import { api } from "../../../lib/api-client";
import type { SeatGrid } from "../../../lib/types";

/** The whole grid, or with `since` (an earlier answer's cursor) only the seats changed since. */
export function getSeats(eventId: number, since?: string, signal?: AbortSignal): Promise<SeatGrid> {
  const query = since ? `?since=${encodeURIComponent(since)}` : "";
  return api.get<SeatGrid>(`/api/events/${eventId}/seats/${query}`, signal);
}

/** The grid after a feed answer: a whole grid replaces it, changed seats replace theirs. */
export function applyFeed(grid: SeatGrid, answer: SeatGrid): SeatGrid {
  if (answer.full !== false) return answer;
  if (answer.seats.length === 0) return { ...grid, cursor: answer.cursor, server_time: answer.server_time };
  const changed = new Map(answer.seats.map((seat) => [seat.id, seat]));
  return { ...answer, full: true, seats: grid.seats.map((seat) => changed.get(seat.id) ?? seat) };
}
