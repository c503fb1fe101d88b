"""The one error the claim-file engine raises: which exhibit (or part) stopped the build, and why."""

from __future__ import annotations

from app.errors import DomainError


class ClaimFileError(DomainError):
    """A part of the claim file could not be used; nothing was written at the destination.

    `number` is the exhibit's number, or None for a front-matter part or the file as a whole;
    `reason` is French and says what to do.
    """

    def __init__(self, number: int | None, title: str, reason: str) -> None:
        if number is None:
            where = f"« {title} »" if title else "Le dossier"
        else:
            where = f"Pièce n° {number} « {title} »"
        super().__init__(f"{where} : {reason}")
        self.number = number
        self.title = title
        self.reason = reason
