from django.apps import AppConfig


class ReservationsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "reservations"
    verbose_name = "Seat reservations"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_login_failed

        from . import checks, ratelimit  # noqa: F401 - checks registers the deploy checks

        user_login_failed.connect(
            ratelimit.count_failed_login, dispatch_uid="reservations.count_failed_login"
        )
