"""Build the claim file: front matter, bordereau, every exhibit stamped, bookmarked, in volumes.

Two passes. First every exhibit is prepared one at a time (opened, counted, converted to PDF
if it is an image or an e-mail) and the volumes and the page map are planned; then each
volume is written with pikepdf: pages appended (qpdf copies the stream data only when the
volume is saved, so the sources stay open until then and their bytes are never all in
memory), the bordereau drawn with its page numbers known, every page stamped, the outline,
the bordereau links and the metadata added, saved to a temporary file and renamed into place.
The same inputs give the same bytes: no clock, no random /ID.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pikepdf

from app.documents.claimfile import bordereau
from app.documents.claimfile.errors import ClaimFileError, one_or_all, unexpected
from app.documents.claimfile.exhibits import prepare_exhibit
from app.documents.claimfile.identity import fingerprint
from app.documents.claimfile.model import (
    BuildOptions,
    ClaimFileInfo,
    ClaimFileResult,
    Exhibit,
    FrontPart,
    Progress,
)
from app.documents.claimfile.parts import PreparedExhibit
from app.documents.claimfile.plan import Plan, number_pages, size_fr, split
from app.documents.claimfile.volume import VolumeWriter, WriteContext

SIZE_ATTEMPTS = 3  # re-plans when a volume came out larger than estimated

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class MeasuredFront:
    part: FrontPart
    pages: int
    size: int


class Tracker:
    """Reports progress(done, total) monotonically; units are exhibits × 3 (+ front parts)."""

    def __init__(self, callback: Progress | None, total: int) -> None:
        self.callback, self.total, self.done = callback, max(total, 1), 0

    def reach(self, done: float) -> None:
        done = min(int(done), self.total)
        if done > self.done:
            self.done = done
            if self.callback:
                self.callback(done, self.total)


def build_claim_file(
    front: Sequence[FrontPart],
    exhibits: Sequence[Exhibit],
    destination: Path,
    info: ClaimFileInfo,
    options: BuildOptions | None = None,
    progress: Progress | None = None,
) -> ClaimFileResult:
    """Write the claim file at `destination` (or `<stem>-tome-<k>.pdf` next to it).

    Raises ClaimFileError naming the exhibit or part that cannot be used; then nothing new is
    left at the destination.
    """
    options = options or BuildOptions()
    _check_numbers(exhibits)
    tracker = Tracker(progress, 3 * len(exhibits) + len(front) + 1)
    with tempfile.TemporaryDirectory(prefix="claimfile-") as scratch:
        fronts = [_measure_front(part) for part in front]
        prepared = _prepare_all(exhibits, Path(scratch), options, tracker)
        hashes = tuple(exhibit.sha256 or _sha256(exhibit.path) for exhibit in exhibits)
        inputs = _fingerprint(fronts, exhibits, hashes, info, options)
        plan, written = _write_within_size(fronts, prepared, hashes, inputs, destination,
                                           info, options, tracker)
    targets = _volume_paths(destination, len(written))
    for temporary, target in reversed(list(zip(written, targets, strict=True))):
        os.replace(temporary, target)  # volume 1, the entry point, appears last
    tracker.reach(tracker.total)
    return ClaimFileResult(tuple(targets), plan.total_pages, plan.placements,
                           (plan.bordereau_first,
                            plan.bordereau_first + plan.bordereau_pages - 1))


def _prepare_all(exhibits: Sequence[Exhibit], scratch: Path, options: BuildOptions,
                 tracker: Tracker) -> list[PreparedExhibit]:
    """Every exhibit prepared; all those that cannot be, reported together, each named."""
    prepared, failures = [], []
    for index, exhibit in enumerate(exhibits, start=1):
        try:
            prepared.append(prepare_exhibit(exhibit, scratch,
                                            downsample_dpi=options.downsample_dpi))
        except ClaimFileError as error:
            failures.append(error)
        except Exception:
            log.exception("exhibit %s could not be prepared", exhibit.number)
            failures.append(unexpected(exhibit.number, exhibit.title))
        tracker.reach(index)
    if failures:
        raise one_or_all(failures)
    return prepared


def _check_numbers(exhibits: Sequence[Exhibit]) -> None:
    numbers = [exhibit.number for exhibit in exhibits]
    if len(set(numbers)) != len(numbers):
        raise ValueError(f"exhibit numbers must be unique: {numbers}")


def _measure_front(part: FrontPart) -> MeasuredFront:
    try:
        with pikepdf.open(part.path) as pdf:
            pages = len(pdf.pages)
        return MeasuredFront(part, pages, part.path.stat().st_size)
    except FileNotFoundError as error:
        raise ClaimFileError(None, part.title, "le fichier est introuvable.") from error
    except (pikepdf.PdfError, OSError) as error:
        raise ClaimFileError(None, part.title, "le PDF est illisible.") from error


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(1024 * 1024):
            digest.update(chunk)
    return digest.hexdigest()


def _fingerprint(fronts: list[MeasuredFront], exhibits: Sequence[Exhibit],
                 hashes: tuple[str, ...], info: ClaimFileInfo, options: BuildOptions) -> str:
    return fingerprint({
        "info": [info.title, info.version, info.author, info.file_date.isoformat(), info.footer],
        "options": [options.max_volume_bytes, options.downsample_dpi, options.bordereau_title],
        "front": [[f.part.title, _sha256(f.part.path)] for f in fronts],
        "exhibits": [[e.number, e.title, e.kind, e.date, e.media_type, e.original_name, digest]
                     for e, digest in zip(exhibits, hashes, strict=True)],
    })


def _volume_paths(destination: Path, count: int) -> list[Path]:
    if count == 1:
        return [destination]
    return [destination.with_name(f"{destination.stem}-tome-{k}{destination.suffix}")
            for k in range(1, count + 1)]


def _write_within_size(fronts: list[MeasuredFront], prepared: list[PreparedExhibit],
                       hashes: tuple[str, ...], inputs: str, destination: Path,
                       info: ClaimFileInfo, options: BuildOptions, tracker: Tracker,
                       ) -> tuple[Plan, list[Path]]:
    """Plan and write the volumes; plan again, tighter, if one came out over the limit."""
    limit = options.max_volume_bytes
    budget = limit
    for _ in range(SIZE_ATTEMPTS):
        plan = _plan(fronts, prepared, budget)
        rows = _rows(prepared, hashes, plan)
        context = WriteContext(plan, [(f.part.title, f.part.path, f.pages) for f in fronts],
                               prepared, rows, info, options.bordereau_title, inputs)
        written = _write_volumes(context, destination, tracker)
        largest = max(path.stat().st_size for path in written)
        if limit is None or budget is None or largest <= limit:
            return plan, written
        _discard(written)
        budget = int(budget * limit / largest * 0.97)
    raise ClaimFileError(None, "", f"impossible de tenir dans des tomes de {size_fr(limit)}.")


def _plan(fronts: list[MeasuredFront], prepared: list[PreparedExhibit],
          budget: int | None) -> Plan:
    groups = split(prepared, sum(f.size for f in fronts), budget)
    blank_rows = [bordereau.row(p.exhibit.number, p.exhibit.title, p.exhibit.kind,
                                p.exhibit.date, p.pages, "") for p in prepared]
    pages = bordereau.page_count(blank_rows, volumes=len(groups) > 1)
    return number_pages(groups, prepared, [f.pages for f in fronts], pages)


def _rows(prepared: list[PreparedExhibit], hashes: tuple[str, ...], plan: Plan,
          ) -> list[bordereau.Row]:
    return [bordereau.row(p.exhibit.number, p.exhibit.title, p.exhibit.kind, p.exhibit.date,
                          p.pages, digest, placement.volume, placement.first_page)
            for p, digest, placement in zip(prepared, hashes, plan.placements, strict=True)]


def _write_volumes(context: WriteContext, destination: Path, tracker: Tracker) -> list[Path]:
    written: list[Path] = []
    plan, prepared = context.plan, context.prepared
    base = len(prepared) + len(context.fronts)
    try:
        for volume in plan.volumes:
            handle, name = tempfile.mkstemp(prefix=f".{destination.name}.", suffix=".part",
                                            dir=destination.parent)
            os.close(handle)
            written.append(Path(name))
            share = volume.pages / max(plan.total_pages, 1)
            start = base + 2 * len(prepared) * (volume.first_page - 1) / max(plan.total_pages, 1)

            def report(fraction: float, start: float = start, share: float = share) -> None:
                tracker.reach(start + fraction * share * 2 * len(prepared))

            VolumeWriter(context, volume).write(Path(name), report)
    except BaseException:
        _discard(written)
        raise
    return written


def _discard(paths: list[Path]) -> None:
    for path in paths:
        with contextlib.suppress(FileNotFoundError):
            path.unlink()
