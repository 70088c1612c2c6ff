"""Close the app when its terminal is gone.

A terminal window closed or an SSH connection dropped normally sends the app SIGHUP,
which ends it. When none comes (a terminal emulator that crashed, a pseudo-terminal
that was not the app's controlling one), Textual's input thread keeps reading a
terminal at its end and spins a processor at 100% (Textual PR #6690, open) until
someone kills it: a meeting-room laptop's battery. The app looks every few seconds and
quits when its input has hung up. Every answer is already on disk (each Enter is
durable), so nothing is lost.
"""

from __future__ import annotations

import select
import sys

CHECK_SECONDS = 2.0
_GONE = getattr(select, "POLLHUP", 0) | getattr(select, "POLLERR", 0) | \
    getattr(select, "POLLNVAL", 0)


def terminal_gone(fd: int | None = None) -> bool:
    """Whether the terminal the app reads its keys from (stdin) has hung up: no key can
    come any more. False where it cannot be told (no ``poll``, no such descriptor)."""
    if not hasattr(select, "poll"):  # Windows: its driver does not spin
        return False
    try:
        fd = sys.stdin.fileno() if fd is None else fd
        poller = select.poll()
        poller.register(fd, select.POLLIN)  # a hang-up is reported whatever is asked
        return any(mask & _GONE for _, mask in poller.poll(0))
    except (OSError, ValueError, AttributeError):  # stdin closed or replaced
        return False
