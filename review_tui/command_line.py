"""One option read from a command line before it is parsed: what must be known before
the parser (and the modules it loads) can say it, the language of its messages or the
credential whose key starts deriving at once."""

from __future__ import annotations


def option_value(argv: list[str], name: str) -> str | None:
    """The value first given to option ``name`` (``--name V`` or ``--name=V``), if any."""
    for position, argument in enumerate(argv):
        if argument == name and position + 1 < len(argv):
            return argv[position + 1]
        if argument.startswith(name + "="):
            return argument.split("=", 1)[1]
    return None
