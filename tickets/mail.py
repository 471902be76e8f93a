"""The e-mail messages, built when they are sent (``services.send_queued_emails``): a text and an
HTML body from the templates in ``templates/tickets/email/``, and for a confirmation the tickets
PDF and the .ics attached."""

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from . import documents, selectors
from .models import OutgoingEmail

SUBJECTS = {
    OutgoingEmail.Kind.CONFIRMATION: "Your tickets for {event}",
    OutgoingEmail.Kind.CANCELLATION: "Reservation cancelled: {event}",
    OutgoingEmail.Kind.PASSWORD_RESET: "Reset your password",
}


def build(email: OutgoingEmail) -> EmailMultiAlternatives:
    """The message for a queued e-mail, to its user's address as it is now."""
    user = email.user
    context = {"user": user, "site_url": settings.SITE_URL}
    attachments = []
    if email.kind == OutgoingEmail.Kind.PASSWORD_RESET:
        uid = urlsafe_base64_encode(force_bytes(user.pk))
        context["reset_url"] = (
            f"{settings.SITE_URL}/reset-password/{uid}/{default_token_generator.make_token(user)}"
        )
        subject = SUBJECTS[email.kind]
    else:
        reservation = selectors.reservation_with_tickets(reservation_id=email.reservation_id, viewer=user)
        context.update(
            reservation=reservation,
            event=reservation.event,
            tickets=reservation.ticket_list,
            reservation_url=documents.reservation_url(reservation),
        )
        subject = SUBJECTS[email.kind].format(event=reservation.event.name)
        if email.kind == OutgoingEmail.Kind.CONFIRMATION:
            attachments = [
                (f"tickets-{reservation.pk}.pdf", documents.tickets_pdf(reservation), "application/pdf"),
                (f"event-{reservation.pk}.ics", documents.calendar_ics(reservation), "text/calendar"),
            ]
    template = f"tickets/email/{email.kind}"
    message = EmailMultiAlternatives(
        subject=subject,
        body=render_to_string(f"{template}.txt", context),
        to=[user.email],
        headers={"Message-ID": email.message_id},
        attachments=attachments,
    )
    message.attach_alternative(render_to_string(f"{template}.html", context), "text/html")
    return message
