import { queryOptions } from "@tanstack/react-query";

import { api } from "../../../lib/api-client";
import type { EventSummary } from "../../../lib/types";

export async function getEvents(signal?: AbortSignal): Promise<EventSummary[]> {
  return (await api.get<{ events: EventSummary[] }>("/api/events/", signal)).events;
}

export async function getEvent(eventId: number, signal?: AbortSignal): Promise<EventSummary> {
  return (await api.get<{ event: EventSummary }>(`/api/events/${eventId}/`, signal)).event;
}

export const eventsQuery = () => queryOptions({ queryKey: ["events"], queryFn: ({ signal }) => getEvents(signal) });

export const eventQuery = (eventId: number) =>
  queryOptions({ queryKey: ["events", eventId], queryFn: ({ signal }) => getEvent(eventId, signal) });
