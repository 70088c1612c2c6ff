"""The app with a 10 ms timer on its UI thread that writes each tick's time, so that a run
shows how long the UI thread could not have answered a key (the gaps between ticks).

``python -m benchmarks.ui_ticks FILE ARGS…`` runs ``review-tui ARGS…`` so; :mod:`.pty_app`
runs it on a pseudo-terminal and reads FILE.
"""

from __future__ import annotations

import sys
import time

TICK_SECONDS = 0.01


def main() -> None:
    from review_tui.__main__ import main as review_tui
    from review_tui.tui.app import ReviewApp

    ticks = open(sys.argv[1], "w", encoding="ascii")  # noqa: SIM115 - for the app's life
    started = ReviewApp.on_mount

    def on_mount(app: ReviewApp) -> None:
        def tick() -> None:
            ticks.write(f"{time.perf_counter():.4f}\n")
            ticks.flush()

        app.set_interval(TICK_SECONDS, tick)
        started(app)

    ReviewApp.on_mount = on_mount  # type: ignore[method-assign]
    sys.exit(review_tui(sys.argv[2:]))


if __name__ == "__main__":
    main()
