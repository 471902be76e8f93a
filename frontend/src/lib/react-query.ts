import { QueryClient } from "@tanstack/react-query";

import { ApiError } from "./api-client";

/** Retry what may pass on a second try (no connection, 5xx, 429) twice; a 4xx answer is final. */
export function retryTransient(failureCount: number, error: unknown): boolean {
  if (!(error instanceof ApiError)) return false;
  const transient = error.status === 0 || error.status === 429 || error.status >= 500;
  return transient && failureCount < 2;
}

/**
 * The app's one cache of server state. Queries keep their last good data on an error, refetch when
 * the tab comes back and when the connection returns; polling (per query) pauses while the tab is
 * hidden, and one query never has two requests in flight.
 */
export function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: { retry: retryTransient, refetchOnWindowFocus: true, refetchOnReconnect: true },
      mutations: { retry: false },
    },
  });
}
