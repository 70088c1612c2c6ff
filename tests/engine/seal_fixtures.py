"""A small committee whose writers leak their names everywhere, ready to seal."""

from __future__ import annotations

import contextlib
import hashlib
import json
from pathlib import Path
from typing import Any

from review_tui.engine.intake.imports import import_manifest, load_entries
from review_tui.engine.intake.roster import import_agencies, import_reviewers
from review_tui.engine.storage.journal import LOCK_FILE
from review_tui.engine.workspace import Workspace, init_workspace
from tests.builders import (
    body_text,
    case_row,
    make_leaky_docx,
    row,
    write_csv,
    write_manifest,
)
from tests.credentials import sign_in_roles

PASSPHRASE = "correct horse battery staple 2026"
AGENCIES = [["高雄市政府民政局", "", "一級機關"],
            ["高雄市鳳山區戶政事務所", "高雄市政府民政局", "二級機關"],
            ["高雄市政府衛生局", "", "一級機關"]]
REVIEWERS = [["J01", "林教授", "", "是"], ["J02", "黃處長", "高雄市政府民政局", "否"],
             ["J03", "吳主任", "高雄市政府衛生局", "否"]]
WRITERS = {"王小明": "科員", "李美華": "課員", "張志強": "護理師", "陳大文": "科員"}


def build_committee(root: Path, intake: Path) -> Workspace:
    """Three accepted entries (one a co-written case) and one rejected, names everywhere;
    the chair and the secretariat have the test credentials and are signed in."""
    workspace = sign_in_roles(init_workspace(root, "coach", year=2026))
    settings = workspace.config_path  # one external member of three: its own quorum rule
    settings.write_text(settings.read_text(encoding="utf-8").replace(
        "min_external = 2", "min_external = 1"), encoding="utf-8")
    workspace = Workspace(workspace.root)
    write_csv(intake / "agencies.csv", ["機關名稱", "上級機關", "組別"], AGENCIES)
    write_csv(intake / "reviewers.csv", ["代號", "姓名", "服務機關", "外聘"], REVIEWERS)
    import_agencies(workspace, intake / "agencies.csv")
    import_reviewers(workspace, intake / "reviewers.csv")
    body = body_text(1200)
    make_leaky_docx(intake / "王小明_心得.docx", title="我在民政局的服務日記", name="王小明",
                    job_title="科員", agency="高雄市政府民政局",
                    paragraphs=["民政局科員 王 小 明", "臺灣高雄市政府民政局的同仁王小明分享。",
                                *body])
    (intake / "case.txt").write_text("\n".join(["戶政所的一天", "撰寫人：李美華、張志強",
                                                *body_text(600)]), encoding="utf-8")
    (intake / "health.txt").write_text("\n".join(["衛生所紀事", *body]), encoding="utf-8")
    (intake / "short.txt").write_text("陳大文的心得太短。", encoding="utf-8")
    write_manifest(intake / "manifest.csv", [
        row(agency="高雄市政府民政局", title="我在民政局的服務日記", file="王小明_心得.docx",
            authors="王小明", job_titles="科員"),
        case_row(agency="高雄市鳳山區戶政事務所", title="戶政所的一天", file="case.txt",
                 authors="李美華、張志強", job_titles="課員、護理師",
                 grades="委任第4職等、委任第5職等", staff_types="編制內、編制內"),
        row(agency="高雄市政府衛生局", title="衛生所紀事", file="health.txt",
            authors="張志強", job_titles="護理師"),
        row(agency="高雄市政府衛生局", title="太短的心得", file="short.txt", authors="陳大文"),
    ])
    import_manifest(workspace, intake / "manifest.csv")
    return workspace


def identity_strings(workspace: Workspace) -> list[str]:
    """Every writer name and job-title byline the intake stored (read before sealing)."""
    names = {a["name"] for e in load_entries(workspace) for a in e["authors"]}
    return sorted(names | {f"{t}{n}" for n, t in WRITERS.items()})


def encodings_of(text: str) -> list[bytes]:
    """The forms a string takes on disk: UTF-8, UTF-16, Big5 and JSON ``\\uXXXX`` escapes."""
    forms = [text.encode("utf-8"), text.encode("utf-16-le"),
             json.dumps(text).strip('"').encode("ascii"),
             json.dumps(text).strip('"').lower().encode("ascii")]
    with contextlib.suppress(UnicodeEncodeError):
        forms.append(text.encode("big5"))
    return forms


def files_holding(root: Path, needles: list[str], *, skip: tuple[str, ...] = ()) -> list[str]:
    """``path: needle`` for every file under ``root`` that holds a needle in any encoding."""
    hits = []
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        if path.name in skip:
            continue
        data = path.read_bytes()
        hits += [f"{path.relative_to(root)}: {needle}" for needle in needles
                 if any(form in data for form in encodings_of(needle))]
    return hits


def tree_digest(root: Path) -> dict[str, str]:
    """Path → SHA-256 of every file under ``root`` (to prove a refusal changed nothing);
    the empty lock file a step leaves is not data."""
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file() and p.name != LOCK_FILE}


