import { useCallback, useRef } from "react";

import { useResource } from "../../../hooks/use-resource";
import type { Seat, SeatGrid } from "../../../lib/types";
import { applyFeed, getSeats } from "../api/get-seats";

export const SEAT_POLL_MS = 5000;

/**
 * The live seat grid of an event: polled every 5 s while the tab is visible (see useResource).
 * After the first answer it follows the change feed: each poll asks only for what changed since
 * the last answer's cursor and applies it to the grid it has. `clock_offset` is how far this
 * device's clock is from the server's.
 */
export function useSeats(eventId: number) {
  const last = useRef<SeatGrid | undefined>(undefined);
  const load = useCallback(
    async (signal: AbortSignal) => {
      const known = last.current?.event_id === eventId ? last.current : undefined;
      const answer = await getSeats(eventId, known?.cursor, signal);
      const grid = known ? applyFeed(known, answer) : answer;
      // Countdowns follow the server's clock, not this device's (which may be minutes off).
      const offset = answer.server_time ? Date.parse(answer.server_time) - Date.now() : (known?.clock_offset ?? 0);
      last.current = { ...grid, clock_offset: offset };
      return last.current;
    },
    [eventId],
  );
  const resource = useResource(`seats:${eventId}`, load, { pollMs: SEAT_POLL_MS });
  const { update } = resource;
  /** A seat as the server has just answered (a hold, a release): shown at once, and the next
   * feed answer builds on it. */
  const showSeat = useCallback(
    (seatId: number, change: Partial<Seat>) => {
      const apply = (grid: SeatGrid) => ({
        ...grid,
        seats: grid.seats.map((seat) => (seat.id === seatId ? { ...seat, ...change } : seat)),
      });
      if (last.current) last.current = apply(last.current);
      update(apply);
    },
    [update],
  );
  return { ...resource, showSeat };
}
