import { useMutation, useQueryClient } from "@tanstack/react-query";
import { type ReactNode, useState } from "react";
import { Link, useLocation } from "react-router";

import { ErrorMessage } from "../../../components/messages";
import { useNow, useNowAt } from "../../../hooks/use-now";
import { formatCountdown, formatDate } from "../../../lib/format";
import type { EventSummary, QueuePlace } from "../../../lib/types";
import { useAuth } from "../../auth/hooks/use-auth";
import { joinQueue, queueKeys } from "../api/queue";
import { useQueuePlace } from "../hooks/use-queue-place";

/** "about 3 minutes", "about 1 hour 5 minutes", "less than a minute". */
export function formatWait(seconds: number): string {
  if (seconds < 60) return "less than a minute";
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `about ${minutes} minute${minutes === 1 ? "" : "s"}`;
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  return `about ${hours} hour${hours === 1 ? "" : "s"}${rest ? ` ${rest} minute${rest === 1 ? "" : "s"}` : ""}`;
}

/** Time left until `until` (epoch ms), ticking every second in this small component only. */
function Countdown({ until }: { until: number }) {
  const now = useNow(1000);
  const left = until - now;
  const hours = Math.floor(left / 3_600_000);
  return (
    <time dateTime={new Date(until).toISOString()}>
      {hours > 0 ? `${hours}:` : ""}
      {hours > 0 ? formatCountdown(left % 3_600_000).padStart(5, "0") : formatCountdown(left)}
    </time>
  );
}

/**
 * What stands between a customer and the seat map of an event: before `onsale_at`, a countdown;
 * with a queue, the waiting room (join, your place, people ahead, the estimated wait and a progress
 * bar, followed by polling with jitter), then the map with the time left on your admission.
 * Announcements go to a polite live region; focus never moves by itself.
 */
export function OnSaleGate({ event, children }: { event: EventSummary; children: ReactNode }) {
  const opensAt = event.onsale_at ? Date.parse(event.onsale_at) : 0;
  // Re-renders when the on-sale opens, not every second (the countdown ticks on its own).
  const now = useNowAt([opensAt]);
  if (event.queue?.enabled) return <WaitingRoom event={event}>{children}</WaitingRoom>;
  if (opensAt > now) {
    return (
      <section aria-labelledby="onsale-heading" className="waiting-room">
        <h2 id="onsale-heading">Seats go on sale {formatDate(event.onsale_at!)}</h2>
        <p>
          Opens in <Countdown until={opensAt} />. The seat map appears here by itself.
        </p>
      </section>
    );
  }
  return children;
}

function WaitingRoom({ event, children }: { event: EventSummary; children: ReactNode }) {
  const { user, isLoading } = useAuth();
  const location = useLocation();
  const queryClient = useQueryClient();
  const place = useQueuePlace(event.id, Boolean(user));
  const join = useMutation({
    mutationFn: () => joinQueue(event.id),
    onSuccess: (joined) => queryClient.setQueryData(queueKeys.place(event.id), joined),
  });
  const until = place.data?.admitted_until ? Date.parse(place.data.admitted_until) : 0;
  // When the admission runs out, ask again (the answer says "ended").
  const now = useNowAt([until]);
  const admitted = Boolean(place.data?.admitted) && until > now;
  if (admitted) {
    return (
      <>
        <p className="admission" role="note">
          It is your turn: choose and reserve your seats within <Countdown until={until} />.
        </p>
        {children}
      </>
    );
  }
  // An admission that has run out by the clock is over, before the next poll says so.
  const shown = place.data && place.data.admitted ? { ...place.data, state: "ended" as const } : place.data;

  let body: ReactNode;
  if (!user) {
    body = isLoading ? (
      <p>Loading…</p>
    ) : (
      <p>
        <Link to={`/login?next=${encodeURIComponent(location.pathname)}`}>Log in</Link> to join the queue.
      </p>
    );
  } else if (place.isPending) {
    body = <p>Loading your place…</p>;
  } else if (!shown || shown.state === "ended") {
    body = (
      <>
        {shown && <p>Your turn has ended. You can join the queue again.</p>}
        <p>
          <button type="button" onClick={() => join.mutate()} disabled={join.isPending}>
            {shown ? "Join the queue again" : "Join the queue"}
          </button>
        </p>
      </>
    );
  } else {
    body = <Place place={shown} />;
  }
  return (
    <section aria-labelledby="queue-heading" className="waiting-room">
      <h2 id="queue-heading">{shown && shown.state !== "ended" ? "You are in the queue" : "Waiting room"}</h2>
      <p className="hint">
        Customers are let in a few at a time, at most {event.queue!.per_minute} a minute, in the order of the queue.
        Everyone who joins before the on-sale gets a place at random when it opens; later arrivals queue in order.
        Keep this page open; one tab is enough.
      </p>
      {body}
      <ErrorMessage>{join.error?.message ?? place.error?.message}</ErrorMessage>
    </section>
  );
}

function Place({ place }: { place: QueuePlace }) {
  // The progress bar runs from the first place this page saw to the front of the queue.
  const [first, setFirst] = useState<number | null>(null);
  if (place.position !== null && (first === null || place.position > first)) {
    setFirst(place.position); // adjusting state while rendering (React's documented pattern)
  }
  if (place.state === "before_onsale") {
    const opensAt = place.opens_at ? Date.parse(place.opens_at) : 0;
    return (
      <>
        <p role="status" aria-live="polite">
          You are in the queue. When the on-sale opens, everyone in the queue gets a place at random.
        </p>
        {opensAt > 0 && (
          <p>
            Opens in <Countdown until={opensAt} />.
          </p>
        )}
      </>
    );
  }
  const position = place.position ?? 1;
  const start = Math.max(first ?? position, position);
  const wait = place.estimated_wait_seconds;
  return (
    <>
      <dl className="queue-facts">
        <dt>Your place</dt>
        <dd>{position}</dd>
        <dt>People ahead of you</dt>
        <dd>{place.ahead}</dd>
        <dt>Estimated wait</dt>
        <dd>{wait === null ? "—" : formatWait(wait)}</dd>
      </dl>
      <progress
        aria-label="Your progress in the queue"
        max={start}
        value={start - position + 1}
      >{`${start - position + 1} of ${start}`}</progress>
      <p role="status" aria-live="polite">
        {`You are number ${position} in the queue; ${place.ahead} ${place.ahead === 1 ? "person" : "people"} ahead of you` +
          (wait === null ? "." : `, ${formatWait(wait)} to wait.`)}
      </p>
    </>
  );
}
