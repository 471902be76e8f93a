import { api } from "../../../lib/api-client";

export type HoldResult = {
  message: string;
  locked_until: string;
  server_time: string;
  seats: Array<{ id: number; seat_number: string; section: string; price: string; locked_until: string }>;
};

export type BestAvailable = { count: number; section?: string; max_price?: string };

/** Best available: the best `count` free seats side by side (the server's rule). */
export function holdBestAvailable(eventId: number, request: BestAvailable): Promise<HoldResult> {
  return api.post<HoldResult>(`/api/events/${eventId}/holds/`, request);
}
