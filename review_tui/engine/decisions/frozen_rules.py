"""The committee's rules, frozen at seal (SPEC §8, decision integrity).

The seal keeps the exact ``committee.toml`` text it was made under, with the SHA-256 of its
canonical form (``rules.json``). From then on every step uses that copy: a file edited
afterwards is refused, naming each changed key, until the chair either restores it or
amends the rules with a reason (:func:`amend_rules`), which is audited with the diff,
refused after commit, and refused for the rubric once any score exists.

Only the meaning is compared: comments, spacing and key order may change freely. The
``[documents]`` table is presentation (the organiser's name on the letters, the templates),
not a rule: it is always read from the file, so a typo in a heading is fixed without an
amendment.
"""

from __future__ import annotations

import tomllib
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import Any

from review_tui.engine.config import CONFIG_FILE, Committee, parse_config, parse_toml, read_settings
from review_tui.engine.errors import ConfigError, ReviewError
from review_tui.engine.storage.atomic import write_bytes_atomic
from review_tui.engine.storage.audit import canonical, sha256_hex
from review_tui.engine.storage.journal import transaction
from review_tui.engine.storage.store import Store

STORE = "rules"
PRESENTATION = "documents"  # read from the file, never frozen


def _plain(value: Any) -> Any:
    """TOML data as JSON data: dates and times become ISO text."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    return value


def rules_digest(data: dict[str, Any]) -> str:
    """SHA-256 of the settings' canonical JSON (what the seal and the audit log record)."""
    return sha256_hex(canonical(_plain(data)))


def changed_keys(before: Any, after: Any) -> list[tuple[str, Any, Any]]:
    """``(key, before, after)`` for each setting that differs, as dotted keys a person can
    find in the file (``tracks[reading].criteria[0].points``); tables in an array are named
    by their ``id`` when they have one."""
    return _diff(_plain(before), _plain(after), "")


def _diff(before: Any, after: Any, where: str) -> list[tuple[str, Any, Any]]:
    if isinstance(before, dict) and isinstance(after, dict):
        out = []
        for key in sorted(set(before) | set(after), key=lambda k: (k not in before, k)):
            name = f"{where}.{key}" if where else key
            if key not in before:
                out.append((name, None, after[key]))
            elif key not in after:
                out.append((name, before[key], None))
            else:
                out += _diff(before[key], after[key], name)
        return out
    if (isinstance(before, list) and isinstance(after, list) and before and after
            and all(isinstance(x, dict) for x in before + after)):
        labels = [_label(x, i) for i, x in enumerate(before)]
        new_labels = [_label(x, i) for i, x in enumerate(after)]
        if len(set(labels)) == len(labels) and len(set(new_labels)) == len(new_labels):
            old = dict(zip(labels, before, strict=True))
            new = dict(zip(new_labels, after, strict=True))
            out = []
            for label in labels + [x for x in new_labels if x not in old]:
                name = f"{where}[{label}]"
                out += ([(name, old.get(label), new.get(label))]
                        if label not in old or label not in new
                        else _diff(old[label], new[label], name))
            return out
    return [] if before == after else [(where, before, after)]


def _label(table: dict[str, Any], index: int) -> str:
    value = table.get("id")
    return value if isinstance(value, str) and value else str(index)


def frozen_row(store: Store) -> dict[str, Any] | None:
    """The frozen copy (``toml``, ``sha256``, ``since``), or None before the seal."""
    rows = store.table_rows(STORE)
    return rows[0] if rows else None


def frozen_committee(root: Path, store: Store) -> Committee:
    """The committee's rules as the workspace must use them: the frozen copy after the
    seal (refusing a file changed since), the file itself before."""
    path = Path(root) / CONFIG_FILE
    _, data = read_settings(path)
    frozen = frozen_row(store)
    if frozen is None:
        return parse_config(data)
    kept = parse_toml(frozen["toml"], path)
    changes = rule_changes(kept, data)
    if changes:
        raise ConfigError("config.changed_since_seal", path=str(path),
                          keys=", ".join(key for key, _, _ in changes[:8])
                          + (" …" if len(changes) > 8 else ""))
    if PRESENTATION in data:
        kept[PRESENTATION] = data[PRESENTATION]
    else:
        kept.pop(PRESENTATION, None)
    return parse_config(kept)


def rule_changes(kept: dict[str, Any], data: dict[str, Any]) -> list[tuple[str, Any, Any]]:
    """What ``data`` changes in the frozen rules, presentation aside."""
    return [change for change in changed_keys(kept, data)
            if change[0].split(".")[0].split("[")[0] != PRESENTATION]


