import { useQueryClient } from "@tanstack/react-query";
import { useCallback, useRef, useState } from "react";

import { ApiError } from "../../../lib/api-client";
import type { AdmittedTicket } from "../../../lib/types";
import { checkIn, checkInCountsQuery } from "../api/check-in";

export type Scan = {
  /** Counts up with every code sent: what the door shows is the answer to the latest one. */
  id: number;
  code: string;
} & ({ admitted: AdmittedTicket; refused?: never } | { admitted?: never; refused: ApiError });

/**
 * The door: `submit(code)` sends a scanned or typed code; `latest` is the answer to the latest code
 * sent (an older answer arriving late never replaces a newer one); the count is refreshed after each.
 */
export function useCheckIn(eventId: number) {
  const queryClient = useQueryClient();
  const [latest, setLatest] = useState<Scan | null>(null);
  const [inFlight, setInFlight] = useState(0);
  const sent = useRef(0);
  const shown = useRef(0);

  const submit = useCallback(
    async (typed: string) => {
      const code = typed.trim();
      if (!code) return;
      const id = ++sent.current;
      setInFlight((count) => count + 1);
      let scan: Scan;
      try {
        scan = { id, code, admitted: await checkIn(eventId, code) };
      } catch (caught) {
        const refused =
          caught instanceof ApiError ? caught : new ApiError("Checking in failed. Please try again.", 0, "client_error");
        scan = { id, code, refused };
      }
      setInFlight((count) => count - 1);
      if (id > shown.current) {
        shown.current = id;
        setLatest(scan);
      }
      void queryClient.invalidateQueries({ queryKey: checkInCountsQuery(eventId).queryKey });
    },
    [eventId, queryClient],
  );

  return { latest, submit, checking: inFlight > 0 };
}
