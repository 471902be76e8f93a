import { api } from "../../../lib/api-client";
import type { HoldResult } from "../../../lib/types";

export type BestAvailable = { count: number; section?: string; max_price?: string };

/** Best available: the best `count` free seats side by side (the server's rule). */
export function holdBestAvailable(eventId: number, request: BestAvailable): Promise<HoldResult> {
  return api.post<HoldResult>(`/api/events/${eventId}/holds/`, request);
}
