from django.urls import path, register_converter

from . import accounts, views


class IdConverter:
    """A database id: 1 to 18 digits, so that no path id can overflow a 64-bit integer."""

    regex = "[0-9]{1,18}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value: int) -> str:
        return str(value)


register_converter(IdConverter, "id")

urlpatterns = [
    path("events/", views.event_list, name="event-list"),
    path("events/<id:event_id>/", views.event_detail, name="event-detail"),
    path("events/<id:event_id>/seats/", views.seat_grid, name="seat-grid"),
    path("events/<id:event_id>/seats/<id:seat_id>/", views.seat_detail, name="seat-detail"),
    path("events/<id:event_id>/seats/<id:seat_id>/lock/", views.seat_lock, name="seat-lock"),
    path("events/<id:event_id>/seats/<id:seat_id>/unlock/", views.seat_unlock, name="seat-unlock"),
    path("events/<id:event_id>/reserve/", views.event_reserve, name="event-reserve"),
    path("reservations/", views.reservation_list, name="reservation-list"),
    path("reservations/<id:reservation_id>/", views.reservation_detail, name="reservation-detail"),
    path(
        "reservations/<id:reservation_id>/cancel/",
        views.reservation_cancel,
        name="reservation-cancel",
    ),
    path("auth/me/", accounts.me, name="auth-me"),
    path("auth/register/", accounts.register, name="auth-register"),
    path("auth/login/", accounts.login_view, name="auth-login"),
    path("auth/logout/", accounts.logout_view, name="auth-logout"),
    path("auth/token/", accounts.token, name="auth-token"),
    path("release-expired-locks/", views.release_expired_locks, name="release-expired-locks"),
    path("health/", views.health, name="health"),
    path("schema/", views.schema, name="schema"),
]
