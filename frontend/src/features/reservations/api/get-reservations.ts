import { queryOptions } from "@tanstack/react-query";

import { api } from "../../../lib/api-client";
import type { Reservation } from "../../../lib/types";

export async function getReservations(signal?: AbortSignal): Promise<Reservation[]> {
  return (await api.get<{ reservations: Reservation[] }>("/api/reservations/", signal)).reservations;
}

export const reservationsQuery = () =>
  queryOptions({ queryKey: ["reservations"], queryFn: ({ signal }) => getReservations(signal) });
