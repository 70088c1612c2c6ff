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
    for step in tie.steps:
        name = t(f"rung.{step.rung}")
        values = step.values or {}
        if step.rung == Rung.CRITERIA:
            compared = t("sep.clause").join(
                f"{c} {t('sep.values').join(v)}" for c, v in values.items())
            if criteria and step.criteria:
                parts.append(t("tie.step.criteria", rung=name, values=compared,
                               criteria=t("sep.values").join(criteria.get(c, c)
                                                             for c in step.criteria)))
            else:
                parts.append(t("tie.step.values", rung=name, values=compared))
        elif not step.is_final:
            parts.append(t("tie.step.values", rung=name, values=t("sep.clause").join(
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
