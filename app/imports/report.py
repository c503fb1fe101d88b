"""What an import did or would do: counts per kind of object, refused rows with their line
number and French reason, and the first invoices it would create (to correct their due dates).

The report is a plain dataclass, stored as JSON on the `ImportBatch` and returned by the API.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from app.errors import ValidationFailed

MAX_REFUSALS = 500  # kept in the report; the total is always counted
PREVIEW_SIZE = 50


class FileRefused(ValidationFailed):
    """The whole file (or the mapping) cannot be read: nothing is imported."""

    def __init__(self, message: str, field_name: str = "file") -> None:
        super().__init__({field_name: message})
        self.message = message


@dataclass(frozen=True, slots=True)
class Refusal:
    line: int
    reason: str


@dataclass(slots=True)
class Counts:
    created: int = 0
    updated: int = 0
    skipped: int = 0

    @property
    def total(self) -> int:
        return self.created + self.updated + self.skipped


@dataclass(frozen=True, slots=True)
class PreviewInvoice:
    """An invoice the import would create, with the due date it proposes."""

    number: str
    debtor: str
    issue_date: date
    due_date: date
    amount_ttc: Decimal
    due_date_proposed: bool  # True: computed from the payment term, the file has none


@dataclass(slots=True)
class ImportReport:
    kind: str
    lines_read: int = 0
    lines_used: int = 0  # customer lines (FEC) or data rows (CSV)
    debtors: Counts = field(default_factory=Counts)
    invoices: Counts = field(default_factory=Counts)
    payments: Counts = field(default_factory=Counts)
    credit_notes: Counts = field(default_factory=Counts)
    refused_count: int = 0
    refusals: list[Refusal] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    preview: list[PreviewInvoice] = field(default_factory=list)
    encoding: str = ""
    separator: str = ""
    applied: bool = False

    def refuse(self, line: int, reason: str) -> None:
        self.refused_count += 1
        if len(self.refusals) < MAX_REFUSALS:
            self.refusals.append(Refusal(line, reason))

    def warn(self, message: str) -> None:
        if message not in self.warnings and len(self.warnings) < 50:
            self.warnings.append(message)

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        for item in data["preview"]:
            item["issue_date"] = item["issue_date"].isoformat()
            item["due_date"] = item["due_date"].isoformat()
            item["amount_ttc"] = str(item["amount_ttc"])
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ImportReport:
        counts = {name: Counts(**data[name])
                  for name in ("debtors", "invoices", "payments", "credit_notes")}
        preview = [PreviewInvoice(
            number=p["number"], debtor=p["debtor"], issue_date=date.fromisoformat(p["issue_date"]),
            due_date=date.fromisoformat(p["due_date"]), amount_ttc=Decimal(p["amount_ttc"]),
            due_date_proposed=p["due_date_proposed"]) for p in data["preview"]]
        plain = {k: v for k, v in data.items()
                 if k not in counts and k not in ("refusals", "preview")}
        return cls(**plain, **counts, preview=preview,
                   refusals=[Refusal(**r) for r in data["refusals"]])
