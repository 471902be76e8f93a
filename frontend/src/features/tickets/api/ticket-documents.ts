import { api } from "../../../lib/api-client";

/** The reservation's tickets as a PDF, one a page with its QR code (owner or staff). */
export const ticketsPdfUrl = (reservationId: number) => `/api/reservations/${reservationId}/tickets.pdf`;

/** The event as an iCalendar file with one VEVENT (owner or staff). */
export const calendarUrl = (reservationId: number) => `/api/reservations/${reservationId}/calendar.ics`;

/** Queue the confirmation e-mail with the tickets again (202; rate limited per account). */
export async function resendConfirmation(reservationId: number): Promise<void> {
  await api.post(`/api/reservations/${reservationId}/resend/`);
}
