import { api } from "../../../lib/api-client";
import type { SeatGrid } from "../../../lib/types";

export function getSeats(eventId: number, signal?: AbortSignal): Promise<SeatGrid> {
  return api.get<SeatGrid>(`/api/events/${eventId}/seats/`, signal);
}
