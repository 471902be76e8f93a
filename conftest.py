"""The fixtures every app's tests share (users, events with seats, API clients) live in
``reservations.tests.fixtures``, with the collection rule for PostgreSQL-only tests; the browser's
for end-to-end tests in ``reservations.tests.browser``."""

pytest_plugins = ["reservations.tests.fixtures", "reservations.tests.browser"]
