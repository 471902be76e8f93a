"""The waiting room's answers to ``reservations.hooks`` (connected in ``WaitingroomConfig.ready``)."""

from django.dispatch import receiver

from reservations import hooks

from . import services


@receiver(hooks.sale_gate)
def _gate(sender, *, user, event_id, **kwargs) -> None:
    services.check_gate(user=user, event_id=event_id)


@receiver(hooks.reservation_confirmed)
def _reserved(sender, *, reservation, **kwargs) -> None:
    services.end_admission(user_id=reservation.user_id, event_id=reservation.event_id)
