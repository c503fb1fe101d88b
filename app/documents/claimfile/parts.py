"""Exhibits once prepared: runs of pages in PDF files, ready to be appended and stamped."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from app.documents.claimfile.model import Exhibit


class UnusableFile(Exception):
    """A file (or an e-mail attachment) that cannot be turned into pages; `reason` is French."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class Section:
    """A run of an exhibit's pages held in one PDF file."""

    path: Path
    pages: int
    margin: bool  # laid out by us with a blank bottom strip: stamped without shrinking
    title: str = ""  # a bookmark under the exhibit's own (e-mail attachments); "" for the body
    attachment: int | None = None  # an e-mail attachment's index in the e-mail (see mail.py)


@dataclass(frozen=True)
class PreparedExhibit:
    exhibit: Exhibit
    sections: tuple[Section, ...]
    note: str = ""  # what the reader should know (characters no font has, for an e-mail)

    @property
    def pages(self) -> int:
        return sum(section.pages for section in self.sections)

    @property
    def size(self) -> int:
        """Bytes its pages add to the output, give or take shared resources."""
        return sum(section.path.stat().st_size for section in self.sections)
