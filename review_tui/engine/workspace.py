"""A committee's workspace folder: its configuration, store, audit log and files."""

from __future__ import annotations

import tomllib
from datetime import date
from functools import cached_property
from pathlib import Path

from review_tui.engine.config import CONFIG_FILE, Committee, parse_config, template_text
from review_tui.engine.errors import ConfigError, ReviewError
from review_tui.engine.storage.atomic import write_bytes_atomic
from review_tui.engine.storage.audit import AuditLog, sha256_hex
from review_tui.engine.storage.store import Store

DEFAULT_WORKSPACE = Path("data")


class Workspace:
    """Everything of one committee lives under ``root``."""

    def __init__(self, root: Path | str = DEFAULT_WORKSPACE) -> None:
        self.root = Path(root)
        self.store = Store(self.root)
        self.audit = AuditLog(self.root)

    @property
    def config_path(self) -> Path:
        return self.root / CONFIG_FILE

    @property
    def submissions_dir(self) -> Path:
        return self.root / "submissions"

    def exists(self) -> bool:
        return self.config_path.exists()

    @cached_property
    def config(self) -> Committee:
        """The committee's rules: after the seal its frozen copy, refusing a committee.toml
        changed since (ConfigError when missing, invalid or changed)."""
        from review_tui.engine.decisions.frozen_rules import frozen_committee

        return frozen_committee(self.root, self.store)


def refuse_inside_workspace(workspace: Workspace, path: Path, what: str) -> None:
    """A key kept in the workspace would travel with it and unseal it: refuse that (a
    passphrase, credential or share file named for a command, or a folder for shares)."""
    root = workspace.root.resolve()
    target = Path(path).resolve()
    if target == root or root in target.parents:
        raise ReviewError("seal.key_inside_workspace", what=what, path=str(path))


def init_workspace(root: Path | str, template: str = "coach", *,
                   year: int | None = None) -> Workspace:
    """Create a committee from a template; refuse to overwrite an existing one."""
    workspace = Workspace(root)
    if workspace.exists():
        raise ConfigError("init.exists", path=str(workspace.config_path))
    text = template_text(template, year=year or date.today().year)
    parse_config(tomllib.loads(text))  # a template must always be valid
    from review_tui.engine.storage.journal import step

    workspace.root.mkdir(parents=True, exist_ok=True)
    with step(workspace.root, "init"):
        write_bytes_atomic(workspace.config_path, text.encode("utf-8"))
        workspace.audit.append("init", {"template": template,
                                        "config_sha256": sha256_hex(text.encode("utf-8"))})
    return workspace
