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


class ClaimFileErrors(ClaimFileError):
    """Several exhibits cannot be used: all of them, found in one pass, each with its reason.

    The message has a first line saying how many, then one line per exhibit.
    """

    def __init__(self, failures: list[ClaimFileError]) -> None:
        self.failures = failures
        lines = [f"{len(failures)} pièces ne peuvent pas être mises dans le dossier ; "
                 "retirez-les ou remplacez-les, puis relancez la construction :"]
        lines += [failure.message for failure in failures]
        DomainError.__init__(self, "\n".join(lines))
        self.number, self.title = None, ""
        self.reason = "\n".join(lines[1:])


def one_or_all(failures: list[ClaimFileError]) -> ClaimFileError:
    """The error to raise for these failures: the only one, or all of them together."""
    return failures[0] if len(failures) == 1 else ClaimFileErrors(failures)


def unexpected(number: int | None, title: str) -> ClaimFileError:
    """An error nobody foresaw, still naming where it happened."""
    return ClaimFileError(number, title, "erreur inattendue en traitant ce fichier ; "
                          "remplacez-le (par exemple par une impression en PDF) ou signalez-le.")
