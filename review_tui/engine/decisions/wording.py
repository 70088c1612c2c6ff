"""A tie in words, for the faces and the documents alike (the translator is passed in)."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from review_tui.engine.config import Committee, Track

if TYPE_CHECKING:
    from review_tui.i18n import Messages
from review_tui.engine.decisions.records import (
    DecisionRow,
    Problem,
    Rung,
    Status,
    TieRecord,
    named_reason_params,
    problem_params,
)

Translate = Callable[..., str]  # a catalogue key and its parameters → text


def criterion_names(track: Track, lang: str) -> dict[str, str]:
    """A track's criteria by id, as the reader names them."""
    return {c.id: c.name if lang == "zh-TW" else c.name_en or c.name for c in track.criteria}


def tie_text(t: Translate, tie: TieRecord, criteria: Mapping[str, str] | None = None) -> str:
    """How a tie was broken, one clause per rung compared, in the reader's language;
    ``criteria`` (:func:`criterion_names`) names the criteria the first rung compared."""
    parts = []
    clause, between = t("sep.clause"), t("sep.values")  # once: a group lists 2,000 entries
    for step in tie.steps:
        name = t(f"rung.{step.rung}")
        values = step.values or {}
        if step.rung == Rung.CRITERIA:
            compared = clause.join(f"{c} {between.join(v)}" for c, v in values.items())
            if criteria and step.criteria:
                parts.append(t("tie.step.criteria", rung=name, values=compared,
                               criteria=between.join(criteria.get(c, c)
                                                     for c in step.criteria)))
            else:
                parts.append(t("tie.step.values", rung=name, values=compared))
        elif not step.is_final:
            parts.append(t("tie.step.values", rung=name, values=clause.join(
                f"{c} {v}" for c, v in values.items())))
        elif not step.decided:
            parts.append(t("tie.step.open", rung=name, codes=t("sep.list").join(step.group)))
        elif step.seed is not None:
            parts.append(t("tie.step.drawn", seed=step.seed, order=" > ".join(step.order or ())))
        else:
            parts.append(t("tie.step.ordered", order=" > ".join(step.order or ())))
    return "\n".join(parts)


def tie_path(t: Translate, row: DecisionRow) -> str:
    """The rungs a tie went through, for a table cell (配分高項目→抽籤); a last rung still
    open says whether it waits for the chair or decides nothing."""
    rungs = []
    for step in row.tie.steps if row.tie else ():
        name = t(f"rung.{step.rung}")
        if step.decided is False:
            name = t("tie.path.pending" if row.status == Status.TIE_PENDING
                     else "tie.path.moot", rung=name)
        rungs.append(name)
    return "→".join(rungs)


def problem_text(t: Messages, problem: Problem, committee: Committee | None = None) -> str:
    """One of the tally's open matters (a discrepancy, an undecided tie …); with the
    committee, a track is named as the reader knows it, not by its id."""
    params = {k: (t("sep.list").join(v) if isinstance(v, tuple) else v)
              for k, v in problem_params(problem).items()}
    if committee is not None and "track" in params:
        with contextlib.suppress(KeyError):
            params["track"] = track_name(t, committee.track(params["track"]))
    return t(f"problem.{problem.kind}", **params)


def track_name(t: Messages, track: Any) -> str:
    """A track's name in the reader's language (a :class:`Track` or anything with its
    ``name`` and ``name_en``)."""
    return str(track.name if t.lang == "zh-TW" else track.name_en or track.name)


class RowWords:
    """A ranking row's tie path, state and reason in the reader's language (agencies by
    name after the unseal, from ``agency_names``), each worded once per distinct value:
    20,000 rows hold a few hundred (a tied group's members share their path; most rows
    share a reason), and wording each row took 7 s at 20,000. The chair's screen and the
    CLI's tally word their rows with it."""

    def __init__(self, t: Messages, agency_names: dict[str, str]) -> None:
        self.t, self.agency_names = t, agency_names
        self._ties: dict[tuple[str, bool], str] = {}
        self._reasons: dict[tuple[str, object], str] = {}
        self._wordings: dict[str, Callable[..., str]] = {}
        self._statuses: dict[str, str] = {}

    def tie(self, row: DecisionRow) -> str:
        if row.tie is None:
            return ""
        key = (row.tie.key, row.status == Status.TIE_PENDING)
        if key not in self._ties:
            self._ties[key] = tie_path(self.t, row)
        return self._ties[key]

    def status(self, row: DecisionRow) -> str:
        worded = self._statuses.get(row.status)
        if worded is None:
            worded = self._statuses[row.status] = self.t(f"status.{row.status}")
        return worded

    def reason(self, row: DecisionRow) -> str:
        try:
            key: tuple[str, object] = (row.reason, tuple(row.reason_params.items()))
            worded = self._reasons.get(key)
        except TypeError:  # a parameter that cannot be a key (a dict)
            key = (row.reason, repr(sorted(row.reason_params.items())))
            worded = self._reasons.get(key)
        if worded is None:
            wording = self._wordings.get(row.reason)
            if wording is None:  # "selected (rank 7)": 20,000 distinct reasons, few wordings
                wording = self._wordings[row.reason] = self.t.formatter(row.reason)
            worded = self._reasons[key] = wording(**named_reason_params(row,
                                                                         self.agency_names))
        return worded
