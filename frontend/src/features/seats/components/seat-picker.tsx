import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useCallback, useEffect, useRef, useState } from "react";
import { Link, useLocation, useNavigate } from "react-router";

import { ErrorMessage, StatusMessage } from "../../../components/messages";
import { useNowAt } from "../../../hooks/use-now";
import { ApiError } from "../../../lib/api-client";
import { formatMoney } from "../../../lib/format";
import type { EventSection, Seat, Stage } from "../../../lib/types";
import { EmailPrompt } from "../../auth/components/email-prompt";
import { useAuth } from "../../auth/hooks/use-auth";
import { eventQuery } from "../../events/api/get-events";
import { reservationsQuery } from "../../reservations/api/get-reservations";
import { reserveSeats, type ReserveResult } from "../../reservations/api/reserve-seats";
import { HoldSummary } from "../../reservations/components/hold-summary";
import { seatKeys } from "../api/get-seats";
import { type BestAvailable, holdBestAvailable } from "../api/hold-best";
import { lockSeat } from "../api/lock-seat";
import { unlockSeat } from "../api/unlock-seat";
import { queueKeys } from "../../waitingroom/api/queue";
import { heldSeats, SEAT_POLL_MS, useMyHolds, useRecordSeats, useSeats } from "../hooks/use-seats";
import { holdEndsAt, SEAT_VIEW_LABEL, type SeatView, seatView } from "../seat-view";
import { BestAvailableForm } from "./best-available-form";
import { SectionOverview } from "./section-overview";
import { SeatList } from "./seat-list";
import { SeatLegend, SeatMap } from "./seat-map";

function explain(error: unknown): string {
  if (!(error instanceof ApiError)) return "Something went wrong. Please try again.";
  switch (error.code) {
    case "seat_unavailable":
      return `${error.message} Someone else was faster; the map is up to date again.`;
    case "lock_not_held":
      return `${error.message} Hold the seats again to reserve them.`;
    case "hold_limit_reached":
      return `${error.message} Reserve or release a seat first.`;
    case "ticket_limit_reached":
      return `${error.message} Release a seat or cancel a reservation first.`;
    case "not_enough_seats":
      return `${error.message} Try fewer seats, another section or a higher price.`;
    case "not_on_sale":
      return `${error.message} The seat map opens by itself when it starts.`;
    case "queue_required":
      return `${error.message} Your place in the queue is shown above.`;
    default:
      return error.message;
  }
}

/** Focus moves to the element once it appears (a stable ref callback: once per mount). */
function focusOnMount(node: HTMLElement | null) {
  node?.focus();
}

const HELD = { status: "locked", is_locked: true, locked_by_me: true } as const;
const RELEASED = { status: "available", is_locked: false, locked_by_me: false, locked_until: null } as const;
const RESERVED = { status: "reserved", is_locked: false, locked_by_me: false, locked_until: null } as const;

/** One hold of one seat (a seat held again is another hold). */
const holdKey = (seat: Seat) => `${seat.id}@${seat.locked_until}`;

/**
 * The seat numbers of your holds that have run out (listed in `mine`, no longer in `held`): each
 * hold is told once, and the notice stays until `clear()` (the next action).
 */
function useRanOut(mine: Seat[], held: Seat[]): [string[], () => void] {
  const [ranOut, setRanOut] = useState<string[]>([]);
  const [told, setTold] = useState<string[]>([]);
  const ended = mine.filter((seat) => !held.includes(seat) && !told.includes(holdKey(seat)));
  if (ended.length > 0) {
    // Adjusting state while rendering, when what it follows changed (React's documented pattern).
    setTold([...told, ...ended.map(holdKey)]);
    setRanOut([...ranOut, ...ended.map((seat) => seat.seat_number)]);
  }
  return [ranOut, useCallback(() => setRanOut([]), [])];
}

const LOG_IN_HINT = "Log in to hold seats. Choosing a seat takes you there.";

/** The room the seats will take while they load: a box in the proportions of the sections' seats
 * (the whole hall, or the chosen section), so what follows the map does not jump when it comes. */
