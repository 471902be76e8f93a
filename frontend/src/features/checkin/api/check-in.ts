import { queryOptions } from "@tanstack/react-query";

import { api } from "../../../lib/api-client";
import type { AdmittedTicket, CheckInCounts } from "../../../lib/types";

/** How often the door's count is refreshed besides after each scan (other doors let people in too). */
export const CHECKIN_POLL_MS = 10_000;

/** Let a ticket in, once (staff). Refusals are ApiErrors: 404 `invalid_ticket`, 409 `wrong_event`
 * (`details.event_id`), `ticket_cancelled`, `already_checked_in` (`details.checked_in_at`). */
export async function checkIn(eventId: number, code: string): Promise<AdmittedTicket> {
  return (await api.post<{ ticket: AdmittedTicket }>(`/api/events/${eventId}/checkin/`, { code })).ticket;
}

export async function getCheckInCounts(eventId: number, signal?: AbortSignal): Promise<CheckInCounts> {
  const { tickets, checked_in } = await api.get<CheckInCounts>(`/api/events/${eventId}/checkin/`, signal);
  return { tickets, checked_in };
}

export const checkInCountsQuery = (eventId: number) =>
  queryOptions({
    queryKey: ["checkin", eventId],
    queryFn: ({ signal }) => getCheckInCounts(eventId, signal),
    refetchInterval: CHECKIN_POLL_MS,
  });
