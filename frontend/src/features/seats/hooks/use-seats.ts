import { type QueryClient, queryOptions, useQuery, useQueryClient } from "@tanstack/react-query";
import { type Dispatch, type SetStateAction, useCallback, useEffect, useState } from "react";

import type { HeldSeats, Seat, SeatGrid } from "../../../lib/types";
import {
  applyFeed,
  applyStream,
  getMyHolds,
  getSeats,
  seatKeys,
  type StreamMessage,
  streamUrl,
} from "../api/get-seats";
import { isYourHold } from "../seat-view";

/** How often an open map polls the change feed while it has no live stream. */
export const SEAT_POLL_MS = 5000;
/** How often it still polls while the stream is live: a safety net, not the way changes arrive. */
export const SEAT_RECONCILE_MS = 30_000;
/** The first retry of a stream that failed; each further failure doubles it, up to the maximum. */
export const STREAM_RETRY_MS = 1000;
export const STREAM_RETRY_MAX_MS = 60_000;

/** Jitter below this is the network's, not the clocks': the offset (and every countdown's timer)
 * stays as it was. */
const OFFSET_JITTER_MS = 250;

/** ms to add to this device's clock to get the server's: the answer's `server_time` against the
 * middle of the request (half the round trip is the best guess of when the server wrote it). */
function clockOffset(serverTime: string, sent: number, previous: number | undefined): number {
  const measured = Date.parse(serverTime) - (sent + Date.now()) / 2;
  return previous !== undefined && Math.abs(measured - previous) < OFFSET_JITTER_MS ? previous : measured;
}

/**
 * The live grid of an event (`section` null) or of one of its sections: polled every 5 s while the
 * tab is visible. After the first answer it follows the change feed: each poll asks only for what
 * changed since the last answer's cursor and applies it to the grid in the cache (including seats
 * shown meanwhile by `useRecordSeats`). Structural sharing is off: the feed already keeps every
 * unchanged seat object, and comparing 50,000 seats on each poll would cost more than it saves.
 */
function seatGridQuery(queryClient: QueryClient, eventId: number, section: string | null) {
  const queryKey = seatKeys.grid(eventId, section);
  return queryOptions({
    queryKey,
    queryFn: async ({ signal }): Promise<SeatGrid> => {
      const known = queryClient.getQueryData<SeatGrid>(queryKey);
      const sent = Date.now();
      const answer = await getSeats(eventId, { section, since: known?.cursor }, signal);
      const latest = queryClient.getQueryData<SeatGrid>(queryKey) ?? known;
      const grid = latest ? applyFeed(latest, answer) : answer;
      // Countdowns follow the server's clock, not this device's (which may be minutes off). An
      // answer the browser revalidated (a 304) is the stored one, with the time it was first
      // written: it says nothing new about the clock.
      const fresh = answer.server_time && answer.server_time !== latest?.server_time;
      const offset = fresh
        ? clockOffset(answer.server_time!, sent, latest?.clock_offset)
        : (latest?.clock_offset ?? 0);
      return { ...grid, clock_offset: offset };
    },
    structuralSharing: false,
  });
}

/**
 * The live grid of an event or of one of its sections. Once the grid is loaded, one `EventSource`
 * follows the seat stream (every change pushed within a second, through Pushpin) and the feed is
 * polled only every 30 s as a safety net. When the stream fails (or answers 503: no push here), or
 * a message does not continue from the last one (a gap), the map polls the feed every 5 s as before
 * and tries the stream again after a backoff.
 */
export function useSeats(eventId: number, section: string | null, enabled = true) {
  const queryClient = useQueryClient();
  const key = `${eventId}/${section ?? ""}`;
  const [liveFor, setLiveFor] = useState<string | null>(null);
  const query = useQuery({
    ...seatGridQuery(queryClient, eventId, section),
    enabled,
    refetchInterval: liveFor === key ? SEAT_RECONCILE_MS : SEAT_POLL_MS,
  });
  useSeatStream(eventId, section, enabled && query.data !== undefined, key, setLiveFor);
  return query;
}

