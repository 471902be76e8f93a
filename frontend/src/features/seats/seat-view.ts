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

/** Seats grouped by row, in the order the API gives them. */
export function seatRows(seats: Seat[]): Array<{ row: string; seats: Seat[] }> {
  const rows = new Map<string, Seat[]>();
  for (const seat of seats) {
    const row = rows.get(seat.row);
    if (row) row.push(seat);
    else rows.set(seat.row, [seat]);
  }
  return Array.from(rows, ([row, rowSeats]) => ({ row, seats: rowSeats }));
}
