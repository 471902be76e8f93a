import { api } from "../../../lib/api-client";
import type { ReserveResult } from "../../../lib/types";

export type { ReserveResult };

export function reserveSeats(eventId: number, seatIds: number[]): Promise<ReserveResult> {
  return api.post<ReserveResult>(`/api/events/${eventId}/reserve/`, { seat_ids: seatIds });
}