export function SeatsPlaceholder({ sections }: { sections: EventSection[] }) {
  const left = Math.min(...sections.map((one) => one.x));
  const top = Math.min(...sections.map((one) => one.y));
  const columns = Math.max(...sections.map((one) => one.x + one.width)) - left;
  const lines = Math.max(...sections.map((one) => one.y + one.height)) - top;
  const ratio = sections.length > 0 && columns > 0 && lines > 0 ? `${columns} / ${lines}` : undefined;
  return (
    <div className="seats-placeholder" style={{ aspectRatio: ratio }}>
      <p>Loading seats…</p>
    </div>
  );
}

/** Halls bigger than this open on an overview of their sections, then one section's seats. */
const OVERVIEW_ABOVE_SEATS = 400;

/** An action's error; one that came from a lost connection clears itself once the server answers. */
type ActionError = { text: string; offline: boolean; at: number };

/** The event's limits per customer: seats held at once, and seats held and reserved together. */
type Limits = { hold: number; ticket: number };

/** `currency`: the event's (ISO 4217), every price's. */
type PickerProps = { eventId: number; currency: string; sections?: EventSection[]; stage?: Stage; limits: Limits };

/** How many of the event's tickets one customer may still take, told before the limit is reached. */
function TicketAllowance({ limit, reserved, held }: { limit: number; reserved: number; held: number }) {
  const have = [reserved > 0 && `${reserved} reserved`, held > 0 && `${held} held`].filter(Boolean).join(" and ");
  if (reserved + held >= limit) {
    return (
      <p className="hint">
        You have {have}: the most one customer may have for this event ({limit}). Release a seat or cancel a
        reservation to choose others.
      </p>
    );
  }
  return (
    <p className="hint">
      Up to {limit} tickets per customer for this event{have && `: you have ${have}`}.
    </p>
  );
}

/**
 * Pick seats on the live map or list (or ask for the best ones together), hold them, and reserve
 * them. A big hall opens on its sections and loads only the chosen section's grid; your holds in
 * every section stay in the summary. The summary, messages and Reserve stay in view (a bar at the
 * bottom of a phone's screen).
 */
