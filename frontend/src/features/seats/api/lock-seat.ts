import { api } from "../../../lib/api-client";
import type { LockResult } from "../../../lib/types";

export function lockSeat(eventId: number, seatId: number): Promise<LockResult> {
  return api.post<LockResult>(`/api/events/${eventId}/seats/${seatId}/lock/`);
}
