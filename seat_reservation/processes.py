"""How the Procfile's long-running workers end when SIGTERM or SIGINT (honcho, systemd, a platform
stopping the process, Ctrl+C) asks them to: the loop of the mailer and the waiting room's admitter
(a step, then a pause) ends between steps; the scheduler, whose jobs run in threads of its own, is
stopped by its main thread (``run_until_stopped``)."""

import signal
import time
from collections.abc import Callable

STOP_SIGNALS = {signal.SIGTERM, signal.SIGINT}


def run_periodically(step: Callable[[], bool], interval: float, *, once: bool = False) -> None:
    """Call ``step`` until asked to stop: again at once when it returns True (more is waiting), else
    after ``interval`` seconds. ``once``: one step, and no signal handlers."""
    stopping = False

    def stop(signum, frame) -> None:
        nonlocal stopping
        stopping = True

    if not once:
        for signum in STOP_SIGNALS:
            signal.signal(signum, stop)
    while True:
        more = step()
        if once or stopping:
            return
        if not more:
            for _ in range(int(interval * 10)):
                if stopping:
                    return
                time.sleep(0.1)


def run_until_stopped(start: Callable[[], None], stop: Callable[[], None]) -> None:
    """``start`` work that runs in threads of its own, wait for SIGTERM or SIGINT, then ``stop`` it.

    Python runs signal handlers only in the main thread, and the kernel may hand a process's signal
    to any thread that does not block it: to an idle worker thread, while the main thread sleeps in
    a wait that nothing interrupts (a scheduler with nothing due for hours). So both signals are
    blocked before any thread starts (threads inherit the mask) and the main thread takes them
    itself with ``sigwait``. They are unblocked for ``stop``: a second Ctrl+C interrupts a stop
    that waits too long for a running job."""
    signal.pthread_sigmask(signal.SIG_BLOCK, STOP_SIGNALS)
    try:
        start()
        signal.sigwait(STOP_SIGNALS)
    finally:
        signal.pthread_sigmask(signal.SIG_UNBLOCK, STOP_SIGNALS)
    stop()
