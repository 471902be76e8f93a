/** The API's resources, as described in ../shared/API.md and /api/schema/. */

/** Seat counts and price range, of an event or of one of its sections (may be 2 s old). */
export type SeatCounts = {
  total_seats: number;
  available_seats: number;
  locked_seats: number;
  reserved_seats: number;
  min_price: string | null;
  max_price: string | null;
};

export type EventSummary = SeatCounts & {
  id: number;
  name: string;
  description: string;
  event_date: string;
  location: string;
  is_open: boolean;
  /** In event detail only: the hall's sections in display order. */
  sections?: EventSection[];
};

export type EventSection = SeatCounts & {
  name: string;
  /** The box of the section's seats, in seat-widths from the hall's top-left (stage at the top). */
  x: number;
  y: number;
  width: number;
  height: number;
};

export type SeatStatus = "available" | "locked" | "reserved";

export type Seat = {
  id: number;
  seat_number: string;
  /** "Main" in a hall without sections. */
  section: string;
  row: string;
  number: number;
  /** Position in seat-widths from the hall's top-left, the stage at the top. */
  x: number;
  y: number;
  price: string;
  status: SeatStatus;
  is_locked: boolean;
  locked_by_me: boolean;
  locked_until: string | null;
};

export type SeatGrid = {
  event_id: number;
  lock_seconds: number;
  /** Send back as `since` to get only what changed after this answer (the change feed). */
  cursor?: string;
  /** The server's clock when it answered. */
  server_time?: string;
  /** False: `seats` holds only the seats that changed since `since`. */
  full?: boolean;
  seats: Seat[];
  /** Not from the API: ms to add to this device's clock to get the server's (from `server_time`). */
  clock_offset?: number;
};

/** The seats you hold in an event, in every section (`GET /api/events/{id}/holds/`). */
export type HeldSeats = {
  server_time: string;
  seats: Seat[];
  /** Not from the API: as in SeatGrid. */
  clock_offset?: number;
};

export type Reservation = {
  id: number;
  event_id: number;
  event_name: string;
  event_date: string;
  seats: string[];
  status: "pending" | "confirmed" | "cancelled";
  total_price: string;
  created_at: string;
  cancelled_at: string | null;
};

export type User = {
  id: number;
  username: string;
  is_staff: boolean;
};
