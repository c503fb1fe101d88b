"""The law view of a debtor (décompte, alerts, checklist, routes, court) is kept while the
facts it was computed from are the same, and is computed again after any change to them."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date, timedelta
from decimal import Decimal

import pytest
from sqlmodel import Session

from app.kept import ValueKey
from app.models import Creditor, Debtor, Evidence, EvidenceInvoice, PaymentPromise, RateOverride
from app.row_values import row_values
from app.services import law_facts, law_view_keep
from app.services.context import Actor
from app.services.file_view import FileView, LawView, file_view, law_view
from app.services.rates import current_rates
from tests.conftest import TODAY
from tests.factories import make_debtor, make_invoice, make_payment, make_step


@pytest.fixture(autouse=True)
def _empty_keep() -> Iterator[None]:
    law_view_keep.KEPT.clear()
    yield
    law_view_keep.KEPT.clear()


def law_of(view: FileView) -> LawView:
    return LawView(view.alerts, view.checklist, view.routes, view.court, view.decompte)


def fresh(session: Session, debtor: Debtor, today: date) -> LawView:
    """Computed from the database now, without the keep."""
    return law_view(law_facts.load(session, debtor), current_rates(session), today)


def test_the_same_facts_are_computed_once(session: Session, owner: Actor) -> None:
    debtor = make_debtor(session, owner)
    make_invoice(session, owner, debtor)
    first = file_view(session, debtor, TODAY)
    computed = law_view_keep.KEPT.computed
    second = file_view(session, debtor, TODAY)
    assert law_view_keep.KEPT.computed == computed
    assert second.decompte is first.decompte and second.alerts is first.alerts


def test_a_change_elsewhere_keeps_this_debtors_view(session: Session, owner: Actor) -> None:
    debtor = make_debtor(session, owner)
    make_invoice(session, owner, debtor)
    other = make_debtor(session, owner, legal_name="Autre client", siren="")
    file_view(session, debtor, TODAY)
    computed = law_view_keep.KEPT.computed
    make_invoice(session, owner, other, number="O-1")
    make_payment(session, owner, other, amount="10.00")
    file_view(session, debtor, TODAY)
    assert law_view_keep.KEPT.computed == computed


def _link_exhibit(session: Session, actor: Actor, debtor: Debtor) -> None:
    evidence = Evidence(creditor_id=actor.creditor_id, debtor_id=debtor.id, sha256="a" * 64,
                        size=10, media_type="application/pdf", original_name="devis.pdf",
                        kind="signed_quote", title="Devis signé")
    session.add(evidence)
    session.flush()
    invoice = law_facts.load(session, debtor).invoices[0]
    session.add(EvidenceInvoice(evidence_id=evidence.id, invoice_id=invoice.id))  # type: ignore[arg-type]
    session.commit()


def _creditor_rate(session: Session, actor: Actor, debtor: Debtor) -> None:
    creditor = session.get(Creditor, actor.creditor_id)
    assert creditor is not None
    creditor.default_penalty_rate = Decimal("15.00")
    session.add(creditor)
    session.commit()


def _ecb_correction(session: Session, actor: Actor, debtor: Debtor) -> None:
    session.add(RateOverride(table_name="ecb", semester="2025-S1", start=date(2025, 1, 1),
                             ecb_mro=Decimal("9.00"), source="Correction de test"))
    session.commit()


def _moved(session: Session, actor: Actor, debtor: Debtor) -> None:
    debtor.city, debtor.postal_code = "Lyon", "69003"
    session.add(debtor)
    session.commit()


def _promise(session: Session, actor: Actor, debtor: Debtor) -> None:
    """A promise alone (its call's step aside): corrected or cancelled, only its row changes."""
    session.add(PaymentPromise(creditor_id=actor.creditor_id, debtor_id=debtor.id,  # type: ignore[arg-type]
                               made_on=TODAY, due_date=TODAY + timedelta(days=10),
                               amount=Decimal("500.00")))
    session.commit()


CHANGES: dict[str, Callable[[Session, Actor, Debtor], object]] = {
    "a payment": lambda s, a, d: make_payment(s, a, d, amount="300.00"),
    "an invoice": lambda s, a, d: make_invoice(s, a, d, number="F-2", amount_ht="500.00",
                                               amount_tva="100.00", amount_ttc="600.00"),
    "a step": lambda s, a, d: make_step(s, a, d, kind="mise_en_demeure", date="2025-03-15",
                                        level="", channel="lrar"),
    "an exhibit": _link_exhibit,
    "the creditor's terms": _creditor_rate,
    "a rate correction": _ecb_correction,
    "the debtor's address": _moved,
    "a promise to pay": _promise,
}


@pytest.mark.parametrize("change", CHANGES)
def test_every_change_to_the_facts_is_seen_at_once(session: Session, owner: Actor,
                                                   change: str) -> None:
    debtor = make_debtor(session, owner)
    make_invoice(session, owner, debtor)
    before = law_of(file_view(session, debtor, TODAY))
    CHANGES[change](session, owner, debtor)
    after = law_of(file_view(session, debtor, TODAY))
    assert after == fresh(session, debtor, TODAY)  # what an uncached computation gives
    assert after != before  # the change does change what the law says


def test_a_new_day_is_computed_again(session: Session, owner: Actor) -> None:
    debtor = make_debtor(session, owner)
    make_invoice(session, owner, debtor)
    today = file_view(session, debtor, TODAY)
    tomorrow = file_view(session, debtor, TODAY + timedelta(days=1))
    assert tomorrow.decompte.as_of == TODAY + timedelta(days=1) != today.decompte.as_of
    assert law_of(tomorrow) == fresh(session, debtor, TODAY + timedelta(days=1))


def test_bounded_least_recently_used_out_first() -> None:
    keep = law_view_keep.LawViews(max_entries=2)
    keep.get("a", lambda: 1)
    keep.get("b", lambda: 2)
    keep.get("a", lambda: 0)  # "b" is now the least recently used
    keep.get("c", lambda: 3)
    assert (keep.get("a", lambda: -1), keep.get("b", lambda: -2)) == (1, -2)
    assert len(keep) == 2


def test_a_value_is_kept_even_when_it_is_none() -> None:
    keep = law_view_keep.LawViews(max_entries=2)
    assert keep.get("a", lambda: None) is None
    assert keep.get("a", lambda: 1) is None and keep.computed == 1


class Counted:
    """An element of a key that counts how often it is hashed."""

    hashed = 0

    def __hash__(self) -> int:
        Counted.hashed += 1
        return 7


def test_the_facts_are_hashed_once_however_often_they_are_looked_up() -> None:
    element = Counted()
    key = ValueKey((TODAY, element))
    keep = law_view_keep.LawViews()
    for _ in range(6):
        keep.get(key, lambda: "view")
        keep.get(("section", key, True), lambda: "html")
    assert Counted.hashed == 1 and keep.computed == 2


def test_facts_of_equal_values_are_the_same_key(session: Session, owner: Actor) -> None:
    debtor = make_debtor(session, owner)
    make_invoice(session, owner, debtor)
    rates = current_rates(session)
    first = law_view_keep.facts_key(law_facts.load(session, debtor), rates, TODAY)
    again = law_view_keep.facts_key(law_facts.load(session, debtor), rates, TODAY)
    tomorrow = law_view_keep.facts_key(law_facts.load(session, debtor), rates,
                                       TODAY + timedelta(days=1))
    assert first == again and hash(first) == hash(again) and first is not again
    assert first != tomorrow and first != first.values


def test_a_row_reads_the_same_loaded_or_expired(session: Session, owner: Actor) -> None:
    """Its values come from those the ORM loaded (one call), or through the ORM when a column
    is not loaded; a JSON column as its text, whatever the order of its keys."""
    debtor = make_debtor(session, owner)
    exhibit = Evidence(creditor_id=owner.creditor_id, debtor_id=debtor.id, sha256="0" * 64,  # type: ignore[arg-type]
                       size=1, media_type="application/pdf", original_name="devis.pdf",
                       kind="quote", title="Devis signé", meta={"b": 1, "a": [2, 3]})
    session.add(exhibit)
    session.commit()
    loaded = row_values(exhibit)
    session.expire(exhibit, ["title", "meta"])
    assert "title" not in exhibit.__dict__
    assert row_values(exhibit) == loaded
    assert '{"a": [2, 3], "b": 1}' in loaded and "Devis signé" in loaded
    assert row_values(debtor, frozenset({"legal_name"})) == tuple(
        v for v in row_values(debtor) if v != debtor.legal_name)
