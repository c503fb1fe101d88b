"""Domain errors that carry data; `app.web.errors` turns them into French pages and 4xx codes."""

from __future__ import annotations


class DomainError(Exception):
    """Base: `message` is French and shown to the user as is."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class NotFound(DomainError):
    def __init__(self, what: str = "Élément") -> None:
        super().__init__(f"{what} introuvable.")


class Forbidden(DomainError):
    pass


class ValidationFailed(DomainError):
    """Field errors: {field name: French message}. Nothing was saved."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("Le formulaire contient des erreurs : " + " ; ".join(errors.values()))
        self.errors = errors


class EvidenceRejected(DomainError):
    def __init__(self, filename: str, reason: str) -> None:
        super().__init__(f"« {filename} » refusé : {reason}")
        self.filename = filename
        self.reason = reason


class DocumentRefused(DomainError):
    """A letter or requête that must not be generated (prescribed, disputed, proceedings…).

    `missing`: every item missing at once (LAW.md §11), each a dict with `label` (French),
    `article`, and `url`/`place` saying where to fix it."""

    def __init__(self, message: str, missing: tuple[dict[str, str], ...] = (),
                 heading: str = "") -> None:
        super().__init__(message)
        self.missing = missing
        self.heading = heading or message


class DiskFull(DomainError):
    """The disk (or the user's quota) is full: nothing was written (HTTP 507)."""

    def __init__(self) -> None:
        super().__init__("Espace disque insuffisant sur le serveur : rien n'a été enregistré. "
                         "Prévenez votre administrateur, puis recommencez.")