function useSeatStream(
  eventId: number,
  section: string | null,
  ready: boolean,
  key: string,
  setLiveFor: Dispatch<SetStateAction<string | null>>,
) {
  const queryClient = useQueryClient();
  useEffect(() => {
    if (!ready || typeof EventSource === "undefined") return;
    const queryKey = seatKeys.grid(eventId, section);
    let source: EventSource | null = null;
    let retry: ReturnType<typeof setTimeout> | undefined;
    let failures = 0;
    let expected: string | undefined; // the cursor the next message must continue from

    const close = () => {
      source?.close();
      source = null;
    };
    const fallBack = () => {
      close();
      setLiveFor((live) => (live === key ? null : live));
      const delay = Math.min(STREAM_RETRY_MAX_MS, STREAM_RETRY_MS * 2 ** failures);
      failures += 1;
      retry = setTimeout(open, delay * (0.5 + Math.random() / 2)); // a crowd does not come back at once
    };
    const onMessage = (event: MessageEvent<string>) => {
      const message = JSON.parse(event.data) as StreamMessage;
      if (message.full === false && message.since !== expected) {
        if (message.cursor === expected) return; // one it already has
        fallBack(); // missed something: the feed has it
        void queryClient.refetchQueries({ queryKey, exact: true });
        return;
      }
      expected = message.cursor;
      const grid = queryClient.getQueryData<SeatGrid>(queryKey);
      if (grid) queryClient.setQueryData(queryKey, applyStream(grid, message, yourHolds(queryClient, eventId, grid)));
      failures = 0;
      setLiveFor(key);
    };
    function open() {
      expected = queryClient.getQueryData<SeatGrid>(queryKey)?.cursor;
      source = new EventSource(streamUrl(eventId, section, expected));
      source.onmessage = onMessage;
      source.onerror = fallBack;
      // The relay stops following a channel nobody has opened for a while: still here, so open again.
      source.addEventListener("reconnect", () => {
        close();
        retry = setTimeout(open, Math.random() * 3000);
      });
    }

    open();
    return () => {
      clearTimeout(retry);
      close();
      setLiveFor((live) => (live === key ? null : live));
    };
  }, [queryClient, eventId, section, ready, key, setLiveFor]);
}

/** The seats you hold whose hold is still running (the server's clock), from your holds and the grid. */
function yourHolds(queryClient: QueryClient, eventId: number, grid: SeatGrid): Map<number, Seat> {
  const now = Date.now() + (grid.clock_offset ?? 0);
  const held = queryClient.getQueryData<HeldSeats>(seatKeys.holds(eventId))?.seats ?? [];
  const running = [...held, ...grid.seats].filter(
    (seat) => isYourHold(seat) && Date.parse(seat.locked_until!) > now,
  );
  return new Map(running.map((seat) => [seat.id, seat]));
}

/** The seats you hold in the event, in every section: loaded when the map opens and after each
 * of your actions (a hold changes only by what you do, or by time). */
export function useMyHolds(eventId: number, enabled: boolean) {
  const queryClient = useQueryClient();
  const queryKey = seatKeys.holds(eventId);
  return useQuery({
    queryKey,
    queryFn: async ({ signal }): Promise<HeldSeats> => {
      const sent = Date.now();
      const answer = await getMyHolds(eventId, signal);
      const previous = queryClient.getQueryData<HeldSeats>(queryKey)?.clock_offset;
      return { ...answer, clock_offset: clockOffset(answer.server_time, sent, previous) };
    },
    enabled,
  });
}

export type SeatChange = Pick<Seat, "id"> & Partial<Seat>;

/**
 * Show seats as the server has just answered (a hold, a release, a reservation) in every cached
 * grid of the event and in your holds, at once: the next poll builds on it. Seats the cache does
 * not know yet come with the reload that follows every action.
 */
export function useRecordSeats(eventId: number) {
  const queryClient = useQueryClient();
  return useCallback(
    (changes: SeatChange[]) => {
      const byId = new Map(changes.map((change) => [change.id, change]));
      const shown = new Map<number, Seat>();
      queryClient.setQueriesData<SeatGrid>({ queryKey: [...seatKeys.event(eventId), "grid"] }, (grid) => {
        if (!grid?.seats.some((seat) => byId.has(seat.id))) return undefined; // untouched: left as it is
        const seats = grid.seats.map((seat) => {
          const change = byId.get(seat.id);
          if (!change) return seat;
          const next = { ...seat, ...change };
          shown.set(seat.id, next);
          return next;
        });
        return { ...grid, seats };
      });
      queryClient.setQueryData<HeldSeats>(seatKeys.holds(eventId), (holds) => {
        if (!holds) return undefined;
        const mine = new Map(holds.seats.map((seat) => [seat.id, seat]));
        for (const change of changes) {
          const before = mine.get(change.id);
          const seat = shown.get(change.id) ?? (before && { ...before, ...change });
          if (seat && isYourHold(seat)) mine.set(seat.id, seat);
          else if (seat) mine.delete(seat.id);
        }
        return { ...holds, seats: Array.from(mine.values()).sort((a, b) => a.id - b.id) };
      });
    },
    [queryClient, eventId],
  );
}

type Answer<T> = { data: T | undefined; dataUpdatedAt: number };

/**
 * The seats you hold, from the two answers that know: your holds in every section, and the grid on
 * screen (polled, so usually the newer for its own section). The later answer wins for the seats
 * both cover. A hold that has run out is still listed: its holder is told.
 */
export function heldSeats(grid: Answer<SeatGrid>, section: string | null, holds: Answer<HeldSeats>): Seat[] {
  const fromGrid = grid.data?.seats.filter(isYourHold) ?? [];
  if (!holds.data) return fromGrid;
  if (!grid.data || holds.dataUpdatedAt >= grid.dataUpdatedAt) return holds.data.seats;
  const elsewhere = holds.data.seats.filter((seat) => section !== null && seat.section !== section);
  return [...elsewhere, ...fromGrid].sort((a, b) => a.id - b.id);
}
