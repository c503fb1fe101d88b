"""Statutory payment terms between professionals (C. com. L441-10 I): a due-date sanity check.

Agreed terms may not exceed 60 days after the invoice date, or 45 days end of month if expressly
agreed. Both common readings of "45 jours fin de mois" are accepted before warning. Breaching
the terms is the creditor's problem (administrative fine), so it is a warning, never a block.
"""

from __future__ import annotations

from calendar import monthrange
from datetime import date, timedelta

from app.law.calendar import fr_date

AGREED_MAX_DAYS = 60  # C. com. L441-10 I: 60 days after the issue date
END_OF_MONTH_DAYS = 45  # C. com. L441-10 I: 45 days end of month, if expressly agreed


def _end_of_month(day: date) -> date:
    return day.replace(day=monthrange(day.year, day.month)[1])


def latest_end_of_month_due(issue: date) -> date:
    """The later of 'issue + 45 days, then end of month' and 'end of month, then + 45 days'."""
    return max(
        _end_of_month(issue + timedelta(days=END_OF_MONTH_DAYS)),
        _end_of_month(issue) + timedelta(days=END_OF_MONTH_DAYS),
    )


def payment_terms_warning(number: str, issue: date, due: date) -> str | None:
    # C. com. L441-10 I: flag (never block) a due date beyond the statutory maximum
    if due < issue:
        return f"Facture {number} : l'échéance ({fr_date(due)}) précède la date d'émission."
    delay = (due - issue).days
    if delay <= AGREED_MAX_DAYS:
        return None
    head = f"Facture {number} : échéance à {delay} jours de l'émission, au-delà de 60 jours"
    if due <= latest_end_of_month_due(issue):
        return (
            f"{head} ; admis seulement si « 45 jours fin de mois » a été expressément convenu "
            "(C. com. L441-10 I)."
        )
    return f"{head} et de 45 jours fin de mois : délai de paiement excessif (C. com. L441-10 I)."
