"""The command-line face: ``run`` one command line (see :mod:`.main`); each command group in a
module of its own (intake, status, seal, score, tally, export, config, roles)."""

from __future__ import annotations

from .main import build_parser, run

__all__ = ["build_parser", "run"]
