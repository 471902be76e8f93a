"""The fixtures every app's tests share (users, events with seats, API clients) live in
``reservations.tests.fixtures``; the collection rule for PostgreSQL-only tests too."""

pytest_plugins = ["reservations.tests.fixtures"]
