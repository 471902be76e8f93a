import { api } from "../../../lib/api-client";
import type { QueuePlace } from "../../../lib/types";

export const queueKeys = { place: (eventId: number) => ["queue", eventId] as const };

/** Your place in the event's queue; null when you are not in it. */
export async function getQueuePlace(eventId: number, signal?: AbortSignal): Promise<QueuePlace | null> {
  return (await api.get<{ queue: QueuePlace | null }>(`/api/events/${eventId}/queue/`, signal)).queue;
}

/** Join the queue (joining again keeps your place). */
export async function joinQueue(eventId: number): Promise<QueuePlace> {
  return (await api.post<{ queue: QueuePlace }>(`/api/events/${eventId}/queue/`)).queue!;
}
