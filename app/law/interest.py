"""The décompte: late-payment penalties or legal interest, the 40 € indemnity, partial payments.

Implements LAW.md §2 and its tool rules 1-9 exactly: simple interest on actual days / 365,
periods split at 1 January, 1 July and the day after each payment, each period rounded half-up
to the cent, payments applied first to the invoice's accrued interest (C. civ. 1343-1) and,
when they name no invoice, to the oldest due invoice. Every period carries the sentence saying
which rule and which semester gave its rate; every doubt becomes a French warning.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Literal

from app.law.calendar import fr_date
from app.law.decompte_types import (
    Decompte,
    InvoiceDecompte,
    InvoiceInput,
    PaymentApplication,
    PaymentInput,
    Period,
    check_inputs,
    context_warnings,
)
from app.law.imputation import DESIGNATED, Debt, impute
from app.law.money import ZERO, format_eur, round_cent
from app.law.penalty_rates import (
    AppliedRate,
    as_of_warnings,
    consumer_legal_rate,
    contractual_penalty_rate,
    default_penalty_rate,
)
from app.law.rates import RateTables, next_semester_start, semester_of
from app.law.terms import payment_terms_warning

DebtorKind = Literal["professional", "consumer"]
__all__ = ["Decompte", "DebtorKind", "InvoiceDecompte", "InvoiceInput", "PaymentApplication",
           "PaymentInput", "Period", "compute_decompte"]

FIXED_INDEMNITY = Decimal("40.00")  # C. com. D441-5: per invoice paid late, professionals only
DAY_COUNT = Decimal("36500")  # rule 1: amount × days × rate(%) / 36 500
ONE_DAY = timedelta(days=1)
# The part of a payment above its invoice the creditor keeps aside (PaymentInput.excess)
KEPT_ASIDE = {"trop_percu": "un trop-perçu à restituer", "avoir": "gardé en avoir pour le débiteur"}
_NEVER = date.max


@dataclass
class _Context:
    debtor_kind: DebtorKind
    rates: RateTables
    notice_by_due_date: bool = False  # C. civ. 1344: the terms make the due date the notice
    warnings: list[str] = field(default_factory=list)
    # The rate of each semester (and contractual rate), found once: every period asks for it.
    applied: dict[tuple[str, Decimal | None, str], AppliedRate] = field(default_factory=dict)

    def warn(self, *messages: str) -> None:
        self.warnings.extend(m for m in messages if m not in self.warnings)


@dataclass
class _Ledger:
    """One invoice while payments are applied in date order (internal, mutable)."""

    invoice: InvoiceInput
    first_day: date | None  # first day of interest, None = no interest at all
    last_day: date  # last day of interest (as_of, or the day before collective proceedings)
    applied: list[PaymentApplication] = field(default_factory=list)

    def principal_paid(self, before: date = _NEVER) -> Decimal:
        # an avoir corrects the price itself: it counts from the first day
        return sum((a.to_principal for a in self.applied if a.credit or a.date < before), ZERO)

    def interest_paid(self) -> Decimal:
        return sum((a.to_interest for a in self.applied), ZERO)

    def next_cut(self, day: date) -> date:
        """The first day after `day` on which the base falls (rule 5: from D + 1)."""
        return min(
            (a.date + ONE_DAY for a in self.applied if not a.credit and a.date + ONE_DAY > day),
            default=_NEVER,
        )


def _rate(ctx: _Context, ledger: _Ledger, day: date) -> AppliedRate:
    # Rule 2: one rate for a whole semester (the ECB rate of 1 Jan / 1 Jul, the taux légal of
    # the semester), so the rule of any day of it is the rule of its first
    contractual = None if ctx.debtor_kind == "consumer" else ledger.invoice.contractual_rate
    key = (semester_of(day), contractual, "" if contractual is None else ledger.invoice.number)
    applied = ctx.applied.get(key)
    if applied is None:
        applied = ctx.applied[key] = _rate_of(ctx, ledger, day)
    return applied


def _rate_of(ctx: _Context, ledger: _Ledger, day: date) -> AppliedRate:
    if ctx.debtor_kind == "consumer":
        return consumer_legal_rate(ctx.rates, day, by_due_date=ctx.notice_by_due_date)
    if ledger.invoice.contractual_rate is not None:
        return contractual_penalty_rate(
            ctx.rates, day, ledger.invoice.contractual_rate, ledger.invoice.number
        )
    return default_penalty_rate(ctx.rates, day)


def _periods(ctx: _Context, ledger: _Ledger, upto: date) -> list[Period]:
    # Rules 1, 2, 5, 6, 7: segments split at 1 Jan / 1 Jul and at D + 1, each rounded
    if ledger.first_day is None:
        return []
    last, cursor, periods = min(upto, ledger.last_day), ledger.first_day, []
    while cursor <= last:
        stop = min(last, next_semester_start(cursor) - ONE_DAY, ledger.next_cut(cursor) - ONE_DAY)
        base = ledger.invoice.amount - ledger.principal_paid(before=cursor)
        if base > 0:
            applied = _rate(ctx, ledger, cursor)
            ctx.warn(*applied.warnings)
            days = (stop - cursor).days + 1
            amount = round_cent(base * days * applied.rate / DAY_COUNT)
            rule = applied.rule + _lowered_by(ledger, cursor)
            periods.append(Period(cursor, stop, days, applied.rate, base, amount, rule))
        cursor = stop + ONE_DAY
    return periods


def _lowered_by(ledger: _Ledger, day: date) -> str:
    """Rule 5: the period starting at D + 1 says which rule placed the payment of D."""
    return "".join(
        f" ; base réduite par le paiement du {fr_date(a.date)} — {a.rule}"
        for a in ledger.applied
        if a.date + ONE_DAY == day and a.to_principal > 0 and not a.credit
    )


def _owed(ctx: _Context, ledger: _Ledger, day: date) -> tuple[Decimal, Decimal]:
    """Accrued interest not yet paid and principal still due on `day`."""
    accrued = sum((p.amount for p in _periods(ctx, ledger, day)), ZERO)
    return accrued - ledger.interest_paid(), ledger.invoice.amount - ledger.principal_paid()


def _apply(
    ctx: _Context, ledger: _Ledger, payment: PaymentInput, amount: Decimal, rule: str
) -> Decimal:
    """Apply a payment to one invoice: accrued interest first (C. civ. 1343-1); an avoir, to the
    principal alone (it is no payment); return the rest."""
    day = payment.date
    if payment.credit:
        interest_due, principal_due = ZERO, ledger.invoice.amount - ledger.principal_paid()
    else:
        interest_due, principal_due = _owed(ctx, ledger, day)
    to_interest = min(amount, interest_due)
    to_principal = min(amount - to_interest, principal_due)
    if to_interest + to_principal > 0:
        ledger.applied.append(
            PaymentApplication(day, to_interest + to_principal, to_interest, to_principal, rule,
                               payment.ref, payment.credit)
        )
    return amount - to_interest - to_principal


def _debt(ctx: _Context, ledger: _Ledger, day: date, credit: bool) -> Debt:
    # Rule 5: what 1342-10 al. 2 compares: due or not, the rate on the payment date, age; an
    # avoir meets only the prices
    inv = ledger.invoice
    owed = inv.amount - ledger.principal_paid() if credit else sum(_owed(ctx, ledger, day), ZERO)
    return Debt(inv.number, inv.due_date <= day, _rate(ctx, ledger, day).rate, inv.due_date,
                inv.issue_date, owed)


def _apply_unassigned(
    ctx: _Context, ledgers: dict[str, _Ledger], payment: PaymentInput, amount: Decimal
) -> Decimal:
    """C. civ. 1342-10 al. 2 (imputation.py); returns what exceeds the whole debt."""
    debts = [_debt(ctx, ledger, payment.date, payment.credit) for ledger in ledgers.values()]
    shares, rest = impute(amount, debts)
    for share in shares:
        rest += _apply(ctx, ledgers[share.key], payment, share.amount, share.rule)
    return rest


def _apply_payment(ctx: _Context, ledgers: dict[str, _Ledger], payment: PaymentInput) -> None:
    rest = payment.amount
    if payment.invoice is not None:
        named = ledgers.get(payment.invoice)
        if named is None:
            ctx.warn(
                f"{payment.label} du {fr_date(payment.date)} : la facture {payment.invoice} est "
                "inconnue ; il est imputé selon l'article 1342-10 du code civil."
            )
        else:
            # an avoir on its invoice needs no rule of imputation: it corrects that price
            rest = _apply(ctx, named, payment, rest,
                          "" if payment.credit else "imputation : " + DESIGNATED)
            if rest > 0 and payment.excess in KEPT_ASIDE:
                ctx.warn(
                    f"{payment.label} du {fr_date(payment.date)} : l'excédent de {format_eur(rest)} "
                    f"sur la facture {payment.invoice} est {KEPT_ASIDE[payment.excess]}, comme "
                    "choisi à son enregistrement ; il n'est imputé sur aucune autre dette."
                )
                return
            if rest > 0:
                ctx.warn(
                    f"{payment.label} du {fr_date(payment.date)} : l'excédent de {format_eur(rest)} "
                    f"sur la facture {payment.invoice} est imputé selon l'article 1342-10 du "
                    "code civil."
                )
    if rest > 0:
        rest = _apply_unassigned(ctx, ledgers, payment, rest)
    if rest > 0:
        ctx.warn(
            f"{payment.label} du {fr_date(payment.date)} : {format_eur(rest)} excèdent la dette "
            + ("(avoir à vérifier)." if payment.credit else
               "(trop-perçu à restituer ou à vérifier).")
        )


def _first_day(ctx: _Context, invoice: InvoiceInput, notices: Sequence[date]) -> date | None:
    # Rule 2: business from the day after the due date (L441-10 II); consumer after the first
    # MED sent once the invoice was due (C. civ. 1344-1: a notice of a debt not yet due puts
    # no one on notice), or after the due date itself when the terms make it the notice (1344)
    if ctx.debtor_kind == "professional" or ctx.notice_by_due_date:
        return invoice.due_date + ONE_DAY
    notice = next((day for day in sorted(notices) if day >= invoice.due_date), None)
    if notice is not None:
        return notice + ONE_DAY
    if notices:
        ctx.warn(
            f"Facture {invoice.number} : la mise en demeure du {fr_date(max(notices))} "
            f"précède l'échéance du {fr_date(invoice.due_date)} et ne fait pas courir les "
            "intérêts ; envoyez une nouvelle mise en demeure (C. civ. 1344)."
        )
    return None


def _ledger(
    ctx: _Context, invoice: InvoiceInput, as_of: date, notices: Sequence[date],
    opened: date | None
) -> _Ledger:
    last_day = _last_interest_day(as_of, opened)
    if ctx.debtor_kind == "professional":
        ctx.warn(
            *filter(
                None, [payment_terms_warning(invoice.number, invoice.issue_date, invoice.due_date)]
            )
        )
    elif invoice.contractual_rate is not None:
        ctx.warn(
            f"Facture {invoice.number} : le taux contractuel n'est pas appliqué à un "
            "consommateur ; le décompte retient le taux légal (C. civ. 1231-6)."
        )
    if invoice.due_date >= as_of:
        ctx.warn(
            f"Facture {invoice.number} : pas encore en retard au {fr_date(as_of)} (échéance le "
            f"{fr_date(invoice.due_date)}) ; ni pénalités ni indemnité à ce jour."
        )
    return _Ledger(invoice, _first_day(ctx, invoice, notices), last_day)


def _indemnity(ctx: _Context, ledger: _Ledger, as_of: date, opened: date | None) -> Decimal:
    # C. com. D441-5 and L441-10 II: 40 € per invoice paid late, professionals only, none when
    # the opening judgment forbids paying it at its due date (a claim born before the opening,
    # due on or after it); a claim born after the opening (L622-17) keeps it (LAW.md §7)
    inv = ledger.invoice
    if ctx.debtor_kind != "professional" or inv.due_date >= as_of:
        return ZERO
    if opened is not None and inv.issue_date < opened <= inv.due_date:
        return ZERO
    paid_in_time = ledger.principal_paid(before=inv.due_date + ONE_DAY) >= inv.amount
    return ZERO if paid_in_time else FIXED_INDEMNITY


def _result(ctx: _Context, ledger: _Ledger, as_of: date, opened: date | None) -> InvoiceDecompte:
    inv, periods = ledger.invoice, tuple(_periods(ctx, ledger, as_of))
    accrued = sum((p.amount for p in periods), ZERO)
    return InvoiceDecompte(
        number=inv.number,
        amount=inv.amount,
        issue_date=inv.issue_date,
        due_date=inv.due_date,
        paid=sum((a.amount for a in ledger.applied), ZERO),
        principal=inv.amount - ledger.principal_paid(),
        interest=accrued - ledger.interest_paid(),
        indemnity=_indemnity(ctx, ledger, as_of, opened),
        periods=periods,
        payments=tuple(sorted(ledger.applied, key=lambda a: a.date)),  # avoirs met first
    )


def compute_decompte(
    *,
    as_of: date,
    debtor_kind: DebtorKind,
    invoices: Sequence[InvoiceInput],
    payments: Sequence[PaymentInput] = (),
    rates: RateTables,
    formal_notice_date: date | None = None,
    collective_proceedings_opened: date | None = None,
    notice_by_due_date: bool = False,
    later_notices: Sequence[date] = (),
) -> Decompte:
    """Statement of account at `as_of` (LAW.md §2, tool rules 1-9).

    `formal_notice_date`: the first mise en demeure; `later_notices`, the ones sent after it
    (each puts a consumer on notice of the invoices due when it was sent).
    `notice_by_due_date`: the creditor's terms say the mere due date puts the debtor on notice
    (C. civ. 1344); it changes only a consumer's décompte."""
    check_inputs(invoices, payments)
    notices = sorted({*later_notices, *filter(None, [formal_notice_date])})
    ctx, opened = _Context(debtor_kind, rates, notice_by_due_date), collective_proceedings_opened
    ctx.warn(*as_of_warnings(ctx.rates, as_of, consumer=debtor_kind == "consumer"))
    ctx.warn(*context_warnings(ctx.debtor_kind, notice_by_due_date, as_of,
                               formal_notice_date, opened, bool(invoices)))
    ledgers = {inv.number: _ledger(ctx, inv, as_of, notices, opened) for inv in invoices}
    # the avoirs first: they set the prices every payment then meets (interest included)
    for payment in sorted(payments, key=lambda p: (not p.credit, p.date)):
        if payment.date > as_of:
            ctx.warn(
                f"{payment.label} du {fr_date(payment.date)} postérieur à la date du décompte "
                f"({fr_date(as_of)}) : non pris en compte."
            )
        else:
            _apply_payment(ctx, ledgers, payment)
    results = tuple(_result(ctx, ledger, as_of, opened) for ledger in ledgers.values())
    return _totals(as_of, debtor_kind, results, ctx.warnings,
                   notice_by_due_date and debtor_kind == "consumer",
                   _last_interest_day(as_of, opened))


def _last_interest_day(as_of: date, opened: date | None) -> date:
    # C. com. L622-28: the opening judgment stops interest the eve
    return as_of if opened is None else min(as_of, opened - ONE_DAY)


def _totals(
    as_of: date, kind: str, results: tuple[InvoiceDecompte, ...], warnings: list[str],
    notice_by_due_date: bool, interest_until: date
) -> Decompte:
    # Rule 6: totals are sums of the rounded periods
    principal = sum((r.principal for r in results), ZERO)
    interest = sum((r.interest for r in results), ZERO)
    indemnities = sum((r.indemnity for r in results), ZERO)
    total = principal + interest + indemnities
    return Decompte(as_of, kind, principal, interest, indemnities, total, results, tuple(warnings),
                    notice_by_due_date, interest_until)
