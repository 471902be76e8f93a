import { useCallback } from "react";

import { useResource } from "../../../hooks/use-resource";
import { getSeats } from "../api/get-seats";

export const SEAT_POLL_MS = 5000;

/** The live seat grid of an event: polled every 5 s while the tab is visible (see useResource). */
export function useSeats(eventId: number) {
  const load = useCallback((signal: AbortSignal) => getSeats(eventId, signal), [eventId]);
  return useResource(`seats:${eventId}`, load, { pollMs: SEAT_POLL_MS });
}