export function SeatPicker({ eventId, currency, sections = [], stage, limits }: PickerProps) {
  const { user, isLoading: authLoading, whenKnown } = useAuth();
  const navigate = useNavigate();
  const location = useLocation();
  const queryClient = useQueryClient();
  const seatCount = sections.reduce((total, section) => total + section.total_seats, 0);
  const overview = sections.length > 1 && seatCount > OVERVIEW_ABOVE_SEATS;
  const [chosen, setChosen] = useState<string | null>(null);
  const [moved, setMoved] = useState(false); // the customer changed section: focus follows
  const [asList, setAsList] = useState(false);
  const section = overview ? chosen : null;
  const showOverview = overview && chosen === null; // drawn from the event's sections, at once
  // While the overview is shown its counts are polled like the seats (the event's answer is shared
  // by every viewer and at most 2 s old); the first answer is the one the page already has.
  const live = useQuery({
    ...eventQuery(eventId),
    select: (event) => event.sections,
    enabled: showOverview,
    refetchInterval: SEAT_POLL_MS,
    refetchOnMount: false,
  });
  const seats = useSeats(eventId, section, !showOverview);
  // A section's grid shows only its own holds: the others come from your holds (the whole grid of
  // a small hall shows them all).
  const holds = useMyHolds(eventId, Boolean(user) && overview);
  const recordSeats = useRecordSeats(eventId);
  const reservations = useQuery({ ...reservationsQuery(), enabled: Boolean(user) });
  const reservedHere = (reservations.data ?? [])
    .filter((reservation) => reservation.event_id === eventId && reservation.status === "confirmed")
    .reduce((count, reservation) => count + reservation.seats.length, 0);
  const [busySeatId, setBusySeatId] = useState<number>();
  const [reserving, setReserving] = useState(false);
  const [emailPutOff, setEmailPutOff] = useState(false);
  const [finding, setFinding] = useState(false);
  const [error, setError] = useState<ActionError | null>(null);
  const [status, setStatus] = useState("");
  const [confirmation, setConfirmation] = useState<ReserveResult | null>(null);

  const grid = seats.data?.seats ?? [];
  const offset = seats.data?.clock_offset ?? holds.data?.clock_offset ?? 0;
  const mine = heldSeats(seats, section, holds);
  // The map changes when a hold runs out, not every second: the countdown is HoldSummary's own.
  const ends = mine.map(holdEndsAt).filter((end): end is number => end !== undefined);
  const now = useNowAt(ends, offset);
  const held = mine.filter((seat) => seatView(seat, now) === "mine");
  const [ranOut, clearRanOut] = useRanOut(mine, held);
  const answeredSince = Math.max(seats.dataUpdatedAt, holds.dataUpdatedAt);
  const shownError = error && !(error.offline && answeredSince > error.at) ? error.text : "";

  /** Run one action of the customer's: its message or its error is shown, then what it changed
   * is loaded again (the grid on screen and your holds; other grids when next opened). */
  async function perform(action: () => Promise<string>, done: () => void) {
    setError(null);
    clearRanOut();
    let offline = false;
    let caught: unknown;
    try {
      setStatus(await action());
    } catch (failure) {
      caught = failure;
      offline = failure instanceof ApiError && failure.code === "network_error";
      setError({ text: explain(failure), offline, at: Date.now() });
      setStatus("");
    } finally {
      done();
      // Without a connection the polls find out when it is back (and then clear the error).
      if (!offline) void queryClient.invalidateQueries({ queryKey: seatKeys.event(eventId) });
      // Refused by the on-sale's gate: the event (its on-sale) and your place are asked again, and
      // the page shows the countdown or the waiting room instead of the map.
      if (caught instanceof ApiError && (caught.code === "not_on_sale" || caught.code === "queue_required")) {
        void queryClient.invalidateQueries({ queryKey: queueKeys.place(eventId) });
        void queryClient.invalidateQueries({ queryKey: eventQuery(eventId).queryKey });
      }
    }
  }

  /** Whether the customer is signed in; if not, off to log in (and back here afterwards). Not yet
   * knowing who is signed in (the page has just opened) is not being logged out: the action waits
   * for the answer, then decides. */
  async function signedIn(): Promise<boolean> {
    const who = user ?? (await whenKnown());
    if (!who) navigate(`/login?next=${encodeURIComponent(location.pathname)}`);
    return Boolean(who);
  }

  function choose(name: string | null) {
    setChosen(name);
    setMoved(true);
  }

  async function handleSeatClick(seat: Seat, view: SeatView) {
    if (view === "held" || view === "reserved" || view === "blocked") {
      setStatus("");
      const why = `Seat ${seat.seat_number} is ${SEAT_VIEW_LABEL[view]}: choose an available seat.`;
      setError({ text: why, offline: false, at: Date.now() });
      return;
    }
    setBusySeatId(seat.id); // at once: a second click while we wait to know who you are does nothing
    if (!(await signedIn())) {
      setBusySeatId(undefined);
      return;
    }
    setConfirmation(null);
    await perform(
      async () => {
        if (view === "mine") {
          const result = await unlockSeat(eventId, seat.id);
          recordSeats([{ id: seat.id, ...RELEASED }]);
          return result.message;
        }
        const result = await lockSeat(eventId, seat.id);
        // The answer says it all: show the hold now, not after the next load of the map.
        recordSeats([{ id: seat.id, ...HELD, locked_until: result.seat.locked_until }]);
        return result.message;
      },
      () => setBusySeatId(undefined),
    );
  }

  async function handleFind(request: BestAvailable) {
    setFinding(true);
    if (!(await signedIn())) {
      setFinding(false);
      return;
    }
    setConfirmation(null);
    await perform(async () => {
      const result = await holdBestAvailable(eventId, request);
      recordSeats(result.seats.map(({ id, locked_until }) => ({ id, ...HELD, locked_until })));
      const where = result.seats[0]?.section ?? null;
      if (overview && where !== chosen) choose(where); // show the seats found where they are
      return `${result.message}: ${result.seats.map((seat) => seat.seat_number).join(", ")}.`;
    }, () => setFinding(false));
  }

  async function handleReserve() {
    setReserving(true);
    await perform(async () => {
      const result = await reserveSeats(
        eventId,
        held.map((seat) => seat.id),
      );
      recordSeats(held.map(({ id }) => ({ id, ...RESERVED })));
      void queryClient.invalidateQueries({ queryKey: reservationsQuery().queryKey });
      setConfirmation(result);
      return `${result.message}: ${result.seats.join(", ")}. Total ${formatMoney(result.total_price, result.currency)}.`;
    }, () => setReserving(false));
  }

  // One function for the map's whole life, so its memoized rows do not re-render on every message.
  const seatClick = useRef(handleSeatClick);
  useEffect(() => {
    seatClick.current = handleSeatClick;
  });
  const onSeatClick = useCallback((seat: Seat, view: SeatView) => void seatClick.current(seat, view), []);

  let seatsView;
  if (showOverview) {
    seatsView = (
      <>
        <h2 className="picker-heading" tabIndex={-1} ref={moved ? focusOnMount : undefined}>
          Choose a section
        </h2>
        <SectionOverview sections={live.data ?? sections} stage={stage} currency={currency} onChoose={choose} />
      </>
    );
  } else if (seats.isPending) {
    seatsView = <SeatsPlaceholder sections={section ? sections.filter((one) => one.name === section) : sections} />;
  } else if (!seats.data) {
    seatsView = <ErrorMessage>{seats.error?.message ?? "The seats could not be loaded."}</ErrorMessage>;
  } else {
    const props = { seats: grid, currency, now, busySeatId, onSeatClick };
    seatsView = (
      <>
        {overview && (
          <div className="section-back">
            <button type="button" onClick={() => choose(null)}>
              ← All sections
            </button>
            <h2 className="picker-heading" tabIndex={-1} ref={moved ? focusOnMount : undefined}>
              {chosen}
            </h2>
          </div>
        )}
        <div className="view-switch" role="group" aria-label="Show seats as">
          <button type="button" aria-pressed={!asList} onClick={() => setAsList(false)}>
            Map
          </button>
          <button type="button" aria-pressed={asList} onClick={() => setAsList(true)}>
            List by row
          </button>
        </div>
        {asList ? (
          <SeatList {...props} />
        ) : (
          <>
            <SeatLegend seats={props.seats} />
            {/* A section of its own: its rows are made afresh, a slice at a time. Its rows face the
                field, which the bar above them names as the venue does ("PITCH", "Stage"). */}
            <SeatMap key={section ?? ""} {...props} stageLabel={stage?.label} />
          </>
        )}
      </>
    );
  }

  return (
    <div className="seat-picker">
      <div className="seat-picker__map">{seatsView}</div>
      <div className="seat-picker__bar">
        <StatusMessage>
          {ranOut.length > 0
            ? `Your hold on ${ranOut.join(", ")} ran out: the seat is free for everyone again.`
            : status}
        </StatusMessage>
        <ErrorMessage>{shownError}</ErrorMessage>
        {seats.error && <ErrorMessage>Live updates paused: {seats.error.message}</ErrorMessage>}
        {seats.fetchStatus === "paused" && (
          <p className="hint">You are offline: the seats will update when the connection returns.</p>
        )}
        {confirmation && (
          <section className="confirmation" aria-labelledby="confirmation-title" tabIndex={-1} ref={focusOnMount}>
            <h2 id="confirmation-title">Reservation confirmed</h2>
            <p>
              Reservation #{confirmation.reservation_id}: seats {confirmation.seats.join(", ")}.
            </p>
            <p>
              Total: <strong>{formatMoney(confirmation.total_price, confirmation.currency)}</strong>
            </p>
            <Link to="/reservations">See my reservations</Link>
          </section>
        )}
        {authLoading ? (
          // The line the hint below takes, kept while we learn who is signed in (no jump after).
          <p className="hint placeholder-hidden" aria-hidden="true">
            {LOG_IN_HINT}
          </p>
        ) : user ? (
          <>
            <HoldSummary held={held} currency={currency} clockOffset={offset} reserving={reserving} onReserve={handleReserve} />
            <TicketAllowance limit={limits.ticket} reserved={reservedHere} held={held.length} />
            {held.length > 0 && !user.email && !emailPutOff && (
              // Before reserving, where the tickets go: after Reserve, which stays one Tab and no
              // scroll away on a phone; reserving needs no address ("Not now" hides the question).
              <EmailPrompt onDismiss={() => setEmailPutOff(true)} />
            )}
          </>
        ) : (
          <p className="hint">{LOG_IN_HINT}</p>
        )}
      </div>
      <div className="seat-picker__find">
        <BestAvailableForm
          sections={sections.map((one) => one.name)}
          maxCount={Math.max(1, Math.min(limits.hold - held.length, limits.ticket - reservedHere - held.length))}
          busy={finding}
          onFind={(request) => void handleFind(request)}
        />
      </div>
    </div>
  );
}
