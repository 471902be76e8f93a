"""gunicorn settings, read from the working directory: `gunicorn seat_reservation.wsgi`.

Every value can be overridden on the command line or with GUNICORN_CMD_ARGS.
"""

import multiprocessing
import os

# GUNICORN_BIND, or every address on $PORT (set by honcho and most platforms that read a Procfile).
bind = os.environ.get("GUNICORN_BIND") or f"0.0.0.0:{os.environ.get('PORT', '8000')}"
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2))
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
keepalive = 30  # behind a load balancer that keeps connections open
timeout = 30
graceful_timeout = 20
# The longest request line gunicorn reads (its maximum; the default is 4094). Every query parameter
# has a maximum length in the API's schema far below this, so an over-long value reaches the app and
# gets its JSON 400 `invalid_request`; only a request line over 8190 bytes is refused by gunicorn
# itself, with its plain-text 414, before any app code runs (README, "Limits").
limit_request_line = 8190
accesslog = os.environ.get("GUNICORN_ACCESS_LOG") or None  # e.g. "-" for stdout


def post_fork(server, worker):
    # Name this worker's database connections after it (libpq reads PGAPPNAME): pg_stat_activity and
    # pg_locks then show which worker holds or waits for a row lock.
    os.environ["PGAPPNAME"] = f"seat-reservation-worker-{worker.pid}"
