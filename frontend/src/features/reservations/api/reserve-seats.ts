import { api } from "../../../lib/api-client";

export type ReserveResult = {
  message: string;
  reservation_id: number;
  seats: string[];
  total_price: string;
};

export function reserveSeats(eventId: number, seatIds: number[]): Promise<ReserveResult> {
  return api.post<ReserveResult>(`/api/events/${eventId}/reserve/`, { seat_ids: seatIds });
}
