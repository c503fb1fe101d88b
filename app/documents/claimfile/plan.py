"""Where every page goes: volumes of at most N bytes, and continuous bundle page numbers.

Pure arithmetic on page counts and file sizes. Volume 1 holds the front matter and the
bordereau; when there is more than one volume each starts with its own cover ("Tome 2/3"),
and those covers are numbered pages of the bundle too. An exhibit is never split across
volumes: one larger than a volume on its own stops the build, naming it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from app.documents.claimfile.errors import ClaimFileError
from app.documents.claimfile.model import MB, ExhibitPlacement
from app.documents.claimfile.parts import PreparedExhibit

PAGE_OVERHEAD = 400  # bytes per page: its stamp stream, font references, outline entry
VOLUME_OVERHEAD = 16 * 1024  # cover page, fonts, outline root, trailer
BORDEREAU_ROW = 400  # bytes per bordereau line, its link annotation included


@dataclass(frozen=True)
class Volume:
    number: int  # 1-based
    exhibits: tuple[int, ...]  # indices into the prepared exhibits
    first_page: int  # bundle number of its first page
    pages: int
    cover: bool  # starts with a "Tome k/n" page


@dataclass(frozen=True)
class Plan:
    volumes: tuple[Volume, ...]
    placements: tuple[ExhibitPlacement, ...]
    front_pages: tuple[int, ...]  # first bundle page of each front part
    bordereau_first: int
    bordereau_pages: int
    total_pages: int


def size_fr(size: int) -> str:
    """"850 Ko", "12,5 Mo": sizes as the user reads them."""
    if size < MB:
        return f"{max(1, round(size / 1024))} Ko"
    return f"{size / MB:.1f} Mo".replace(".", ",")


def split(prepared: Sequence[PreparedExhibit], front_bytes: int, max_bytes: int | None,
          ) -> list[list[int]]:
    """Exhibit indices per volume, greedily in order, each volume under `max_bytes`."""
    if max_bytes is None:
        return [list(range(len(prepared)))]
    room = max_bytes - VOLUME_OVERHEAD
    groups: list[list[int]] = [[]]
    used = front_bytes + BORDEREAU_ROW * len(prepared)
    if used > room:
        raise ClaimFileError(None, "", "les pages de présentation dépassent déjà la taille "
                             f"maximale d'un tome ({size_fr(max_bytes)}).")
    for index, item in enumerate(prepared):
        size = item.size + PAGE_OVERHEAD * item.pages
        if size > room:
            raise ClaimFileError(
                item.exhibit.number, item.exhibit.title,
                f"elle pèse {size_fr(size)}, plus que la taille maximale d'un tome "
                f"({size_fr(max_bytes)}) : réduisez la résolution des images ou "
                "augmentez la taille des tomes.")
        if used + size > room and groups[-1]:
            groups.append([])
            used = 0
        groups[-1].append(index)
        used += size
    return groups


def number_pages(groups: list[list[int]], prepared: Sequence[PreparedExhibit],
                 front_pages: Sequence[int], bordereau_pages: int) -> Plan:
    """Bundle page numbers for everything, volume by volume."""
    covers = len(groups) > 1
    page = 1
    volumes, placements = [], []
    front_first: list[int] = []
    bordereau_first = 0
    for number, group in enumerate(groups, start=1):
        first = page
        index_in_volume = 0
        if covers:
            page, index_in_volume = page + 1, 1
        if number == 1:
            for count in front_pages:
                front_first.append(page)
                page, index_in_volume = page + count, index_in_volume + count
            bordereau_first = page
            page, index_in_volume = page + bordereau_pages, index_in_volume + bordereau_pages
        for index in group:
            item = prepared[index]
            placements.append(ExhibitPlacement(item.exhibit.number, number, page, item.pages,
                                               index_in_volume))
            page, index_in_volume = page + item.pages, index_in_volume + item.pages
        volumes.append(Volume(number, tuple(group), first, page - first, covers))
    return Plan(tuple(volumes), tuple(placements), tuple(front_first), bordereau_first,
                bordereau_pages, page - 1)
