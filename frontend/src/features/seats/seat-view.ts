import { formatMoney } from "../../lib/format";
import type { Seat, SeatAccessibility } from "../../lib/types";

/** What a customer sees for a seat (see `seatView`). */
export type SeatView = "available" | "mine" | "held" | "reserved" | "blocked";

export const SEAT_VIEW_LABEL: Record<SeatView, string> = {
  available: "available",
  mine: "held by you",
  held: "held by someone else",
  reserved: "reserved",
  blocked: "not for sale (held back by the box office)",
};

/** What a screen reader hears about a wheelchair space or a companion seat. */
export const ACCESSIBILITY_LABEL: Record<SeatAccessibility, string> = {
  wheelchair: "wheelchair space",
  companion: "companion seat",
};

/** Whether the seat is your hold, running or already run out (you are told when it runs out):
 * what your holds list. Whether it still runs is `seatView`'s to say. */
export function isYourHold(seat: Seat): boolean {
  return seat.locked_by_me && Boolean(seat.locked_until);
}

/** When your hold on the seat runs out (epoch ms, the server's clock); undefined when it is not
 * yours (the API tells only the holder). The only moment a seat's view changes by itself. */
export function holdEndsAt(seat: Seat): number | undefined {
  return isYourHold(seat) ? Date.parse(seat.locked_until!) : undefined;
}

/**
 * The one rule for "is this seat free, is this hold still running" at `now` (epoch ms, the
 * server's clock), as the server counts it: reserved and blocked are what they say; someone else's hold is held
 * (until an answer says otherwise: its end is not ours to know); your hold is yours while
 * `locked_until` is ahead of `now`, and available again the moment it is not. Anything else is
 * available. Every part of the app that shows or acts on a seat's state asks this.
 */
export function seatView(seat: Seat, now: number): SeatView {
  if (seat.status === "reserved" || seat.status === "blocked") return seat.status;
  if (seat.status !== "locked") return "available";
  if (!seat.locked_by_me) return "held";
  const endsAt = holdEndsAt(seat);
  return endsAt !== undefined && endsAt > now ? "mine" : "available";
}

/** A seat's accessible name: "S-T1, wheelchair space, available, €85.00" (`currency`: the event's). */
export function seatLabel(seat: Seat, view: SeatView, currency: string): string {
  const access = seat.accessibility ? `, ${ACCESSIBILITY_LABEL[seat.accessibility]}` : "";
  return `${seat.seat_number}${access}, ${SEAT_VIEW_LABEL[view]}, ${formatMoney(seat.price, currency)}`;
}

/** `key` is unique per row of the event: row "A" of the Stalls is not row "A" of the Circle. */
export type SeatRow = { key: string; section: string; row: string; seats: Seat[] };

/** Seats grouped by section and row, in the order the API gives them. */
export function seatRows(seats: Seat[]): SeatRow[] {
  const rows = new Map<string, SeatRow>();
  for (const seat of seats) {
    const key = JSON.stringify([seat.section, seat.row]);
    const row = rows.get(key);
    if (row) row.seats.push(seat);
    else rows.set(key, { key, section: seat.section, row: seat.row, seats: [seat] });
  }
  return Array.from(rows.values());
}

/** What a row is called: "Row A", or "Stalls, row A" where the seats shown span several sections. */
export function rowName(row: SeatRow, sectioned: boolean): string {
  return sectioned ? `${row.section}, row ${row.row}` : `Row ${row.row}`;
}

/** Whether the seats' rows span more than one section (then a row's name says its section). */
export function spansSections(rows: SeatRow[]): boolean {
  return new Set(rows.map((row) => row.section)).size > 1;
}
