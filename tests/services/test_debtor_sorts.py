"""The debtors list sorted on a date a debtor may lack (oldest due date, next action): dated
debtors first by date then id, the undated after by id, page after page; read in two index
walks (services/debtors._dated_first), in the order one ORDER BY … IS NULL would give."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlmodel import Session, select

from app.models import Debtor
from app.services import debtors
from app.services.context import Actor
from tests.factories import make_debtor


@pytest.mark.parametrize("sort", sorted(debtors.DATED_LAST))
def test_pages_follow_the_one_query_order(session: Session, owner: Actor, sort: str,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(debtors, "PAGE_SIZE", 3)
    day = debtors.DATED_LAST[sort].key
    for n in range(11):
        debtor = make_debtor(session, owner, legal_name=f"Client {n:02d}", siren="")
        # dates shared by several debtors (ties by id), every third without a date
        setattr(debtor, day, None if n % 3 == 0 else date(2026, 1, 1) + timedelta(days=n % 4))
        session.add(debtor)
    session.commit()
    expected = [d.id for d in session.exec(select(Debtor).where(
        Debtor.creditor_id == owner.creditor_id).order_by(*debtors.SORTS[sort]))]
    shown: list[int] = []
    for page in range(1, 5):
        result = debtors.search(session, owner, sort=sort, page=page,
                                columns=debtors.LIST_COLUMNS if page % 2 else ())
        assert (result.total, result.pages) == (11, 4)
        shown += [row.id for row in result.debtors]
    assert shown == expected
    assert expected[-4:] == sorted(expected[-4:])  # the undated last, by id
