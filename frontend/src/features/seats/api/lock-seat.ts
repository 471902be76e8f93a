import { api } from "../../../lib/api-client";

export type LockResult = {
  message: string;
  seat: { id: number; seat_number: string; status: "locked"; locked_until: string };
};

export function lockSeat(eventId: number, seatId: number): Promise<LockResult> {
  return api.post<LockResult>(`/api/events/${eventId}/seats/${seatId}/lock/`);
}
