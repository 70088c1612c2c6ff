"""ODF and PDF copies of the exported .docx files, where LibreOffice is installed.

Through the UNO bridge where a Python has it (:mod:`.office_convert`: each file loaded once
for both formats), one office per processor (at most two), started before the documents
are written (:func:`start_offices`) so that their start-up, a second and a half, overlaps
the export's own work; each office takes the next file as it is free, largest first. Where
no Python has the bridge, or it failed on some files, ``soffice --convert-to`` converts the
rest (one run per format).
"""

from __future__ import annotations

import contextlib
import functools
import os
import queue
import shutil
import subprocess
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from review_tui.engine.config import FormatRules
from review_tui.engine.model import Progress

if TYPE_CHECKING:
    from review_tui.engine.exports import ExportReport

CONVERT_SECONDS = 600
_SCRIPT = Path(__file__).with_name("office_convert.py")


def font_substitute(font: str, aliases: tuple[str, ...] = ()) -> str | None:
    """The family fontconfig gives LibreOffice for ``font`` when ``font`` (or an alias) is
    not installed; None when it is, or when fontconfig cannot say."""
    matcher = shutil.which("fc-match")
    if matcher is None:
        return None
    try:
        found = subprocess.run([matcher, "-f", "%{family}", f"{font}:lang=zh-tw"],
                               capture_output=True,
                               text=True, timeout=20, check=False).stdout.strip()
    except (OSError, subprocess.TimeoutExpired):
        return None
    families = [f.strip() for f in found.split(",") if f.strip()]
    if not families or any(name in families for name in (font, *aliases)):
        return None
    return families[0]


def find_office() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


@functools.cache
def uno_python(office: str) -> str | None:
    """A Python that can ``import uno`` (LibreOffice's own, or the system's with
    python3-uno); None when there is none."""
    program = Path(office).resolve().parent
    candidates = [program / "python", program / "python.exe", Path("/usr/bin/python3"),
                  *(Path(p) for p in (shutil.which("python3"),) if p)]
    for candidate in candidates:
        if not candidate.is_file():
            continue
        try:
            probe = subprocess.run([str(candidate), "-c", "import uno"], capture_output=True,
                                   timeout=20, check=False)
        except (OSError, subprocess.TimeoutExpired):
            continue
        if probe.returncode == 0:
            return str(candidate)
    return None


