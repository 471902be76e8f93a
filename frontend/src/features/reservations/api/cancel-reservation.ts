import { api } from "../../../lib/api-client";

export function cancelReservation(reservationId: number): Promise<{ message: string }> {
  return api.post<{ message: string }>(`/api/reservations/${reservationId}/cancel/`);
}
