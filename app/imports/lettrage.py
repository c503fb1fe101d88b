"""From customer lines to open items: invoices, and the payments and credit notes against them.

Lines are aggregated per piece as they stream in (one small record per invoice, not per line).
At the end, each credit carrying a lettrage code (`EcritureLet`) is spread over the invoices of
the same code, oldest first; what is left of a credit is unapplied. An invoice whose lettered
credits cover it is settled; one covered only in part (partial lettrage) stays open for the rest.
"""

from __future__ import annotations

import gc
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import date
from decimal import Decimal

from app.imports.fec import CustomerLine
from app.imports.items import CREDIT_NOTE, PAYMENT, Credit, Customer, InvoiceItem


@contextmanager
def paused_gc() -> Iterator[None]:
    """The cyclic garbage collector off while a big file is read: its passes over the young
    objects of a ledger cost a fifth of the reading. Reference counting still frees them."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()




class _Piece:
    __slots__ = ("amount", "date", "label", "letters", "line", "number", "sale", "vat")

    def __init__(self, line: CustomerLine) -> None:
        self.number = line.piece_ref
        self.date = line.piece_date
        self.line = line.line
        self.label = line.label if line.debit > line.credit else ""  # an invoice's only
        self.sale = line.sale
        self.amount = 0
        self.vat: int | None = 0
        self.letters: tuple[str, ...] = ()  # most pieces have one or none: no set each


class _Account:
    __slots__ = ("credits", "invoices", "name")

    def __init__(self, name: str) -> None:
        self.name = name
        self.invoices: dict[str, _Piece] = {}
        self.credits: dict[tuple[str, str, date], _Piece] = {}


class Ledger:
    """Customer accounts built from a stream of `CustomerLine`s."""

    def __init__(self) -> None:
        self.accounts: dict[str, _Account] = {}

    def add_all(self, lines: Iterable[CustomerLine]) -> Ledger:
        with paused_gc():  # hundreds of thousands of young objects, and no cycle among them
            add = self.add
            for line in lines:
                add(line)
        return self

    def add(self, line: CustomerLine) -> None:
        # unpacked once: a hundred thousand lines, a dozen fields read each
        _, code, name, piece_ref, piece_date, _, debit, credit, letter, _, vat = line
        account = self.accounts.get(code)
        if account is None:
            account = self.accounts[code] = _Account(name)
        net = debit - credit
        if net > 0:
            piece = account.invoices.get(piece_ref)
            if piece is None:
                piece = account.invoices[piece_ref] = _Piece(line)
            piece.vat = None if vat is None or piece.vat is None else piece.vat + vat
        elif net < 0:
            key = (piece_ref, letter, piece_date)
            piece = account.credits.get(key)
            if piece is None:
                piece = account.credits[key] = _Piece(line)
        else:
            return
        piece.amount += abs(net)
        if letter and letter not in piece.letters:
            piece.letters += (letter,)

    def customers(self) -> Iterator[Customer]:
        """Each account's open items, once: the ledger hands its accounts over as it goes,
        so that what they hold is freed while what is made of them grows."""
        for code in list(self.accounts):
            with paused_gc():  # a customer's items: many young objects, no cycle
                customer = _customer(code, self.accounts.pop(code))
            yield customer


def _customer(code: str, account: _Account) -> Customer:
    invoices = sorted(account.invoices.values(), key=lambda p: (p.date, p.number))
    room = {p.number: p.amount for p in invoices}
    by_letter: dict[str, list[str]] = {}
    for piece in invoices:
        for letter in piece.letters:
            by_letter.setdefault(letter, []).append(piece.number)
    credits: list[Credit] = []
    for piece in sorted(account.credits.values(), key=lambda p: (p.date, p.number)):
        credits.extend(_spread(piece, by_letter, room))
    items = [_invoice(p, settled=bool(p.letters) and room[p.number] == 0) for p in invoices]
    return Customer(account=code, name=account.name, invoices=items, credits=credits)


def _spread(piece: _Piece, by_letter: dict[str, list[str]], room: dict[str, int]
            ) -> Iterator[Credit]:
    """A credit split over the invoices lettered with it; the rest is unapplied."""
    kind = CREDIT_NOTE if piece.sale else PAYMENT
    left = piece.amount
    for letter in sorted(piece.letters):
        for number in by_letter.get(letter, ()):
            take = min(left, room[number])
            if take > 0:
                room[number] -= take
                left -= take
                yield Credit(kind, piece.number, piece.date, Decimal(take).scaleb(-2), piece.line,
                             number)
    if left > 0:
        yield Credit(kind, piece.number, piece.date, Decimal(left).scaleb(-2), piece.line)


def _invoice(piece: _Piece, settled: bool) -> InvoiceItem:
    vat = piece.vat
    tva = Decimal(vat).scaleb(-2) if vat is not None and 0 <= vat < piece.amount else None
    # positional, in InvoiceItem's order: number, issue_date, amount_ttc, line, amount_tva,
    # due_date, description, settled (a hundred thousand of them in a big ledger)
    return InvoiceItem(piece.number, piece.date, Decimal(piece.amount).scaleb(-2), piece.line, tva,
                       None, piece.label, settled)
