/** The API's resources, named for the rest of the app. Every shape comes from the OpenAPI document
 * the backend serves at /api/schema/, through the types generated from it (`api.gen.ts`, written by
 * `make api-types`; `make test` fails when it is out of date), so the frontend cannot drift from
 * the API. To change a shape, change the backend's schema and regenerate. */
import type { components } from "./api.gen";

type Schemas = components["schemas"];

/** A whole answer's body as the app keeps it: without the `success: true` that every answer
 * carries (the api client turns the others into ApiErrors). */
type Body<T> = Omit<T, "success">;

/** Seat counts and price range, of an event or of one of its sections (may be 2 s old). */
export type SeatCounts = Pick<
  Schemas["SectionOut"],
  "total_seats" | "available_seats" | "locked_seats" | "reserved_seats" | "blocked_seats" | "min_price" | "max_price"
>;

/** An event of the list (`EventOut`) or of its own page, which adds its sections in display order
 * (`EventWithSectionsOut`). Kept one type because the event page starts from the list's entry
 * while its own answer is on the way; `sections` and `stage` are therefore optional here, unavoidably. */
export type EventSummary = Schemas["EventOut"] &
  Partial<Pick<Schemas["EventWithSectionsOut"], "sections" | "stage">>;

/** The field a hall's sections face (a stage, a screen, a pitch): its label and box, in
 * seat-widths (may be negative). A section's `angle` turns its box to face it. */
export type Stage = Schemas["StageOut"];

export type EventSection = Schemas["SectionOut"];

export type SeatStatus = Schemas["SeatOut"]["status"];

/** A wheelchair space or the companion seat beside one (from the venue's layout). */
export type SeatAccessibility = NonNullable<Schemas["SeatOut"]["accessibility"]>;

export type Seat = Schemas["SeatOut"];

/** Not from the API, so not in its schema: the milliseconds to add to this device's clock to get
 * the server's (from `server_time`), kept beside the answer it was measured with. */
type ClockOffset = { clock_offset?: number };

/** The seat grid, whole or (`full: false`) only the seats changed since `since`. */
export type SeatGrid = Body<Schemas["SeatGridOut"]> & ClockOffset;

/** Seats held by best available (`POST /api/events/{id}/holds/` with `count`). */
export type HoldResult = Body<Schemas["HoldOut"]>;

/** One seat held (`POST /api/events/{id}/seats/{seat_id}/lock/`). */
export type LockResult = Body<Schemas["LockOut"]>;

/** Holds turned into a reservation (`POST /api/events/{id}/reserve/`). */
export type ReserveResult = Body<Schemas["ReserveOut"]>;

/** The seats you hold in an event, in every section (`GET /api/events/{id}/holds/`). */
export type HeldSeats = Body<Schemas["MyHoldsOut"]> & ClockOffset;

export type TicketStatus = Schemas["TicketOut"]["status"];

/** One seat's ticket; only its owner and staff see it. */
export type Ticket = Schemas["TicketOut"];

export type Reservation = Schemas["ReservationOut"];

export type User = Schemas["UserOut"];

/** A ticket just let in at the door (`POST /api/events/{id}/checkin/`). */
export type AdmittedTicket = Schemas["AdmittedOut"];

/** `GET /api/events/{id}/checkin/`: tickets that can open the door, and how many are in. */
export type CheckInCounts = Body<Schemas["CheckInCountsOut"]>;

/** An event's waiting room: customers join, then hold seats once admitted. */
export type QueueSettings = Schemas["QueueSettingsOut"];

/** Your place in an event's queue (`GET/POST /api/events/{id}/queue/`). */
export type QueuePlace = Schemas["QueueOut"];
