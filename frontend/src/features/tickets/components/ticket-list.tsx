import { formatDateTime } from "../../../lib/format";
import type { Ticket } from "../../../lib/types";
import { TicketQr } from "./ticket-qr";

function TicketStatus({ ticket }: { ticket: Ticket }) {
  if (ticket.status === "checked_in" && ticket.checked_in_at) {
    return (
      <>
        Checked in at <time dateTime={ticket.checked_in_at}>{formatDateTime(ticket.checked_in_at)}</time>
      </>
    );
  }
  if (ticket.status === "cancelled") return <>Cancelled: this ticket no longer opens the door</>;
  return <>Valid: show this code at the door</>;
}

/** One card a seat: its QR code to show at the door and what has become of the ticket. */
export function TicketList({ tickets }: { tickets: Ticket[] }) {
  return (
    <ul className="ticket-list">
      {tickets.map((ticket) => (
        <li key={ticket.id} className={`ticket ticket--${ticket.status}`}>
          <h3>
            {ticket.seat_number} <span className="ticket__section">{ticket.section}</span>
          </h3>
          <TicketQr code={ticket.code} label={`Ticket for ${ticket.seat_number}, QR code`} />
          <p className="ticket__status">
            <TicketStatus ticket={ticket} />
          </p>
        </li>
      ))}
    </ul>
  );
}
