"""The admin: tickets on a reservation's page, "Resend confirmation", the door's counts, the queue."""

import pytest
from django.urls import reverse

from tickets import services as ticket_services
from tickets.models import OutgoingEmail, Ticket

pytestmark = pytest.mark.django_db


def test_a_reservations_page_lists_its_tickets_with_status_and_check_in(
    admin_client_, staff, alice, event, seat_ids, reserve
):
    reservation = reserve(alice, event, seat_ids[0], seat_ids[1])
    ticket = Ticket.objects.order_by("pk").first()
    ticket_services.check_in(staff=staff, event_id=event.pk, code=ticket.code)
    page = admin_client_.get(reverse("admin:reservations_reservation_change", args=[reservation.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert html.count(ticket.code[:12]) == 1 and "Checked in" in html and "Valid" in html


def test_resend_confirmation_queues_one_e_mail_per_reservation_and_says_why_not(
    admin_client_, make_user, alice, event, seat_ids, reserve
):
    with_address = reserve(make_user("hana", email="hana@example.com"), event, seat_ids[0])
    without = reserve(alice, event, seat_ids[1])
    OutgoingEmail.objects.all().delete()
    url = reverse("admin:reservations_reservation_changelist")
    action = {"action": "resend_confirmation", "_selected_action": [with_address.pk, without.pk]}
    page = admin_client_.post(url, action, follow=True).content.decode()
    assert "Queued 1 confirmation e-mail(s)." in page
    assert f"#{without.pk}: The account has no e-mail address to send to." in page
    assert list(OutgoingEmail.objects.values_list("reservation_id", "kind")) == [
        (with_address.pk, "confirmation")
    ]


def test_the_event_page_shows_the_door_and_the_queue_page_renders(
    admin_client_, staff, alice, event, seat_ids, reserve
):
    reserve(alice, event, seat_ids[0], seat_ids[1])
    ticket_services.check_in(staff=staff, event_id=event.pk, code=Ticket.objects.first().code)
    page = admin_client_.get(reverse("admin:reservations_event_change", args=[event.pk])).content.decode()
    assert "1 of 2 tickets checked in" in page and f'href="/checkin/{event.pk}"' in page
    assert admin_client_.get(reverse("admin:tickets_outgoingemail_changelist")).status_code == 200
