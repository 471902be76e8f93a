"""gunicorn settings, read from the working directory: `gunicorn seat_reservation.wsgi`.

Every value can be overridden on the command line or with GUNICORN_CMD_ARGS.
"""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2))
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
keepalive = 30  # behind a load balancer that keeps connections open
timeout = 30
graceful_timeout = 20
accesslog = os.environ.get("GUNICORN_ACCESS_LOG") or None  # e.g. "-" for stdout


def post_fork(server, worker):
    # Name this worker's database connections after it (libpq reads PGAPPNAME): pg_stat_activity and
    # pg_locks then show which worker holds or waits for a row lock.
    os.environ["PGAPPNAME"] = f"seat-reservation-worker-{worker.pid}"
