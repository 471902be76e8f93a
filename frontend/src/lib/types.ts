/** The API's resources, as described in ../shared/API.md and /api/schema/. */

/** Seat counts and price range, of an event or of one of its sections (may be 2 s old). */
export type SeatCounts = {
  total_seats: number;
  available_seats: number;
  locked_seats: number;
  reserved_seats: number;
  /** Held back from sale by the box office. */
  blocked_seats: number;
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
  /** The most seats one customer may hold here at once. */
  hold_limit: number;
  /** The most seats one customer may hold and reserve here together (cancelled ones free theirs). */
  ticket_limit: number;
  /** Holds open at this moment (409 `not_on_sale` before); null: on sale now. The API always sends
   * these two; optional here for events made up before the waiting room existed (test fixtures). */
  onsale_at?: string | null;
  queue?: QueueSettings;
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

export type SeatStatus = "available" | "locked" | "reserved" | "blocked";

/** A wheelchair space or the companion seat beside one (from the venue's layout). */
export type SeatAccessibility = "wheelchair" | "companion";

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
  accessibility?: SeatAccessibility | null;
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

export type TicketStatus = "valid" | "checked_in" | "cancelled";

/** One seat's ticket; only its owner and staff see it. */
export type Ticket = {
  id: number;
  seat_number: string;
  section: string;
  /** The text of the ticket's QR code: shown at the door. Secret. */
  code: string;
  status: TicketStatus;
  checked_in_at: string | null;
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
  /** One per seat of a confirmed reservation (the API always sends the list; optional here for
   * reservations made up before tickets existed, as in older tests). */
  tickets?: Ticket[];
};

export type User = {
  id: number;
  username: string;
  is_staff: boolean;
  /** Where tickets and reset links go; "" when the account has none (then no e-mail is sent).
   * The API always sends it; optional here for users made up before it existed (test fixtures). */
  email?: string;
};

/** A ticket just let in at the door (`POST /api/events/{id}/checkin/`). */
export type AdmittedTicket = {
  id: number;
  seat_number: string;
  section: string;
  row: string;
  number: number;
  /** The username of the reservation's owner. */
  holder: string;
  checked_in_at: string;
};

/** `GET /api/events/{id}/checkin/`: tickets that can open the door, and how many are in. */
export type CheckInCounts = {
  tickets: number;
  checked_in: number;
};

/** An event's waiting room: customers join, then hold seats once admitted. */
export type QueueSettings = { enabled: boolean; per_minute: number; max_active: number };

/** Your place in an event's queue (`GET/POST /api/events/{id}/queue/`). */
export type QueuePlace = {
  /** `before_onsale`: places are drawn at random at `opens_at`; `ended`: the admission ran out or was used. */
  state: "before_onsale" | "waiting" | "admitted" | "ended";
  position: number | null;
  ahead: number | null;
  admitted: boolean;
  admitted_until: string | null;
  estimated_wait_seconds: number | null;
  opens_at: string | null;
  per_minute: number;
};
