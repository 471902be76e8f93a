import { api } from "../../../lib/api-client";

export function unlockSeat(eventId: number, seatId: number): Promise<{ message: string }> {
  return api.post<{ message: string }>(`/api/events/${eventId}/seats/${seatId}/unlock/`);
}
