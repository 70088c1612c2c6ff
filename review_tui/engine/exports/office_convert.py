"""Convert .docx files to .odt and .pdf through one LibreOffice, loading each file once.

Run as a script by a Python that has LibreOffice's ``uno`` bridge (the system's Python with
python3-uno, or LibreOffice's own), not imported: it needs nothing but the standard library
and ``uno``. ``soffice --convert-to`` loads every file once per format; this loads it once
for both, which is most of the cost. Each result is written beside its source, and a line
``odt<TAB>path`` or ``pdf<TAB>path`` is printed as it is done (the export's progress).

    python3 office_convert.py SOFFICE PROFILE_DIR FILE.docx ...
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


def main(office: str, profile: str, sources: list[str]) -> int:
    import uno

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
        for source in sources:
            path = Path(source).resolve()
            document = desktop.loadComponentFromURL(
                uno.systemPathToFileUrl(str(path)), "_blank", 0,
                (_property("Hidden", True), _property("ReadOnly", True)))
            if document is None:
                failed += 1
                continue
            try:
                for kind, name in FILTERS:
                    target = path.with_suffix(f".{kind}")
                    document.storeToURL(uno.systemPathToFileUrl(str(target)),
                                        (_property("FilterName", name),))
                    print(f"{kind}\t{target}", flush=True)
            finally:
                document.close(True)
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
