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
from operator import itemgetter
from typing import Any

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


# A piece (an invoice, or a credit: payment or credit note) is a tuple, made inline for each
# of a ledger's hundred thousand lines (smaller than an object, and let alone by the garbage
# collector once it has seen it holds no container), and made anew in the rare case a second
# line adds to it:
# (amount (cents), vat (cents, or None: unknown), letters, number, date, line, label, sale)
_BY_DATE = itemgetter(4, 3)  # pieces in order of date, then number
CENT = Decimal("0.01")  # cents × CENT: euros with two decimals, as Decimal(cents).scaleb(-2)


class _Account:
    __slots__ = ("credits", "invoices", "name")

    def __init__(self, name: str) -> None:
        self.name = name
        self.invoices: dict[str, tuple[Any, ...]] = {}
        self.credits: dict[tuple[str, str, date], tuple[Any, ...]] = {}


class Ledger:
    """Customer accounts built from a stream of `CustomerLine`s."""

    def __init__(self) -> None:
        self.accounts: dict[str, _Account] = {}

    def add_all(self, lines: Iterable[CustomerLine]) -> Ledger:
        with paused_gc():  # hundreds of thousands of young objects, and no cycle among them
            self._add(lines)
        return self

    def add(self, line: CustomerLine) -> None:
        self._add((line,))

    def _add(self, lines: Iterable[CustomerLine]) -> None:
        accounts = self.accounts
        for number, code, name, reference, day, label, debit, credit, letter, sale, vat in lines:
            account = accounts.get(code)
            if account is None:
                account = accounts[code] = _Account(name)
            net = debit - credit
            if net > 0:  # an invoice: its first line's label, its VAT if every line has one
                piece = account.invoices.get(reference)
                if piece is None:
                    account.invoices[reference] = (net, vat, (letter,) if letter else (),
                                                   reference, day, number, label, sale)
                else:
                    account.invoices[reference] = (
                        piece[0] + net, None if vat is None or piece[1] is None
                        else piece[1] + vat, _with(piece[2], letter), *piece[3:])
            elif net < 0:  # a credit: one per reference, lettrage code and date
                key = (reference, letter, day)
                piece = account.credits.get(key)
                if piece is None:
                    account.credits[key] = (-net, 0, (letter,) if letter else (), reference, day,
                                            number, "", sale)
                else:
                    account.credits[key] = (piece[0] - net, *piece[1:])

    def customers(self) -> Iterator[Customer]:
        """Each account's open items, once: the ledger hands its accounts over as it goes,
        so that what they hold is freed while what is made of them grows.

        The collector stays paused until the last customer is handed over or the iteration
        is closed (as the import service pauses it around the whole read): a customer's
        items are many young objects and no cycle, and a pass over them between two
        customers cost a tenth of the reading."""
        with paused_gc():
            for code in list(self.accounts):
                yield _customer(code, self.accounts.pop(code))


def _with(letters: tuple[str, ...], letter: str) -> tuple[str, ...]:
    """The lettrage codes of a piece, with this line's (most pieces have one or none)."""
    return letters + (letter,) if letter and letter not in letters else letters


def _customer(code: str, account: _Account) -> Customer:
    invoices = sorted(account.invoices.values(), key=_BY_DATE)
    room = {piece[3]: piece[0] for piece in invoices}  # what is left to pay of each invoice
    by_letter: dict[str, list[str]] = {}
    for piece in invoices:
        for letter in piece[2]:
            by_letter.setdefault(letter, []).append(piece[3])
    credits: list[Credit] = []
    append = credits.append
    # each credit spread over the invoices lettered with it, oldest first; the rest unapplied
    for left, _, letters, reference, day, line, _, sale in sorted(account.credits.values(),
                                                                 key=_BY_DATE):
        kind = CREDIT_NOTE if sale else PAYMENT
        for letter in sorted(letters) if len(letters) > 1 else letters:
            for number in by_letter.get(letter, ()):
                take = room[number]
                if take > left:
                    take = left
                if take > 0:
                    room[number] -= take
                    left -= take
                    append(Credit(kind, reference, day, Decimal(take) * CENT, line, number))
        if left > 0:
            append(Credit(kind, reference, day, Decimal(left) * CENT, line))
    # positional, in InvoiceItem's order: number, issue_date, amount_ttc, line, amount_tva,
    # due_date, description, settled (a hundred thousand of them in a big ledger)
    items = [InvoiceItem(number, day, Decimal(amount) * CENT, line,
                         Decimal(vat) * CENT if vat is not None and 0 <= vat < amount else None,
                         None, label, bool(letters) and room[number] == 0)
             for amount, vat, letters, number, day, line, label, _ in invoices]
    return Customer(account=code, name=account.name, invoices=items, credits=credits)
