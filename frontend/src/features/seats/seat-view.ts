import type { Seat } from "../../lib/types";

/** What a customer sees for a seat: a hold that has run out is available again, at once. */
export type SeatView = "available" | "mine" | "held" | "reserved";

export const SEAT_VIEW_LABEL: Record<SeatView, string> = {
  available: "available",
  mine: "held by you",
  held: "held by someone else",
  reserved: "reserved",
};

export function holdEndsAt(seat: Seat): number | undefined {
  return seat.locked_by_me && seat.locked_until ? Date.parse(seat.locked_until) : undefined;
}

export function seatView(seat: Seat, now: number): SeatView {
  if (seat.status === "reserved") return "reserved";
  if (seat.status !== "locked") return "available";
  if (!seat.locked_by_me) return "held";
  const endsAt = holdEndsAt(seat);
  return endsAt !== undefined && endsAt > now ? "mine" : "available";
}

export function seatLabel(seat: Seat, view: SeatView): string {
  return `${seat.seat_number}, ${SEAT_VIEW_LABEL[view]}, ${seat.price}`;
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
