"""The loop of the Procfile's long-running workers (the mailer, the waiting room's admitter): a step,
then a pause, until SIGTERM or SIGINT (honcho, systemd, a platform stopping the process) asks it to
end between steps."""

import signal
import time
from collections.abc import Callable


def run_periodically(step: Callable[[], bool], interval: float, *, once: bool = False) -> None:
    """Call ``step`` until asked to stop: again at once when it returns True (more is waiting), else
    after ``interval`` seconds. ``once``: one step, and no signal handlers."""
    stopping = False

    def stop(signum, frame) -> None:
        nonlocal stopping
        stopping = True

    if not once:
        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
    while True:
        more = step()
        if once or stopping:
            return
        if not more:
            for _ in range(int(interval * 10)):
                if stopping:
                    return
                time.sleep(0.1)
