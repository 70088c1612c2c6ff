"""Convert .docx files to .odt and .pdf through one LibreOffice, loading each file once.

Run as a script by a Python that has LibreOffice's ``uno`` bridge (the system's Python with
python3-uno, or LibreOffice's own), not imported: it needs nothing but the standard library
and ``uno``. ``soffice --convert-to`` loads every file once per format; this loads it once
for both, which is most of the cost. Each result is written beside its source, and a line
``odt<TAB>path`` or ``pdf<TAB>path`` is printed as it is done (the export's progress), then
``done<TAB>source`` (``failed<TAB>source`` first when it could not be loaded).

    python3 office_convert.py SOFFICE PROFILE_DIR FILE.docx ...
    python3 office_convert.py SOFFICE PROFILE_DIR -    # one path a line on stdin, until EOF

With ``-`` the office starts at once and waits for files (the export starts it before it
writes them).
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import time
from pathlib import Path

CONNECT_SECONDS = 60
FILTERS = (("odt", "writer8"), ("pdf", "writer_pdf_Export"))


def _property(name: str, value: object) -> object:
    from com.sun.star.beans import PropertyValue  # type: ignore[import-not-found]

    prop = PropertyValue()
    prop.Name, prop.Value = name, value
    return prop


def _connect(pipe: str) -> object:
    import uno  # type: ignore[import-not-found]

    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext(
        "com.sun.star.bridge.UnoUrlResolver", local)
    deadline = time.monotonic() + CONNECT_SECONDS
    while True:
        try:
            return resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
        except Exception:  # NoConnectException until the office listens
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)


def _no_thumbnails(context: object) -> None:
    """Store ODF files without a first-page picture: drawing it lays the document out,
    which was two thirds of storing a one-page .odt (0.20 → 0.05 s); a filed document
    does not need it."""
    provider = context.ServiceManager.createInstanceWithContext(  # type: ignore[attr-defined]
        "com.sun.star.configuration.ConfigurationProvider", context)
    access = provider.createInstanceWithArguments(
        "com.sun.star.configuration.ConfigurationUpdateAccess",
        (_property("nodepath", "/org.openoffice.Office.Common/Save/Document"),))
    access.setPropertyValue("GenerateThumbnail", False)
    access.commitChanges()


def _convert(desktop: object, path: Path) -> bool:
    """Store ``path`` as .odt and .pdf beside it; False when it cannot be loaded."""
    import uno

    document = desktop.loadComponentFromURL(  # type: ignore[attr-defined]
        uno.systemPathToFileUrl(str(path)), "_blank", 0,
        (_property("Hidden", True), _property("ReadOnly", True)))
    if document is None:
        return False
    try:
        for kind, name in FILTERS:
            target = path.with_suffix(f".{kind}")
            document.storeToURL(uno.systemPathToFileUrl(str(target)),
                                (_property("FilterName", name),))
            print(f"{kind}\t{target}", flush=True)
    finally:
        document.close(True)
    return True


def main(office: str, profile: str, sources: list[str]) -> int:
    pipe = f"review_tui_{os.getpid()}"
    process = subprocess.Popen(
        [office, f"-env:UserInstallation={Path(profile).as_uri()}", "--headless",
         "--invisible", "--nologo", "--norestore", "--nodefault",
         f"--accept=pipe,name={pipe};urp;"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    failed = 0
    try:
        context = _connect(pipe)
        desktop = context.ServiceManager.createInstanceWithContext(  # type: ignore[attr-defined]
            "com.sun.star.frame.Desktop", context)
        with contextlib.suppress(Exception):  # an office without the setting makes them
            _no_thumbnails(context)
        paths = (line.rstrip("\n") for line in sys.stdin) if sources == ["-"] else sources
        for source in paths:
            try:
                stored = _convert(desktop, Path(source).resolve())
            except Exception:  # the office refused the file: the next one may still do
                stored = False
            if not stored:
                failed += 1
                print(f"failed\t{source}", flush=True)
            print(f"done\t{source}", flush=True)
        with contextlib.suppress(Exception):  # the office going away drops the bridge
            desktop.terminate()
    finally:
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2], sys.argv[3:]))
