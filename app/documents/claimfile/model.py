"""What the claim-file engine takes in and gives back: plain, file-level values, no database.

The caller (a service) turns evidence rows and rendered front matter into `Exhibit`s and
`FrontPart`s, calls `build_claim_file`, then `build_package`, and stores what comes back.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

Progress = Callable[[int, int], None]  # progress(done, total), called from the building thread

MB = 1024 * 1024


@dataclass(frozen=True)
class Exhibit:
    """One pièce, in bordereau order. `kind` is an EVIDENCE_KINDS code (or a label as is)."""

    number: int
    title: str
    kind: str
    date: date | None
    path: Path
    media_type: str
    original_name: str = ""
    sha256: str | None = None  # known hash (the store is content-addressed); computed if None
    # e-mails: attachments produced as exhibits of their own (index in the e-mail, exhibit
    # number) are not reproduced again after the e-mail; its page says which exhibit they are.
    # An exhibit added before indices were kept gives its file name instead of the index.
    attachment_exhibits: tuple[tuple[int | str, int], ...] = ()


@dataclass(frozen=True)
class FrontPart:
    """A front-matter PDF (cover, summary, chronology, décompte…), bookmarked under `title`.

    Its pages are not shrunk: keep a bottom margin of at least 10 mm, where the bundle page
    number "x / total" is printed.
    """

    title: str
    path: Path


@dataclass(frozen=True)
class ClaimFileInfo:
    """Names the file in the PDF metadata, the bordereau heading and the volume covers."""

    title: str  # e.g. "Dossier de créance — Menuiserie Lefèvre c/ Durand BTP"
    version: int
    author: str  # the creditor
    file_date: date  # the file's date: the PDF creation date, never the clock
    footer: str = ""  # the creditor's identity, at the foot of the bordereau as of the front

    @property
    def full_title(self) -> str:
        return f"{self.title} — version {self.version}"


@dataclass(frozen=True)
class BuildOptions:
    max_volume_bytes: int | None = None  # None: one PDF; else volumes of at most this size
    downsample_dpi: int | None = None  # e.g. 200: scanned images above it are resampled
    bordereau_title: str = "Bordereau des pièces communiquées"


@dataclass(frozen=True)
class ExhibitPlacement:
    """Where an exhibit landed: volume (1-based), bundle pages (1-based, continuous)."""

    number: int
    volume: int
    first_page: int
    pages: int
    page_index: int  # 0-based index of its first page inside its volume's PDF

    @property
    def last_page(self) -> int:
        return self.first_page + self.pages - 1


@dataclass(frozen=True)
class ClaimFileResult:
    volumes: tuple[Path, ...]  # one path, or one per volume ("…-tome-1.pdf")
    total_pages: int
    placements: tuple[ExhibitPlacement, ...]  # the page map and volume map, in exhibit order
    bordereau_pages: tuple[int, int] = field(default=(0, 0))  # first, last bundle page

    def placement(self, number: int) -> ExhibitPlacement:
        return next(p for p in self.placements if p.number == number)