def score_everything(workspace: Workspace, *, seed: int = 1, spread: int = 0,
                     attend: bool = True) -> None:
    """Deal (if not yet) and fill and submit every sheet; then, with ``attend``, record
    every member present.

    Each entry gets a base score per criterion from ``seed``; each reviewer adds up to
    ``spread`` percent of the criterion's points, so ``spread=0`` gives no discrepancy.
    """
    import random

    from review_tui.engine.errors import ReviewError
    from review_tui.engine.scoring.deal import deal, load_deal
    from review_tui.engine.scoring.scores import ScoreSheet

    try:
        queues = load_deal(workspace).queues
    except ReviewError:
        queues = deal(workspace, seed=seed).queues
    base = random.Random(seed)
    chosen: dict[tuple[str, str], int] = {}
    for reviewer in sorted(queues):
        sheet = ScoreSheet(workspace, reviewer)
        own = random.Random(f"{seed}:{reviewer}")
        for item in sheet.queue:
            for criterion in sheet.criteria_of(item.code):
                key = (item.code, criterion.id)
                extra = criterion.points * spread // 100
                if key not in chosen:
                    chosen[key] = base.randint(criterion.points * 6 // 10,
                                               criterion.points - extra)
                value = chosen[key] + (own.randint(0, extra) if extra else 0)
                sheet.save(item.code, criterion.id, str(min(value, criterion.points)))
        sheet.submit()
    if attend:
        attend_all(workspace)


def attend_all(workspace: Workspace) -> None:
    """The meeting after the scoring: every member present (a quorum for the commit)."""
    from review_tui.engine.intake.roster import load_reviewers
    from review_tui.engine.meeting.attendance import record_attendance

    record_attendance(workspace, [r["id"] for r in load_reviewers(workspace)])


def scored_committee(tmp_path: Path) -> Workspace:
    """:func:`build_committee` sealed, dealt, and every sheet scored and submitted."""
    from review_tui.engine.sealing.seal import seal

    workspace = build_committee(tmp_path / "ws", tmp_path / "intake")
    seal(workspace, passphrase=PASSPHRASE)
    score_everything(workspace)
    return workspace


def decide(workspace: Workspace) -> None:
    """Deal, score without discrepancies, and commit: ready to unseal."""
    from review_tui.engine.decisions.commit import commit

    score_everything(workspace)
    commit(workspace)


def tie_reading_entries(workspace: Workspace, *, ladder: list[str] | None = None,
                        quota: int | None = None) -> list[str]:
    """Score the committee, then make its reading entries tie on every criterion (every
    reviewer gives each the same marks). With ``ladder`` (the reading track's tie ladder)
    or ``quota`` (its places: 1 makes the tie decide the award), the rules are amended
    first, as the chair would (open the workspace again to see it). Returns the reading
    codes."""
    from review_tui.engine.decisions.tally import tally
    from review_tui.engine.scoring.scores import ScoreSheet, reopen_sheet

    if ladder is not None or quota is not None:
        config = workspace.root / "committee.toml"
        text = config.read_text(encoding="utf-8")
        if ladder is not None:
            old = 'tie_ladder = ["criteria", "first_places", "lottery"]'
            text = text.replace(old, f"tie_ladder = {ladder!r}".replace("'", '"'), 1)
        if quota is not None:
            text = text.replace("quota = 10\n", f"quota = {quota}\n", 1)
        config.write_text(text, encoding="utf-8")
        from review_tui.engine.decisions.frozen_rules import amend_rules

        amend_rules(workspace, "the meeting's rules for this test")
        workspace = Workspace(workspace.root)
    score_everything(workspace)
    reading = [r["code"] for r in tally(workspace, record=False).document["tracks"]["reading"]]
    for reviewer in sorted({r for r in _reviewers(workspace)}):
        sheet = ScoreSheet(workspace, reviewer)
        if not any(item.code in reading for item in sheet.queue):
            continue
        reopen_sheet(workspace, reviewer, "tie")
        for item in sheet.queue:
            if item.code in reading:
                for criterion in sheet.criteria_of(item.code):
                    sheet.save(item.code, criterion.id, str(criterion.points - 5))
        sheet.submit()
    return reading


def _reviewers(workspace: Workspace) -> list[str]:
    from review_tui.engine.scoring.deal import load_deal

    return list(load_deal(workspace).queues)


def fixed_codes(monkeypatch: Any, seed: int) -> None:
    """Draw the seal's codes and pseudonym key from ``seed`` (not the system's random), so
    a test whose scoring depends on which codes sort first (a tie, a cap) sees the same
    committee every run."""
    import random

    from review_tui.engine.sealing import pseudonyms

    drawn = random.Random(seed)
    monkeypatch.setattr(pseudonyms.secrets, "choice", drawn.choice)
    monkeypatch.setattr(pseudonyms.secrets, "token_bytes", drawn.randbytes)