def freeze_rules(store: Store, text: str, *, since: str,
                 amendment: dict[str, Any] | None = None) -> str:
    """Keep ``text`` as the committee's rules (with the amendment that made them, in the
    same write); returns their digest."""
    digest = rules_digest(tomllib.loads(text))
    with store.write(STORE) as db:
        db.replace_all("_default", [{"toml": text, "sha256": digest, "since": since,
                                     "at": _now()}])
        if amendment is not None:
            db.replace_all("amendments", [*db.rows("amendments"),
                                          dict(amendment, after_sha256=digest)])
    return digest


def rules_text(workspace: Any) -> str:
    """The text of the rules in force: the frozen copy after the seal, else the file (read
    through ``workspace.config``, so a file changed since the seal is refused)."""
    _ = workspace.config
    frozen = frozen_row(workspace.store)
    return str(frozen["toml"]) if frozen else read_settings(workspace.config_path)[0]


def rubric(committee: Committee) -> dict[str, list[tuple[str, int]]]:
    """Track → its criteria and points: what may not change once a score exists."""
    return {t.id: [(c.id, c.points) for c in t.criteria] for t in committee.tracks}


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def file_changes(workspace: Any) -> tuple[dict[str, Any], str, dict[str, Any],
                                          list[tuple[str, Any, Any]]]:
    """The frozen row, the file's text and data, and what the file changes against the
    frozen rules (refused before the seal: nothing is frozen)."""
    frozen = frozen_row(workspace.store)
    if frozen is None:
        raise ReviewError("config.amend_not_sealed")
    path = workspace.config_path
    text, data = read_settings(path)
    return frozen, text, data, rule_changes(parse_toml(frozen["toml"], path), data)


@transaction("config.amend")
def amend_rules(workspace: Any, reason: str) -> list[tuple[str, Any, Any]]:
    """The chair accepts the edited committee.toml as the rules, with a reason.

    Refused before the seal (nothing is frozen: edit the file), after commit, when nothing
    changed, when a track is added, removed or renamed, when a track's grouping (group_by)
    changes (the seal gave each entry its group), and when the rubric changes while any
    score exists (a group's quota, minimum or tiers may change). Audited with every
    changed key, before and after. Returns the changes.
    """
    from review_tui.engine.pipeline import completed_steps
    from review_tui.engine.scoring.deal import scored_pairs

    if not reason.strip():
        raise ReviewError("config.amend_reason")
    done = completed_steps(workspace)
    if "committed" in done:
        raise ReviewError("commit.already")
    frozen, text, data, changes = file_changes(workspace)
    new = parse_config(data)  # the amended rules must be valid as a whole
    kept = parse_config(parse_toml(frozen["toml"], workspace.config_path))
    if not changes:
        raise ReviewError("config.amend_nothing")
    if [(t.id, t.code_prefix) for t in kept.tracks] != [(t.id, t.code_prefix)
                                                       for t in new.tracks]:
        raise ReviewError("config.amend_tracks")
    if rubric(kept) != rubric(new) and scored_pairs(workspace):
        raise ReviewError("config.amend_rubric_scored")
    for before, after in zip(kept.tracks, new.tracks, strict=True):
        if before.group_by != after.group_by:  # each entry's group was fixed at seal
            raise ReviewError("config.amend_group_by", track=after.id)
    shown = [{"key": key, "before": before, "after": after} for key, before, after in changes]
    digest = freeze_rules(workspace.store, text, since="amend", amendment={
        "at": _now(), "reason": reason.strip(), "changes": shown,
        "before_sha256": frozen["sha256"]})
    workspace.audit.append("config.amend", {"reason": reason.strip(), "changes": shown,
                                            "before_sha256": frozen["sha256"],
                                            "rules_sha256": digest})
    return changes


def amendments(store: Store) -> list[dict[str, Any]]:
    """Every amendment since the seal, oldest first (for the exports' notes)."""
    return store.table_rows(STORE, "amendments")


@transaction("config.restore")
def restore_rules(workspace: Any) -> bool:
    """Write the frozen copy back over committee.toml; False when there was nothing to do."""
    frozen = frozen_row(workspace.store)
    if frozen is None:
        raise ReviewError("config.amend_not_sealed")
    path = workspace.config_path
    try:
        if path.read_bytes() == frozen["toml"].encode("utf-8"):
            return False
    except OSError:
        pass
    write_bytes_atomic(path, frozen["toml"].encode("utf-8"))
    workspace.audit.append("config.restore", {"rules_sha256": frozen["sha256"]})
    return True
