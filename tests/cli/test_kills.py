"""A step killed at an exact system call is finished or undone by the next command.

Each scenario runs its CLI step once unkilled under strace to list the calls where a kill
can cut it, then kills it at a sample of them (the last calls, where the commit point is,
and the rest spread evenly); ``REVIEW_TUI_KILL_ALL=1`` kills at every one. After each kill
``status`` runs (the next command) and the workspace must hold either exactly what it held
before, in which case running the step again must give what the unkilled run gave, or
what the unkilled run left: the same files, audit actions and stage; the audit chain
intact; no temp file, journal or scratch folder anywhere.
"""

from __future__ import annotations

import csv
import io
import os
from pathlib import Path

import pytest

from tests.builders import make_docx, row, write_manifest
from tests.engine.seal_fixtures import (
    PASSPHRASE,
    build_committee,
    score_everything,
    tie_reading_entries,
)
from tests.faults import Campaign, Scenario, review_tui, strace_problem

EVERY = os.environ.get("REVIEW_TUI_KILL_ALL") == "1"
SAMPLE = None if EVERY else 6  # kill points per step in a test run
DISK_SAMPLE = None if EVERY else 4  # ENOSPC points per step

pytestmark = pytest.mark.skipif(strace_problem() is not None,
                                reason=strace_problem() or "")


def _committee(folder: Path) -> None:
    build_committee(folder / "ws", folder / "intake")
    (folder / "passphrase.txt").write_text(PASSPHRASE, encoding="utf-8")


def _sealed(folder: Path) -> None:
    from review_tui.engine.sealing.seal import seal
    from review_tui.engine.workspace import Workspace

    _committee(folder)
    seal(Workspace(folder / "ws"), passphrase=PASSPHRASE)


def _dealt_with_a_paper_sheet(folder: Path, reviewers: int = 1) -> None:
    """Dealt, with a filled paper sheet (``sheet.csv``); with more ``reviewers``, a folder
    ``sheets/`` of theirs (every score 8, with a comment)."""
    from review_tui.engine.scoring.deal import deal
    from review_tui.engine.scoring.paper import template_csv
    from review_tui.engine.workspace import Workspace

    _sealed(folder)
    workspace = Workspace(folder / "ws")
    deal(workspace, seed=7)
    names = sorted(deal(workspace, seed=7, force=True).queues)[:reviewers]
    for reviewer in names:
        lines = list(csv.reader(io.StringIO(template_csv(workspace, reviewer).lstrip("\ufeff"))))
        for line in lines[1:]:
            line[3:-1] = ["8" if cell == "" else cell for cell in line[3:-1]]
            line[-1] = line[-1] or "紙本評分"  # totals under 60 need a comment
        buffer = io.StringIO()
        csv.writer(buffer).writerows(lines)
        if reviewers == 1:
            (folder / "sheet.csv").write_text(buffer.getvalue(), encoding="utf-8")
        else:
            (folder / "sheets").mkdir(exist_ok=True)
            (folder / "sheets" / f"{reviewer}.csv").write_text(buffer.getvalue(),
                                                             encoding="utf-8")


def _scored(folder: Path) -> None:
    from review_tui.engine.workspace import Workspace

    _sealed(folder)
    score_everything(Workspace(folder / "ws"))


def _tallied(folder: Path) -> None:
    from review_tui.engine.decisions.tally import tally
    from review_tui.engine.workspace import Workspace

    _scored(folder)
    tally(Workspace(folder / "ws"))


def _committed(folder: Path) -> None:
    from review_tui.engine.decisions.commit import commit
    from review_tui.engine.workspace import Workspace

    _tallied(folder)
    commit(Workspace(folder / "ws"))


def _unsealed(folder: Path) -> None:
    from review_tui.engine.sealing.unseal import unseal
    from review_tui.engine.workspace import Workspace

    _committed(folder)
    unseal(Workspace(folder / "ws"), passphrase=PASSPHRASE)


def _tied(folder: Path) -> None:
    from review_tui.engine.decisions.tally import tally
    from review_tui.engine.workspace import Workspace

    _sealed(folder)
    codes = tie_reading_entries(Workspace(folder / "ws"), quota=1)
    tally(Workspace(folder / "ws"))
    (folder / "codes.txt").write_text(" ".join(codes), encoding="utf-8")


def _with_a_new_manifest(folder: Path) -> None:
    _committee(folder)
    make_docx(folder / "more" / "n.docx", "新的一篇")
    write_manifest(folder / "more" / "m.csv", [row(title="新的一篇", file="n.docx")])


