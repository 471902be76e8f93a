from django.apps import AppConfig


class WaitingroomConfig(AppConfig):
    """The on-sale's gate and its fair waiting room. Follows ``reservations`` through its hooks
    (``reservations.hooks.sale_gate``, ``reservation_confirmed``); never the other way round."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "waitingroom"
    verbose_name = "On-sales and waiting rooms"

    def ready(self) -> None:
        from . import receivers  # noqa: F401 - connects the hooks
