"""A FEC read once: the dry run keeps the customers it read, and the apply reuses them.

The dry run and the apply of an import read the same stored file (content-addressed by its
SHA-256), so the apply need not parse it again. While the dry run hands its customers to the
planner, they are written to `<data>/cache/imports/<sha256>.v<VERSION>.jsonl`: one JSON line
per customer (the fields the FEC reader fills), then a header (the reader's share of the
report, the number of customers, the body's length) and the header's offset. The file is
written next to its place and renamed into it once complete, so a reader on this or another
machine sharing the data folder sees it whole or not at all.

The apply uses the kept file only if its header names the same file hash and format version
and its body has the announced length; otherwise (another worker's own folder, a cleaned data
folder, an older version) it parses the file again. The kept file is removed once applied.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Iterator
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any, BinaryIO

from app.imports.items import CREDIT_NOTE, PAYMENT, Credit, Customer, InvoiceItem
from app.imports.report import ImportReport, Refusal

VERSION = 1  # bump when the reader's output or this layout changes
_KINDS = (PAYMENT, CREDIT_NOTE)
TRAILER = 16  # the header's offset, 15 digits and a newline


def path_for(folder: Path, sha256: str) -> Path:
    return folder / f"{sha256}.v{VERSION}.jsonl"


def keep(folder: Path, sha256: str, report: ImportReport, customers: Iterable[Customer],
         total: int) -> Iterator[Customer]:
    """`customers`, unchanged, written to the kept file as they pass; the file is put in
    place only when every customer went through (a dry run stopped midway keeps nothing)."""
    folder.mkdir(parents=True, exist_ok=True)
    final = path_for(folder, sha256)
    partial = final.with_name(f"{final.name}.{os.getpid()}.{id(report):x}.part")
    try:
        with partial.open("wb") as out:
            for customer in customers:
                out.write(_dumps(_customer_row(customer)))
                yield customer
            length = out.tell()
            out.write(_dumps(_header(sha256, report, total, length)))
            out.write(b"%015d\n" % length)
            out.flush()
            os.fsync(out.fileno())
        os.replace(partial, final)
    finally:
        partial.unlink(missing_ok=True)


def recall(folder: Path, sha256: str, report: ImportReport
           ) -> tuple[Iterator[Customer], int] | None:
    """The kept customers of this file and their number, the reader's share of the report
    restored into `report`; None when there is no usable kept file."""
    try:
        handle = path_for(folder, sha256).open("rb")
    except OSError:
        return None
    try:
        handle.seek(-TRAILER, os.SEEK_END)
        length = int(handle.read(TRAILER))
        handle.seek(length)
        header = json.loads(handle.readline())
        usable = (header.get("version") == VERSION and header.get("sha256") == sha256
                  and header.get("length") == length
                  and handle.tell() + TRAILER == os.fstat(handle.fileno()).st_size)
    except (ValueError, OSError, AttributeError):
        usable = False
    if not usable:
        handle.close()
        return None
    _restore(report, header["report"])
    handle.seek(0)
    return _customers(handle, length), int(header["customers"])


def forget(folder: Path, sha256: str) -> None:
    path_for(folder, sha256).unlink(missing_ok=True)


def _dumps(value: Any) -> bytes:
    return (json.dumps(value, ensure_ascii=False, separators=(",", ":")) + "\n").encode()


def _header(sha256: str, report: ImportReport, total: int, length: int) -> dict[str, Any]:
    return {"version": VERSION, "sha256": sha256, "customers": total, "length": length,
            "report": {"lines_read": report.lines_read, "lines_used": report.lines_used,
                       "refused_count": report.refused_count,
                       "refusals": [[r.line, r.reason] for r in report.refusals],
                       "encoding": report.encoding, "separator": report.separator}}


def _restore(report: ImportReport, data: dict[str, Any]) -> None:
    report.lines_read, report.lines_used = data["lines_read"], data["lines_used"]
    report.refused_count += data["refused_count"]
    report.refusals.extend(Refusal(line, reason) for line, reason in data["refusals"])
    report.encoding, report.separator = data["encoding"], data["separator"]


def _customer_row(customer: Customer) -> list[Any]:
    return [customer.account, customer.name,
            [[i.number, i.issue_date.isoformat(), str(i.amount_ttc), i.line,
              None if i.amount_tva is None else str(i.amount_tva), i.description,
              int(i.settled)] for i in customer.invoices],
            [[_KINDS.index(c.kind), c.reference, c.date.isoformat(), str(c.amount), c.line,
              c.invoice_number] for c in customer.credits]]


def _customers(handle: BinaryIO, length: int) -> Iterator[Customer]:
    with handle:
        while handle.tell() < length:
            text = handle.readline()
            account, name, invoices, credits = json.loads(text)
            yield Customer(account=account, name=name, invoices=[
                InvoiceItem(number, date.fromisoformat(day), Decimal(ttc), line,
                            None if tva is None else Decimal(tva), None, label, bool(settled))
                for number, day, ttc, line, tva, label, settled in invoices], credits=[
                Credit(_KINDS[kind], reference, date.fromisoformat(day), Decimal(amount), line,
                       number)
                for kind, reference, day, amount, line, number in credits])
