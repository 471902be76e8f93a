import { useState } from "react";
import { Link, useLocation, useNavigate } from "react-router";

import { ErrorMessage, StatusMessage } from "../../../components/messages";
import { useNowAt } from "../../../hooks/use-now";
import { ApiError } from "../../../lib/api-client";
import type { EventSection, Seat } from "../../../lib/types";
import { useAuth } from "../../auth/hooks/use-auth";
import { reserveSeats, type ReserveResult } from "../../reservations/api/reserve-seats";
import { HoldSummary } from "../../reservations/components/hold-summary";
import { lockSeat } from "../api/lock-seat";
import { unlockSeat } from "../api/unlock-seat";
import { useSeats } from "../hooks/use-seats";
import { type BestAvailable, holdBestAvailable } from "../api/hold-best";
import { holdEndsAt, SEAT_VIEW_LABEL, type SeatView, seatView } from "../seat-view";
import { BestAvailableForm } from "./best-available-form";
import { SectionOverview } from "./section-overview";
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
    case "not_enough_seats":
      return `${error.message} Try fewer seats, another section or a higher price.`;
    default:
      return error.message;
  }
}

/** Focus moves to the confirmation once it appears (a stable ref callback: once per mount). */
function focusOnMount(node: HTMLElement | null) {
  node?.focus();
}

const HELD = { status: "locked", is_locked: true, locked_by_me: true } as const;
const RELEASED = { status: "available", is_locked: false, locked_by_me: false, locked_until: null } as const;

/** Halls bigger than this open on an overview of their sections, then one section's seats. */
export const OVERVIEW_ABOVE_SEATS = 400;

type PickerProps = { eventId: number; sections?: EventSection[] };

/** Pick seats on the live map (or ask for the best ones together), hold them, and reserve them. A
 * big hall opens on its sections; choosing one shows its seats (your holds anywhere stay yours). */
export function SeatPicker({ eventId, sections = [] }: PickerProps) {
  const { user } = useAuth();
  const navigate = useNavigate();
  const location = useLocation();
  const seats = useSeats(eventId);
  const [busySeatId, setBusySeatId] = useState<number>();
  const [reserving, setReserving] = useState(false);
  const [finding, setFinding] = useState(false);
  const [chosen, setChosen] = useState<string | null>(null);
  const seatCount = sections.reduce((total, section) => total + section.total_seats, 0);
  const overview = sections.length > 1 && seatCount > OVERVIEW_ABOVE_SEATS;
  const [error, setError] = useState("");
  const [status, setStatus] = useState("");
  const [confirmation, setConfirmation] = useState<ReserveResult | null>(null);

  const grid = seats.data?.seats ?? [];
  const offset = seats.data?.clock_offset ?? 0;
  // The map changes when a hold runs out, not every second: the countdown is HoldSummary's own.
  const ends = grid.map(holdEndsAt).filter((end): end is number => end !== undefined);
  const now = useNowAt(ends, offset);
  const held = grid.filter((seat) => seatView(seat, now) === "mine");
  const ranOut = grid.filter((seat) => seat.locked_by_me && (holdEndsAt(seat) ?? Infinity) <= now);

  /** Run one action of the customer's: its message or its error is shown, then the map refreshes. */
  async function perform(action: () => Promise<string>, done: () => void) {
    setError("");
    try {
      setStatus(await action());
    } catch (caught) {
      setError(explain(caught));
      setStatus("");
    } finally {
      done();
      seats.refresh();
    }
  }

  function signedIn(): boolean {
    if (!user) navigate(`/login?next=${encodeURIComponent(location.pathname)}`);
    return Boolean(user);
  }

  async function handleSeatClick(seat: Seat, view: SeatView) {
    if (view === "held" || view === "reserved") {
      setStatus("");
      setError(`Seat ${seat.seat_number} is ${SEAT_VIEW_LABEL[view]}: choose an available seat.`);
      return;
    }
    if (!signedIn()) return;
    setBusySeatId(seat.id);
    setConfirmation(null);
    await perform(
      async () => {
        if (view === "mine") {
          const result = await unlockSeat(eventId, seat.id);
          seats.showSeat(seat.id, RELEASED);
          return result.message;
        }
        const result = await lockSeat(eventId, seat.id);
        // The answer says it all: show the hold now, not after the next load of the map.
        seats.showSeat(seat.id, { ...HELD, locked_until: result.seat.locked_until });
        return result.message;
      },
      () => setBusySeatId(undefined),
    );
  }

  async function handleFind(request: BestAvailable) {
    if (!signedIn()) return;
    setFinding(true);
    setConfirmation(null);
    await perform(async () => {
      const result = await holdBestAvailable(eventId, request);
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
      setConfirmation(result);
      return `${result.message}: ${result.seats.join(", ")}. Total ${result.total_price}.`;
    }, () => setReserving(false));
  }

  const showOverview = overview && chosen === null; // drawn from the event's sections, at once
  if (!showOverview && seats.isLoading) return <p>Loading seats…</p>;
  if (!showOverview && !seats.data) {
    return <ErrorMessage>{seats.error?.message ?? "The seats could not be loaded."}</ErrorMessage>;
  }

  return (
    <div className="seat-picker">
      <div className="seat-picker__map">
        {showOverview ? (
          <SectionOverview sections={sections} onChoose={setChosen} />
        ) : (
          <>
            {overview && (
              <p className="section-back">
                <button type="button" onClick={() => setChosen(null)}>
                  ← All sections
                </button>{" "}
                <strong>{chosen}</strong>
              </p>
            )}
            <SeatLegend />
            <SeatMap
              seats={chosen === null ? grid : grid.filter((seat) => seat.section === chosen)}
              now={now}
              busySeatId={busySeatId}
              onSeatClick={handleSeatClick}
            />
          </>
        )}
      </div>
      <aside className="seat-picker__side">
        <StatusMessage>
          {ranOut.length > 0
            ? `Your hold on ${ranOut.map((seat) => seat.seat_number).join(", ")} ran out: the seat is free for everyone again.`
            : status}
        </StatusMessage>
        <ErrorMessage>{error}</ErrorMessage>
        {seats.error && <ErrorMessage>Live updates paused: {seats.error.message}</ErrorMessage>}
        {confirmation && (
          <section className="confirmation" aria-labelledby="confirmation-title" tabIndex={-1} ref={focusOnMount}>
            <h2 id="confirmation-title">Reservation confirmed</h2>
            <p>
              Reservation #{confirmation.reservation_id}: seats {confirmation.seats.join(", ")}.
            </p>
            <p>
              Total: <strong>{confirmation.total_price}</strong>
            </p>
            <Link to="/reservations">See my reservations</Link>
          </section>
        )}
        <BestAvailableForm
          sections={sections.map((section) => section.name)}
          maxCount={10}
          busy={finding}
          onFind={(request) => void handleFind(request)}
        />
        {user ? (
          <HoldSummary held={held} clockOffset={offset} reserving={reserving} onReserve={handleReserve} />
        ) : (
          <p className="hint">Log in to hold seats. Choosing a seat takes you there.</p>
        )}
      </aside>
    </div>
  );
}
