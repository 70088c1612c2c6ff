"""The meeting in words, for the faces and the minutes alike: the roll and its quorum, the
agenda's matters, the robustness of the decisions."""

from __future__ import annotations

import contextlib
from collections.abc import Iterable
from decimal import Decimal
from typing import TYPE_CHECKING

from review_tui.engine.decisions.wording import problem_text, track_name

if TYPE_CHECKING:  # types only: every command imports this module at start-up
    from review_tui.engine.config import Committee
    from review_tui.engine.decisions.robustness import Outcome, Scenario, TrackRobustness
    from review_tui.engine.meeting.agenda import Matter
    from review_tui.engine.meeting.attendance import Quorum
    from review_tui.i18n import Messages


def quorum_summary(t: Messages, quorum: Quorum) -> str:
    """One line: who is present, and whether they make the quorum (or what is missing)."""
    params = quorum.params()
    if not quorum.required:
        return t("meeting.roll_free", **params)
    return t("meeting.roll_met" if quorum.met else "meeting.roll_short", **params)


def quorum_lines(t: Messages, quorum: Quorum) -> list[str]:
    """The roll, member by member, under the quorum's summary."""
    states = {True: t("meeting.present"), False: t("meeting.absent"),
              None: t("meeting.unrecorded")}
    return [quorum_summary(t, quorum)] + [
        t("meeting.member", id=m.id, name=m.name, state=states[m.present],
          kind=t("meeting.external" if m.external else "meeting.internal"))
        for m in quorum.members]


def outcome_text(t: Messages, outcome: Outcome) -> str:
    """An entry's status, with its tier when it has one: 入選（特優）."""
    status, tier = outcome
    return t(f"status.{status}") + (f"（{tier}）" if tier else "")


def scenario_words(t: Messages, scenarios: Iterable[Scenario]) -> str:
    """「改用序位法、不計 J02」: the ways of counting that change an outcome."""
    return t("sep.list").join(t("robustness.method", method=t(f"method.{s.name}"))
                              if s.kind == "method" else
                              t("robustness.without", reviewer=s.name) for s in scenarios)


def robustness_lines(t: Messages, report: TrackRobustness, committee: Committee) -> list[str]:
    """A track's robustness as the meeting reads it: each fragile entry, what it would
    become and under which ways of counting; the entries dealt to fewer reviewers."""
    track = committee.track(report.track)
    lines = [t("robustness.header", track=track_name(t, track),
               method=t(f"method.{report.method}"))]
    fragile = report.fragile
    if not fragile:
        lines.append("  " + t("robustness.none"))
    else:
        lines.append("  " + t("robustness.fragile"))
        for code in fragile:
            for before, after, scenarios in report.changes_of(code):
                ways = scenario_words(t, scenarios)
                lines.append(t("robustness.line", code=code, before=outcome_text(t, before),
                               after=outcome_text(t, after), scenarios=ways))
        lines.append(t("robustness.stable_entries", count=len(report.ranked) - len(fragile)))
    if report.fewer_reviewers:
        lines.append(t("robustness.fewer", most=report.most_reviewers,
                       codes=t("sep.list").join(t("robustness.fewer_one", code=c, count=n)
                                                for c, n in report.fewer_reviewers.items())))
    return lines


def matter_text(t: Messages, matter: Matter, committee: Committee) -> str:
    """One matter of the agenda in the reader's words: what is open, or how it was decided,
    with the meeting's note."""
    track = ""
    if matter.track:
        with contextlib.suppress(KeyError):
            track = track_name(t, committee.track(matter.track))
    codes = t("sep.list").join(matter.codes)
    decision = matter.decision or {}
    if matter.kind == "cutoff":
        key = ("agenda.cutoff_level" if Decimal(matter.params["gap"]) == 0
               else "agenda.cutoff_in" if matter.params["winner"] else "agenda.cutoff_out")
        text = t(key, track=track, code=codes, mean=matter.params["mean"],
                 other=matter.params["other"], gap=matter.params["gap"],
                 status=t(f"status.{matter.params['status']}"))
    elif matter.kind == "recusal":
        text = t("agenda.recusal", reviewer=matter.reviewer, code=codes,
                 reason=matter.params["reason"])
        if matter.params.get("replaced_by"):
            text += t("agenda.recusal_filled", reviewer=matter.params["replaced_by"])
    elif matter.open and matter.problem is not None:
        text = problem_text(t, matter.problem, committee)
    elif matter.kind == "discrepancy":
        outcome = (t("agenda.dropped", reviewer=decision.get("reviewer"))
                   if decision.get("action") == "drop"
                   else t(f"outcome.{decision.get('action', 'open')}"))
        text = t("agenda.discrepancy_done", code=codes, spread=matter.params.get("spread", ""),
                 outcome=outcome)
    elif matter.kind == "tie":
        key = "agenda.tie_lottery" if decision.get("action") == "lottery" else "agenda.tie_chair"
        text = t(key, track=track, codes=codes, seed=decision.get("seed"),
                 order=" > ".join(decision.get("order", ())))
    else:
        text = matter.id
    return text + (t("agenda.note", note=matter.note) if matter.note else "")


def agenda_lines(t: Messages, matters: list[Matter], committee: Committee) -> list[str]:
    """The agenda, numbered, open matters unticked; the header counts both."""
    if not matters:
        return [t("agenda.empty")]
    open_count = sum(1 for m in matters if m.open)
    return [t("agenda.header", open=open_count, done=len(matters) - open_count)] + [
        t("agenda.line", number=number, mark="[ ]" if m.open else "[x]",
          text=matter_text(t, m, committee)) + f"  ({m.id})"
        for number, m in enumerate(matters, start=1)]


def matter_subject(t: Messages, matter: Matter, committee: Committee) -> str:
    """What a matter is about, without its decision (the minutes' 事項 column)."""
    track = ""
    if matter.track:
        with contextlib.suppress(KeyError):
            track = track_name(t, committee.track(matter.track))
    codes = t("sep.list").join(matter.codes)
    if matter.kind == "discrepancy":
        return t("minutes.discrepancy", code=codes, spread=matter.params.get("spread", ""))
    if matter.kind == "tie":
        return t("minutes.tie", track=track, codes=codes)
    if matter.kind in ("cutoff", "recusal") or matter.problem is None:
        from review_tui.engine.meeting.agenda import Matter

        return matter_text(t, Matter(matter.id, matter.kind, True, matter.track,
                                     matter.codes, matter.reviewer, matter.params), committee)
    return problem_text(t, matter.problem, committee)


def matter_decision(t: Messages, matter: Matter) -> str:
    """How the meeting decided a matter (the minutes' 決定 column); 未決 while open."""
    decision = matter.decision or {}
    if matter.open or not decision:
        return t("minutes.open")
    action = decision.get("action")
    if matter.kind == "discrepancy":
        return (t("agenda.dropped", reviewer=decision.get("reviewer")) if action == "drop"
                else t(f"outcome.{action}"))
    if matter.kind == "tie":
        order = " > ".join(decision.get("order", ()))
        if action == "lottery":
            return t("minutes.drawn", seed=decision.get("seed"), order=order)
        return t("minutes.ordered", order=order)
    if matter.kind == "recusal" and matter.params.get("replaced_by"):
        return t("minutes.replaced", reviewer=matter.params["replaced_by"])
    return t("minutes.discussed")
