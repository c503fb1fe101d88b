"""Writing one volume of the claim file with pikepdf: append, stamp, link, bookmark, save.

Pages are appended part by part, then `list(pdf.pages)` is taken once (pikepdf's `pages[i]`
walks the page tree: per-page indexing would make stamping quadratic) and every page is
disarmed (no page or annotation action but safe links, see disarm.py) and stamped. Only pages
are copied, so no document-level action of an exhibit (/OpenAction, /JavaScript) comes along.
The bordereau's lines become links to the first page of exhibits held in the same volume; for
the others the bordereau says which volume holds them.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pikepdf

from app.documents.claimfile import bordereau
from app.documents.claimfile.disarm import disarm_page
from app.documents.claimfile.drawn import append_page, volume_cover
from app.documents.claimfile.errors import ClaimFileError, one_or_all, unexpected
from app.documents.claimfile.identity import write_id
from app.documents.claimfile.model import ClaimFileInfo
from app.documents.claimfile.parts import PreparedExhibit
from app.documents.claimfile.plan import Plan, Volume
from app.documents.claimfile.stamp import Stamper

APPEND_SHARE = 0.2  # of a volume's progress; saving (when qpdf copies the streams) is the rest
BORDEREAU_BOOKMARK = "Bordereau des pièces"
EXHIBITS_BOOKMARK = "Pièces"

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class WriteContext:
    plan: Plan
    fronts: list[tuple[str, Path, int]]  # title, path, pages
    prepared: list[PreparedExhibit]
    rows: list[bordereau.Row]
    info: ClaimFileInfo
    bordereau_title: str
    fingerprint: str  # digest of the inputs: the volumes' /ID


@dataclass
class Bookmark:
    title: str
    page: int  # index in this volume
    children: list[Bookmark] = field(default_factory=list)
    opened: bool = False  # children shown when the file opens


class VolumeWriter:
    def __init__(self, context: WriteContext, volume: Volume) -> None:
        self.context, self.volume = context, volume
        self.pdf = pikepdf.new()
        self.stamper = Stamper(self.pdf)
        self.labels: list[tuple[str, bool]] = []  # per page: exhibit label, shrink
        self.owners: list[PreparedExhibit | None] = []  # per page: the exhibit it belongs to
        self.bookmarks: list[Bookmark] = []
        self.links: list[bordereau.Link] = []
        self.bordereau_index = 0
        self.exhibits_mark: Bookmark | None = None
        self.sources = contextlib.ExitStack()

    def write(self, target: Path, report: Callable[[float], None]) -> None:
        with self.sources:  # pikepdf's PageCopyWarning is silenced for good (app/quiet.py)
            if self.volume.cover:
                self._cover()
            if self.volume.number == 1:
                self._front()
                self._bordereau()
            for count, index in enumerate(self.volume.exhibits, start=1):
                self._exhibit(self.context.prepared[index])
                report(APPEND_SHARE * count / max(len(self.volume.exhibits), 1))
            pages = list(self.pdf.pages)
            for page in pages:  # the volume's catalog is ours: pages are what comes from outside
                disarm_page(page.obj)
            self._stamp(pages)
            self.stamper.finish()
            self._link(pages)
            self._outline(pages)
            self._metadata()
            self._save(target, report)

    def _cover(self) -> None:
        plan, volume = self.context.plan, self.volume
        numbers = [self.context.prepared[i].exhibit.number for i in volume.exhibits]
        held = (numbers[0], numbers[-1]) if numbers else None
        content = volume_cover(self.context.info.full_title, self.context.info.file_date,
                               volume.number, len(plan.volumes), held,
                               (volume.first_page, volume.first_page + volume.pages - 1),
                               self.stamper.font)
        self.bookmarks.append(Bookmark(f"Tome {volume.number}/{len(plan.volumes)}",
                                       len(self.labels)))
        append_page(self.pdf, content, self.stamper.fonts)
        self.labels.append(("", False))

    def _front(self) -> None:
        for title, path, pages in self.context.fronts:
            self.bookmarks.append(Bookmark(title, len(self.labels)))
            try:
                source = self.sources.enter_context(pikepdf.open(path))
                self.pdf.pages.extend(source.pages)
            except pikepdf.PdfError as error:
                raise ClaimFileError(None, title, "le PDF est illisible.") from error
            self.labels.extend([("", False)] * pages)

    def _bordereau(self) -> None:
        info = self.context.info
        subtitle = bordereau.subtitle_for(info.full_title, info.file_date,
                                          [row.number for row in self.context.rows])
        streams, self.links = bordereau.draw(self.context.rows, len(self.context.plan.volumes) > 1,
                                             self.context.bordereau_title, subtitle,
                                             self.stamper.font, info.footer)
        self.bordereau_index = len(self.labels)
        self.bookmarks.append(Bookmark(BORDEREAU_BOOKMARK, len(self.labels)))
        for stream in streams:
            append_page(self.pdf, stream, self.stamper.fonts)
            self.labels.append(("", False))

    def _exhibit(self, item: PreparedExhibit) -> None:
        exhibit = item.exhibit
        mark = Bookmark(f"Pièce n° {exhibit.number} — {exhibit.title}", len(self.labels))
        if self.exhibits_mark is None:
            self.exhibits_mark = Bookmark(EXHIBITS_BOOKMARK, len(self.labels), opened=True)
            self.bookmarks.append(self.exhibits_mark)
        self.exhibits_mark.children.append(mark)
        page = 1
        for section in item.sections:
            if section.title:
                mark.children.append(Bookmark(section.title, len(self.labels)))
            try:
                source = self.sources.enter_context(pikepdf.open(section.path))
                self.pdf.pages.extend(source.pages)
            except pikepdf.PdfError as error:
                raise ClaimFileError(exhibit.number, exhibit.title,
                                     "le PDF est illisible ou endommagé.") from error
            self.owners.extend([None] * (len(self.labels) - len(self.owners)))
            for i in range(section.pages):
                label = f"Pièce n° {exhibit.number} — p. {page + i}/{item.pages}"
                self.labels.append((label, not section.margin))
                self.owners.append(item)
            page += section.pages

    def _stamp(self, pages: list[pikepdf.Page]) -> None:
        """Stamp every page; the exhibits whose pages could not be stamped, all named."""
        total, first = self.context.plan.total_pages, self.volume.first_page
        owners = self.owners + [None] * (len(pages) - len(self.owners))
        failed: dict[int, PreparedExhibit | None] = {}
        for index, (page, (label, shrink)) in enumerate(zip(pages, self.labels, strict=True)):
            try:
                self.stamper.stamp(page, label, f"{first + index} / {total}", shrink=shrink)
            except Exception:
                log.exception("page %s could not be stamped", first + index)
                owner = owners[index]
                failed[owner.exhibit.number if owner else 0] = owner
        if failed:
            raise one_or_all([unexpected(o.exhibit.number, o.exhibit.title) if o
                              else unexpected(None, "") for o in failed.values()])

    def _link(self, pages: list[pikepdf.Page]) -> None:
        placements = {p.number: p for p in self.context.plan.placements}
        for link in self.links:
            target = placements[link.number]
            if target.volume != self.volume.number:
                continue
            annotation = self.pdf.make_indirect(pikepdf.Dictionary(
                Type=pikepdf.Name.Annot, Subtype=pikepdf.Name.Link,
                Rect=pikepdf.Array(list(link.rect)), Border=pikepdf.Array([0, 0, 0]),
                Dest=pikepdf.Array([pages[target.page_index].obj, pikepdf.Name.Fit]),
            ))
            page = pages[self.bordereau_index + link.page].obj
            if "/Annots" not in page:
                page.Annots = pikepdf.Array()
            page.Annots.append(annotation)

    def _outline(self, pages: list[pikepdf.Page]) -> None:
        def item(mark: Bookmark) -> pikepdf.OutlineItem:
            node = pikepdf.OutlineItem(
                mark.title, pikepdf.Array([pages[mark.page].obj, pikepdf.Name.Fit]))
            node.children.extend(item(child) for child in mark.children)
            node.is_closed = not mark.opened
            return node

        with self.pdf.open_outline() as outline:
            outline.root.extend(item(mark) for mark in self.bookmarks)

    def _metadata(self) -> None:
        info, volumes = self.context.info, len(self.context.plan.volumes)
        title = info.full_title
        if volumes > 1:
            title += f" — tome {self.volume.number}/{volumes}"
        stamp = _pdf_date(info.file_date)
        self.pdf.docinfo = self.pdf.make_indirect(pikepdf.Dictionary(
            Title=title, Author=info.author, Subject="Dossier de créance",
            Creator="Contentieux", Producer="Contentieux", CreationDate=stamp, ModDate=stamp,
        ))
        self.pdf.Root.PageMode = pikepdf.Name.UseOutlines
        self.pdf.Root.PageLabels = pikepdf.Dictionary(Nums=pikepdf.Array(
            [0, pikepdf.Dictionary(S=pikepdf.Name.D, St=self.volume.first_page)]))

    def _save(self, target: Path, report: Callable[[float], None]) -> None:
        try:
            self.pdf.save(target, static_id=True,
                          progress=lambda percent: report(APPEND_SHARE + percent / 125))
        except pikepdf.PdfError as error:
            raise self._culprit(str(error)) from error
        write_id(target, self.context.fingerprint, self.volume.number)

    def _culprit(self, message: str) -> ClaimFileError:
        """qpdf names the file whose stream it could not read: map it back to the exhibit."""
        for index in self.volume.exhibits:
            item = self.context.prepared[index]
            if any(str(section.path) in message for section in item.sections):
                return ClaimFileError(item.exhibit.number, item.exhibit.title,
                                      "le PDF est illisible ou endommagé.")
        return ClaimFileError(None, "", f"le PDF n'a pas pu être écrit ({message}).")


def _pdf_date(day: date) -> str:
    return f"D:{day:%Y%m%d}000000Z"
