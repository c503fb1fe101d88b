"""Why a file is refused, in French, with a code the API maps to an HTTP status."""

from __future__ import annotations

from app.errors import EvidenceRejected

# code -> HTTP status for the JSON API
STATUS = {
    "empty": 422,
    "type": 415,
    "too_large": 413,
    "password": 422,
    "damaged": 422,
    "duplicate": 409,
}


class Refusal(EvidenceRejected):
    """A refused file: `message` reads « name » refusé : reason."""

    def __init__(self, filename: str, reason: str, code: str) -> None:
        super().__init__(filename, reason)
        self.code = code

    @property
    def status(self) -> int:
        return STATUS.get(self.code, 422)


def too_large(filename: str, limit_bytes: int) -> Refusal:
    megabytes = limit_bytes // (1024 * 1024)
    limit = f"{megabytes} Mo" if megabytes else f"{limit_bytes} octets"
    return Refusal(filename, f"le fichier dépasse la taille maximale de {limit}.", "too_large")
