"""Anonymous entry codes and keyed pseudonyms for agencies and people.

Codes (``R-7KQ3``) are drawn at random, so they say nothing of an entry's order, agency or
title, and use letters that cannot be confused when read aloud (no 0/O, 1/I/L). Pseudonyms
(``A07``, ``P012``) are numbered in the order of a keyed hash, so they too follow neither
names nor import order; the key lives in the vault, so nobody can test a guess without it.
"""

from __future__ import annotations

import hmac
import secrets
from collections.abc import Iterable

from review_tui.engine.intake.typed_values import normalise

CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 4
PSEUDONYM_KEY_BYTES = 32


def new_codes(prefixes: Iterable[str]) -> list[str]:
    """One fresh random code per prefix given (``R``, ``C`` …), all distinct."""
    prefixes = list(prefixes)
    length = CODE_LENGTH
    while len(CODE_ALPHABET) ** length < 20 * max(len(prefixes), 1):
        length += 1  # keep the space sparse so drawing stays quick and codes hard to guess
    codes: list[str] = []
    taken: set[str] = set()
    for prefix in prefixes:
        while True:
            code = f"{prefix}-" + "".join(secrets.choice(CODE_ALPHABET) for _ in range(length))
            if code not in taken:
                taken.add(code)
                codes.append(code)
                break
    return codes


def new_pseudonym_key() -> bytes:
    return secrets.token_bytes(PSEUDONYM_KEY_BYTES)


def keyed_pseudonyms(key: bytes, kind: str, identities: Iterable[str], prefix: str,
                     width: int) -> dict[str, str]:
    """Identity → pseudonym (``A01`` …), numbered in keyed-hash order."""
    unique = set(identities)
    ordered = sorted(unique, key=lambda ident: hmac.digest(key, f"{kind}\0{ident}".encode(),
                                                             "sha256"))
    width = max(width, len(str(len(ordered))))
    return {ident: f"{prefix}{number:0{width}d}" for number, ident in enumerate(ordered, 1)}


def person_identity(name: str, top_agency: str) -> str:
    """Who a writer is for the once-per-person rule: the same name in the same top agency."""
    return f"{normalise(name).replace(' ', '')}\0{normalise(top_agency)}"
