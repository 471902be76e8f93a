"""The waiting room's API (../shared/API.md, "On-sale and waiting room"): join an event's queue and
follow one's place. Mounted by ``reservations.api``."""

from dataclasses import asdict

from django.http import HttpRequest
from django.views.decorators.cache import never_cache
from ninja import Router

from reservations.auth import CUSTOMER
from reservations.exceptions import CsrfFailed, EventClosed, NotFound
from reservations.schemas import answers
from reservations.views import Id

from . import services
from .schemas import QueueAnswerOut

router = Router(tags=["waiting room"])
router.add_decorator(never_cache, mode="view")  # one customer's place: no cache keeps it


@router.post(
    "/events/{id:event_id}/queue/",
    **answers({200: QueueAnswerOut}, CsrfFailed, NotFound, EventClosed, access=CUSTOMER),
    operation_id="joinQueue",
    summary="Join the event's waiting room (joining again keeps your place)",
)
def join_queue(request: HttpRequest, event_id: Id):
    """Everyone who joins before the on-sale gets a place in random order when it opens; later
    arrivals queue behind them in order of arrival. 404 `not_found` for an event without a queue."""
    return {"queue": asdict(services.join_queue(user=request.auth, event_id=event_id))}


@router.get(
    "/events/{id:event_id}/queue/",
    **answers({200: QueueAnswerOut}, NotFound, access=CUSTOMER),
    operation_id="getQueuePlace",
    summary="Your place in the event's waiting room (null if you are not in it)",
)
def queue_place(request: HttpRequest, event_id: Id):
    status = services.queue_status(user=request.auth, event_id=event_id)
    return {"queue": asdict(status) if status else None}
