import { useQuery } from "@tanstack/react-query";

import { ApiError } from "../../../lib/api-client";
import type { QueuePlace } from "../../../lib/types";
import { getQueuePlace, queueKeys } from "../api/queue";

const SECOND = 1000;

/**
 * How long to wait before asking again: soon when your turn is near, rarely when it is far (a
 * tenth of the estimated wait, 2 to 30 s), each browser a random ±25% apart, so that 100,000
 * waiting browsers never ask in lockstep. Once admitted, nothing changes until you reserve or the
 * admission runs out: once a minute, or when it runs out.
 */
export function pollDelay(place: QueuePlace | null | undefined, random = Math.random): number | false {
  if (!place || place.state === "ended") return false;
  let base: number;
  if (place.state === "admitted") {
    base = Math.min(60 * SECOND, Math.max(SECOND, Date.parse(place.admitted_until!) - Date.now()));
  }
  else if (place.state === "before_onsale") base = 10 * SECOND;
  else base = Math.min(30 * SECOND, Math.max(2 * SECOND, ((place.estimated_wait_seconds ?? 20) * SECOND) / 10));
  return Math.round(base * (0.75 + random() * 0.5));
}

/** After a failed poll: 2, 4, 8 … up to 60 s, with full jitter. */
export function retryDelay(failures: number, random = Math.random): number {
  return Math.round(random() * Math.min(60 * SECOND, 2 * SECOND * 2 ** failures));
}

/** Your place in the event's queue, followed while the tab is visible (TanStack Query pauses the
 * polling of hidden tabs), one request at a time. Every tab of the account shows the same place. */
export function useQueuePlace(eventId: number, enabled: boolean) {
  return useQuery({
    queryKey: queueKeys.place(eventId),
    queryFn: ({ signal }) => getQueuePlace(eventId, signal),
    enabled,
    refetchInterval: (query) => pollDelay(query.state.data),
    retry: (failures, error) =>
      !(error instanceof ApiError && (error.status === 401 || error.status === 404)) && failures < 20,
    retryDelay: (failures) => retryDelay(failures),
  });
}
