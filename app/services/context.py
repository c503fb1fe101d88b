"""Who is acting, for which creditor: passed to every service call."""

from __future__ import annotations

from dataclasses import dataclass

from app.errors import Forbidden


@dataclass(frozen=True)
class Actor:
    user_id: int
    creditor_id: int
    role: str = "owner"

    @property
    def can_write(self) -> bool:
        return self.role in ("owner", "member")

    def require_write(self) -> None:
        if not self.can_write:
            raise Forbidden("Votre accès à ce créancier est en lecture seule.")

    def require_owner(self) -> None:
        if self.role != "owner":
            raise Forbidden("Seul le responsable du compte peut faire cette modification.")
