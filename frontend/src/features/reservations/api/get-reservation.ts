import { queryOptions } from "@tanstack/react-query";

import { api } from "../../../lib/api-client";
import type { Reservation } from "../../../lib/types";
import { reservationsQuery } from "./get-reservations";

export async function getReservation(reservationId: number, signal?: AbortSignal): Promise<Reservation> {
  const path = `/api/reservations/${reservationId}/`;
  return (await api.get<{ reservation: Reservation }>(path, signal)).reservation;
}

/** Under the list's key: whatever refreshes "My reservations" (a cancellation) refreshes this too. */
export const reservationQuery = (reservationId: number) =>
  queryOptions({
    queryKey: [...reservationsQuery().queryKey, reservationId],
    queryFn: ({ signal }) => getReservation(reservationId, signal),
  });
