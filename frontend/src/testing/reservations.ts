import type { Reservation } from "../lib/types";

const code = (seed: string) => seed.repeat(40).slice(0, 40);

/** A confirmed reservation of three seats whose tickets are valid, used and cancelled. */
export const reservationWithTickets: Reservation = {
  id: 7,
  event_id: 1,
  event_name: "Gala",
  event_date: "2030-01-01T19:00:00+00:00",
  seats: ["S-A12", "S-A13", "S-A14"],
  status: "confirmed",
  total_price: "255.00",
  currency: "EUR",
  created_at: "2029-12-01T10:00:00+00:00",
  cancelled_at: null,
  tickets: [
    { id: 1, seat_number: "S-A12", section: "Stalls", code: code("AB"), status: "valid", checked_in_at: null },
    {
      id: 2,
      seat_number: "S-A13",
      section: "Stalls",
      code: code("CD"),
      status: "checked_in",
      checked_in_at: "2030-01-01T18:40:00+00:00",
    },
    { id: 3, seat_number: "S-A14", section: "Stalls", code: code("EF"), status: "cancelled", checked_in_at: null },
  ],
};
