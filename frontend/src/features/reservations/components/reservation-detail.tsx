import { useMutation } from "@tanstack/react-query";
import { useState } from "react";

import { ErrorMessage, StatusMessage } from "../../../components/messages";
import type { Reservation } from "../../../lib/types";
import { EmailPrompt } from "../../auth/components/email-prompt";
import { calendarUrl, resendConfirmation, ticketsPdfUrl } from "../../tickets/api/ticket-documents";
import { TicketList } from "../../tickets/components/ticket-list";
import { ReservationFacts } from "./reservation-facts";

type Props = {
  reservation: Reservation;
  /** Ask for an e-mail address first (the account has none, so no confirmation can be sent). */
  askForEmail?: boolean;
};

/** One reservation: what, when, which seats, and each seat's ticket with its QR code. */
export function ReservationDetail({ reservation, askForEmail = false }: Props) {
  const [promptDismissed, setPromptDismissed] = useState(false);
  const resend = useMutation({ mutationFn: () => resendConfirmation(reservation.id) });
  const tickets = reservation.tickets ?? [];
  const confirmed = reservation.status === "confirmed";

  return (
    <>
      <ReservationFacts reservation={reservation} />
      {confirmed && askForEmail && !promptDismissed && (
        <EmailPrompt onDone={() => setPromptDismissed(true)} onDismiss={() => setPromptDismissed(true)} />
      )}
      {tickets.length > 0 && (
        <ul className="actions">
          <li>
            <a href={ticketsPdfUrl(reservation.id)} download>
              Download tickets (PDF)
            </a>
          </li>
          <li>
            <a href={calendarUrl(reservation.id)} download>
              Add to calendar (.ics)
            </a>
          </li>
          {confirmed && (
            <li>
              <button type="button" disabled={resend.isPending} onClick={() => resend.mutate()}>
                Resend confirmation e-mail
              </button>
            </li>
          )}
        </ul>
      )}
      <StatusMessage>{resend.isSuccess && "We have sent the confirmation with your tickets again."}</StatusMessage>
      <ErrorMessage>{resend.error?.message}</ErrorMessage>
      <h2>Tickets</h2>
      {tickets.length > 0 ? (
        <TicketList tickets={tickets} />
      ) : (
        <p className="hint">This reservation has no tickets.</p>
      )}
    </>
  );
}