SCENARIOS = [
    Scenario("import", lambda f: review_tui("import", f / "more" / "m.csv", "--workspace",
                                            f / "ws"), _with_a_new_manifest),
    Scenario("seal", lambda f: review_tui("seal", "--passphrase-file", f / "passphrase.txt",
                                          "--workspace", f / "ws"), _committee),
    Scenario("deal", lambda f: review_tui("deal", "--seed", "7", "--workspace", f / "ws"),
             _sealed),
    Scenario("scores import", lambda f: review_tui("scores", "import", f / "sheet.csv",
                                                   "--workspace", f / "ws"),
             _dealt_with_a_paper_sheet),
    Scenario("scores import of a folder", lambda f: review_tui(
        "scores", "import", f / "sheets", "--workspace", f / "ws"),
        lambda f: _dealt_with_a_paper_sheet(f, reviewers=2)),
    Scenario("tally", lambda f: review_tui("tally", "--workspace", f / "ws"), _scored),
    Scenario("draw", lambda f: review_tui("tally", "draw", "--track", "reading", "--seed", "5",
                                          *(f / "codes.txt").read_text().split(),
                                          "--workspace", f / "ws"), _tied),
    Scenario("commit", lambda f: review_tui("commit", "--workspace", f / "ws"), _tallied),
    Scenario("unseal", lambda f: review_tui("unseal", "--passphrase-file",
                                            f / "passphrase.txt", "--workspace", f / "ws"),
             _committed),
    Scenario("export", lambda f: review_tui("export", "--out", f / "out", "--no-convert",
                                            "--workspace", f / "ws"), _unsealed,
             outside=("out",)),
]


@pytest.fixture(scope="module")
def campaigns(tmp_path_factory) -> dict[str, Campaign]:
    """One prepared workspace and traced reference run per scenario, for both tests."""
    return {}


def _campaign(campaigns: dict[str, Campaign], scenario: Scenario, factory) -> Campaign:
    if scenario.name not in campaigns:
        campaigns[scenario.name] = Campaign(scenario, factory.mktemp("kills"))
    return campaigns[scenario.name]


@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda s: s.name)
def test_a_step_killed_at_any_system_call_is_finished_or_undone(scenario, campaigns,
                                                                 tmp_path_factory):
    campaign = _campaign(campaigns, scenario, tmp_path_factory)
    assert campaign.calls, "the unkilled run made no traced call"
    outcomes = [campaign.kill(call, n) for call, n in campaign.kill_points(SAMPLE)]
    failed = [o for o in outcomes if o.problems]
    assert not failed, "\n".join(f"{o.call}#{o.occurrence} ({o.state}): {o.problems}"
                                 for o in failed)
    assert {o.state for o in outcomes} <= {"before", "after"}


@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda s: s.name)
def test_a_disk_that_fills_up_mid_step_gives_one_line_and_loses_nothing(scenario, campaigns,
                                                                         tmp_path_factory):
    """A write to a file, or every fsync from some point on, fails with ENOSPC."""
    campaign = _campaign(campaigns, scenario, tmp_path_factory)
    outcomes = [campaign.fail(call, n) for call, n in campaign.disk_points(DISK_SAMPLE)]
    failed = [o for o in outcomes if o.problems]
    assert not failed, "\n".join(f"{o.call}#{o.occurrence} ({o.state}): {o.problems}"
                                 for o in failed)
    assert {o.state for o in outcomes} <= {"before", "after", "skipped"}
    said = [o.message for o in outcomes if o.message]
    assert said and all("No space left on device" in m for m in said), said


def main() -> None:
    """Kill every scenario at every traced call (``--disk``: make every file write and
    fsync fail with ENOSPC instead); print one row per scenario."""
    import sys
    import tempfile
    import time

    problem = strace_problem()
    if problem:
        sys.exit(problem)
    disk = "--disk" in sys.argv
    print(f"| step | traced calls | {'ENOSPC at' if disk else 'kills'} | undone | finished "
          "| failed | seconds |")
    print("|---|---|---|---|---|---|---|")
    totals = [0, 0, 0, 0]
    for scenario in SCENARIOS:
        started = time.monotonic()
        with tempfile.TemporaryDirectory() as folder:
            campaign = Campaign(scenario, Path(folder))
            if disk:
                outcomes = [campaign.fail(c, n) for c, n in campaign.disk_points(None)]
                outcomes = [o for o in outcomes if o.state != "skipped"]
            else:
                outcomes = [campaign.kill(c, n) for c, n in campaign.kill_points(None)]
        states = [o.state for o in outcomes]
        failed = [o for o in outcomes if o.problems]
        row_ = [len(outcomes), states.count("before"), states.count("after"), len(failed)]
        totals = [a + b for a, b in zip(totals, row_, strict=True)]
        print(f"| {scenario.name} | {len(campaign.calls)} | {row_[0]} | {row_[1]} | {row_[2]} "
              f"| {row_[3]} | {time.monotonic() - started:.0f} |", flush=True)
        for outcome in failed:
            print(f"  {outcome.call}#{outcome.occurrence}: {outcome.problems}", file=sys.stderr)
    print(f"| all | | {totals[0]} | {totals[1]} | {totals[2]} | {totals[3]} | |")


if __name__ == "__main__":
    main()
