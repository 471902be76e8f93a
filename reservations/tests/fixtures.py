"""Fixtures shared by every app's tests (loaded by the root conftest.py): users, events with seats,
API clients."""

from collections.abc import Callable
from datetime import timedelta
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db import connection
from django.utils import timezone

from reservations import auth, services
from reservations.models import Event
from reservations.tests.helpers import ApiClient

PASSWORD = "correct-horse-battery-staple"


def pytest_collection_modifyitems(config, items):
    """Tests marked ``postgres`` need real row locks: deselect them when running on SQLite."""
    if connection.vendor == "postgresql":
        return
    selected = [item for item in items if "postgres" not in item.keywords]
    deselected = [item for item in items if "postgres" in item.keywords]
    if deselected:
        config.hook.pytest_deselected(items=deselected)
        items[:] = selected


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with an empty cache (cached grids, rate-limit counters)."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def make_user(db) -> Callable:
    def make(username: str, **fields):
        return get_user_model().objects.create_user(username=username, password=PASSWORD, **fields)

    return make


@pytest.fixture
def alice(make_user):
    return make_user("alice")


@pytest.fixture
def bob(make_user):
    return make_user("bob")


@pytest.fixture
def staff(make_user):
    return make_user("staffer", is_staff=True)


@pytest.fixture
def admin_client_(staff):
    """A browser signed in to the admin as a superuser."""
    from django.test import Client

    staff.is_superuser = True
    staff.save()
    client = Client()
    client.force_login(staff)
    return client


@pytest.fixture
def make_event(db) -> Callable:
    def make(
        seats: int = 20,
        *,
        name: str = "The Matrix - Special Screening",
        starts_in: timedelta = timedelta(days=7),
        price: Decimal = Decimal("100.00"),
        seats_per_row: int = 10,
    ) -> Event:
        return services.create_event(
            name=name,
            location="Central Cinema",
            event_date=timezone.now() + starts_in,
            total_seats=seats,
            seats_per_row=seats_per_row,
            seat_price=price,
        )

    return make


@pytest.fixture
def event(make_event) -> Event:
    return make_event()


@pytest.fixture
def seat_ids(event) -> list[int]:
    return list(event.seats.order_by("pk").values_list("pk", flat=True))


@pytest.fixture
def anon() -> ApiClient:
    return ApiClient()


@pytest.fixture
def api_for() -> Callable[..., ApiClient]:
    """A client authenticated with a fresh Bearer token of ``user``."""

    def make(user) -> ApiClient:
        return ApiClient(token=auth.issue_token(user=user))

    return make


@pytest.fixture
def alice_api(api_for, alice) -> ApiClient:
    return api_for(alice)


@pytest.fixture
def bob_api(api_for, bob) -> ApiClient:
    return api_for(bob)


@pytest.fixture
def staff_api(api_for, staff) -> ApiClient:
    return api_for(staff)