class Offices:
    """Offices behind the UNO bridge, waiting for files: started by :func:`start_offices`,
    fed by :meth:`convert`, ended by :meth:`close` (which an export that fails before
    converting calls too: it leaves no office behind)."""

    def __init__(self, python: str, office: str, count: int) -> None:
        self._profiles = tempfile.TemporaryDirectory()
        self._processes: list[subprocess.Popen[str]] = []
        for number in range(count):
            try:
                self._processes.append(subprocess.Popen(
                    [python, str(_SCRIPT), office, str(Path(self.profiles) / str(number)),
                     "-"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                    stderr=subprocess.DEVNULL, text=True))
            except OSError:
                continue

    def convert(self, sources: list[Path], progress: Callable[[int], None]) -> None:
        """Each file stored as .odt and .pdf beside it, by whichever office is free; what
        is made is counted by ``progress`` as it appears. The caller checks the results
        (a file an office could not take is left unconverted)."""
        todo: queue.Queue[Path | None] = queue.Queue()
        for path in sorted(sources, key=lambda p: p.stat().st_size, reverse=True):
            if "\n" not in str(path):  # one path a line to the office
                todo.put(path)
        done = [0]
        feeders = [threading.Thread(target=_feed, args=(process, todo, done), daemon=True)
                   for process in self._processes]
        for feeder in feeders:
            todo.put(None)  # one end mark per office
            feeder.start()
        deadline = time.monotonic() + CONVERT_SECONDS
        while any(feeder.is_alive() for feeder in feeders):
            if time.monotonic() > deadline:
                self._kill()
                break
            progress(done[0])
            time.sleep(0.1)
        progress(done[0])

    @property
    def profiles(self) -> str:
        """The folder of the offices' profiles (removed by :meth:`close`)."""
        return self._profiles.name

    @property
    def running(self) -> int:
        """How many of the offices' processes have not ended."""
        return sum(1 for process in self._processes if process.poll() is None)

    def close(self) -> None:
        """End every office (after its current file) and remove their profiles."""
        for process in self._processes:
            if process.stdin is not None and not process.stdin.closed:
                with contextlib.suppress(OSError):  # it has gone already
                    process.stdin.close()
        for process in self._processes:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        self._profiles.cleanup()

    def _kill(self) -> None:
        for process in self._processes:
            process.kill()


def _feed(process: subprocess.Popen[str], todo: queue.Queue[Path | None],
          done: list[int]) -> None:
    """Give ``process`` one file at a time until the end mark, counting what it stores;
    stops when the process has gone (what it took is left for the command line)."""
    assert process.stdin is not None and process.stdout is not None
    for path in iter(todo.get, None):
        try:
            process.stdin.write(f"{path}\n")
            process.stdin.flush()
        except (OSError, ValueError):  # the office went away
            return
        for line in process.stdout:
            kind = line.split("\t", 1)[0]
            if kind == "done":
                break
            if kind in ("odt", "pdf"):
                done[0] += 1
        else:
            return


def start_offices() -> Offices | None:
    """Offices started now for files written later; None without LibreOffice or a Python
    with its bridge (then :func:`convert_documents` uses the command line)."""
    office = find_office()
    python = uno_python(office) if office else None
    if office is None or python is None:
        return None
    return Offices(python, office, max(1, min(2, os.cpu_count() or 1)))


def convert_documents(report: ExportReport, files: list[Path], rules: FormatRules,
                      progress: Progress, scratch: Path,
                      offices: Offices | None = None) -> list[Path]:
    """ODF and PDF copies of every .docx in ``files``, where LibreOffice is installed,
    through ``offices`` if started (else offices started now); the font the PDFs show
    in place of the format's, if it is missing, is put in ``report``."""
    office = find_office()
    if office is None:
        report.converter = "missing"
        return []
    sources = [p for p in files if p.suffix == ".docx"]
    report.font_substitute = font_substitute(rules.font, rules.font_aliases)
    total = 2 * len(sources)

    def results() -> list[Path]:
        return [p.with_suffix(f".{kind}") for p in sources for kind in ("odt", "pdf")
                if p.with_suffix(f".{kind}").exists()]

    started_here = offices is None
    offices = offices or start_offices()
    if offices is not None:
        try:
            offices.convert(sources, lambda done: progress("convert", done, total))
        finally:
            if started_here:
                offices.close()
    missing = [p for p in sources if not (p.with_suffix(".odt").exists()
                                          and p.with_suffix(".pdf").exists())]
    if missing:  # no bridge, or it failed on some: the command line converts the rest
        for path in missing:
            for kind in ("odt", "pdf"):
                path.with_suffix(f".{kind}").unlink(missing_ok=True)
        already = len(results())
        _convert_on_command_line(office, missing, scratch,
                                 lambda done: progress("convert", already + done, total))
    converted = results()
    if len(converted) < total:
        report.converter = "failed"
    return converted


def _offset(progress: Callable[[int], None], before: int, done: int) -> None:
    progress(before + done)


def _run_office(office: str, profile: str, kind: str, batch: list[Path], out: Path,
                progress: Callable[[int], None]) -> int | None:
    """Convert ``batch`` to ``kind`` in ``out`` with one LibreOffice run, saying how many
    are done as they appear; None when LibreOffice could not run or ran out of time."""
    try:
        process = subprocess.Popen(
            [office, f"-env:UserInstallation=file://{profile}", "--headless",
             "--convert-to", kind, "--outdir", str(out), *map(str, batch)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    except OSError:
        return None
    deadline = time.monotonic() + CONVERT_SECONDS
    names = {f"{p.stem}.{kind}" for p in batch}
    while process.poll() is None:
        if time.monotonic() > deadline:
            process.kill()
            process.wait()
            return None
        progress(sum(1 for n in names if (out / n).exists()))
        time.sleep(0.2)
    done = sum(1 for n in names if (out / n).exists())
    progress(done)
    return done


def _convert_on_command_line(office: str, sources: list[Path], scratch: Path,
                             progress: Callable[[int], None]) -> None:
    """``soffice --convert-to``, one run per format for every file (each start costs a
    second), written to a folder of its own and moved beside its source; files sharing a
    name (in different folders) go in one run per folder instead. Stops when LibreOffice
    cannot run or runs out of time; the caller counts what was made."""
    batches = ([sources] if len({p.stem for p in sources}) == len(sources)
               else [[p for p in sources if p.parent == f] for f in sorted({p.parent
                                                                           for p in sources})])
    moved = 0
    out = scratch / ".converted"  # in the step's scratch folder: gone with it, even if killed
    out.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory() as profile:
        for kind in ("odt", "pdf"):
            for batch in batches:
                made = _run_office(office, profile, kind, batch, out,
                                   functools.partial(_offset, progress, moved))
                if made is None:
                    return
                for source in batch:
                    result = out / f"{source.stem}.{kind}"
                    if result.exists():
                        shutil.move(str(result), source.with_suffix(f".{kind}"))
                        moved += 1
