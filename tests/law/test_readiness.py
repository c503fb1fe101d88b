"""Pre-litigation checklist (LAW.md §10): the checks in order, each with status, article, fix."""

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st
from stdnum.fr import siren as stdnum_siren

from app.law.prescription import PrescriptionEvent, prescription
from app.law.readiness import (
    CollectiveProceedingsFacts,
    CourtFacts,
    CreditorFacts,
    DebtorFacts,
    FileFacts,
    InvoiceFacts,
    MiseEnDemeureFacts,
    is_valid_siren,
    readiness_checklist,
)

AS_OF = date(2026, 11, 22)
KEYS = [
    "creditor_identity",
    "debtor_identity",
    "claim_certain",
    "performance_proven",
    "invoice_present",
    "claim_liquid",
    "claim_exigible",
    "no_dispute",
    "reminders",
    "mise_en_demeure",
    "prescription",
    "collective_proceedings",
    "debtor_in_france",
    "competent_court",
    "creditor_person",
    "goods_transport",
]
TAE_LYON = CourtFacts("tae", "Tribunal des activités économiques de Lyon", "44 rue de Bonnel",
                      "69003", "Lyon")

# Menuiserie Lefèvre vs Durand BTP (Lyon), a file ready to go
READY = FileFacts(
    as_of=AS_OF,
    creditor=CreditorFacts(
        "Menuiserie Lefèvre",
        "SARL",
        "443061841",
        "Nantes",
        "12 rue des Forges, 44000 Nantes",
        "Paul Lefèvre",
    ),
    debtor=DebtorFacts(
        kind="professional",
        name="Durand BTP SAS",
        siren="356000000",
        registered_office="3 quai Rambaud, 69002 Lyon",
        postcode="69002",
        city="Lyon",
    ),
    invoices=(InvoiceFacts("F-2026-001", date(2026, 7, 31), True, True, True),),
    balance=Decimal("1200.00"),
    reminders_count=2,
    mise_en_demeure=MiseEnDemeureFacts(
        date(2026, 10, 1), True, frozenset({"posting", "unclaimed"}), date(2026, 10, 16)
    ),
    prescription=prescription(debtor_kind="professional", start=date(2026, 7, 1), as_of=AS_OF),
    court=TAE_LYON,
)


def statuses(facts):
    return {item.key: item.status for item in readiness_checklist(facts)}


def test_a_complete_file_is_ready_on_all_checks_in_order():
    items = readiness_checklist(READY)
    assert [item.key for item in items] == KEYS
    assert all(item.status == "ok" for item in items), [i for i in items if i.status != "ok"]
    assert all(item.article for item in items)
    assert items[13].detail == (
        "Président du tribunal des activités économiques de Lyon : Tribunal des activités "
        "économiques de Lyon, 44 rue de Bonnel, 69003 Lyon"
    )


@pytest.mark.parametrize(
    ("change", "key", "status", "detail"),
    [
        ({"creditor": CreditorFacts(name="Lefèvre")}, "creditor_identity", "bloquant", "siège"),
        (
            {"creditor": replace(READY.creditor, siren="443061842")},
            "creditor_identity",
            "a_completer",
            "SIREN invalide",
        ),
        ({"debtor": replace(READY.debtor, siren="")}, "debtor_identity", "a_completer", "SIREN"),
        (
            {"debtor": replace(READY.debtor, registered_office="")},
            "debtor_identity",
            "bloquant",
            "siège social",
        ),
        (
            {"invoices": (InvoiceFacts("F1", date(2026, 7, 31), True, False, True),)},
            "claim_certain",
            "bloquant",
            "F1",
        ),
        (
            {"invoices": (InvoiceFacts("F1", date(2026, 7, 31), True, True, False),)},
            "performance_proven",
            "a_completer",
            "F1",
        ),
        (
            {"invoices": (InvoiceFacts("F1", None, False, True, True),)},
            "invoice_present",
            "bloquant",
            "facture non jointe : F1",
        ),
        ({"balance": None}, "claim_liquid", "a_completer", "décompte"),
        ({"balance": Decimal("0")}, "claim_liquid", "bloquant", "aucun principal"),
        (
            {
                "invoices": (
                    InvoiceFacts("F1", date(2026, 7, 31), True, True, True),
                    InvoiceFacts("F2", date(2026, 12, 31), True, True, True),
                )
            },
            "claim_exigible",
            "a_completer",
            "non échues : F2",
        ),
        ({"open_dispute": True}, "no_dispute", "bloquant", "contestation"),
        ({"reminders_count": 0}, "reminders", "a_completer", "aucune relance"),
        ({"mise_en_demeure": MiseEnDemeureFacts()}, "mise_en_demeure", "a_completer", "aucune"),
        (
            {"mise_en_demeure": replace(READY.mise_en_demeure, proofs=frozenset({"posting"}))},
            "mise_en_demeure",
            "a_completer",
            "avis de réception",
        ),
        (
            {"mise_en_demeure": replace(READY.mise_en_demeure, deadline=date(2026, 11, 30))},
            "mise_en_demeure",
            "a_completer",
            "30/11/2026",
        ),
        ({"prescription": None}, "prescription", "a_completer", "non renseignée"),
        (
            {"collective": CollectiveProceedingsFacts("redressement", date(2026, 10, 1))},
            "collective_proceedings",
            "bloquant",
            "redressement",
        ),
        ({"debtor": replace(READY.debtor, country="DE")}, "debtor_in_france", "bloquant", "DE"),
        (
            {"debtor": replace(READY.debtor, postcode="", city="")},
            "competent_court",
            "bloquant",
            "adresse",
        ),
    ],
)
def test_each_gap_is_reported_on_its_own_check(change, key, status, detail):
    items = {item.key: item for item in readiness_checklist(replace(READY, **change))}
    assert (items[key].status, detail in items[key].detail) == (status, True)
    assert items[key].fix
    consequence = "competent_court" if key == "debtor_in_france" else None
    others = {k: i.status for k, i in items.items() if k not in (key, consequence)}
    assert set(others.values()) == {"ok"}, others


def test_prescribed_claim_blocks_and_near_prescription_is_urgent():
    prescribed = prescription(debtor_kind="consumer", start=date(2024, 1, 10), as_of=AS_OF)
    near = prescription(
        debtor_kind="consumer",
        start=date(2024, 12, 20),
        as_of=AS_OF,
        events=[PrescriptionEvent("acknowledgment", date(2025, 1, 20))],
    )
    assert statuses(replace(READY, prescription=prescribed))["prescription"] == "bloquant"
    item = readiness_checklist(replace(READY, prescription=near))[10]
    # 20/01/2025 + 2 years = 20/01/2027: 59 days after 22/11/2026
    assert (item.status, item.detail) == (
        "a_completer",
        "URGENT : prescription le 20/01/2027 (59 jours)",
    )


def test_mise_en_demeure_by_lre_or_commissaire_needs_no_receipt():
    for proof in ("lre", "commissaire"):
        med = replace(READY.mise_en_demeure, proofs=frozenset({proof}))
        assert statuses(replace(READY, mise_en_demeure=med))["mise_en_demeure"] == "ok"


def test_consumer_needs_a_domicile_and_no_siren():
    debtor = DebtorFacts(
        kind="consumer",
        name="M. Martin",
        is_company=False,
        registered_office="4 rue Haute, 35000 Rennes",
        postcode="35000",
        city="Rennes",
    )
    items = {item.key: item for item in readiness_checklist(replace(READY, debtor=debtor))}
    assert items["debtor_identity"].status == "ok"
    assert items["competent_court"].detail.startswith(
        "Président du tribunal judiciaire dont relève Rennes : "
    )


@given(st.text(alphabet="0123456789", min_size=9, max_size=9))
def test_siren_check_agrees_with_python_stdnum(siren):
    assert is_valid_siren(siren) == stdnum_siren.is_valid(siren)


# LAW.md §10.14 (CPC 54 1°): the court's type is not enough, it must be named with its address.
@pytest.mark.parametrize(
    ("court", "missing"),
    [
        (None, "juridiction nommée (nom et adresse)"),
        (CourtFacts("tae", "", "", "", "Lyon"), "juridiction nommée (nom et adresse)"),
        (
            CourtFacts("tae", "Tribunal des activités économiques de Lyon", "", "69003", "Lyon"),
            "adresse de la juridiction (Tribunal des activités économiques de Lyon)",
        ),
    ],
)
def test_a_court_not_named_with_its_address_blocks_the_requete(court, missing):
    item = {i.key: i for i in readiness_checklist(replace(READY, court=court))}["competent_court"]
    assert item.status == "bloquant" and item.where == "court"
    assert item.detail == f"Président du tribunal des activités économiques de Lyon : {missing}"
    assert "54 1°" in item.article
    # the address is there: the advice is to name the court, not to fill in the address
    assert item.fix.startswith("Nommer la juridiction indiquée, avec l'adresse de son greffe")


def test_the_court_advice_fits_what_is_missing():
    no_address = replace(READY, debtor=replace(READY.debtor, postcode="", city=""))
    abroad = replace(READY, debtor=replace(READY.debtor, country="DE"))
    fixes = {name: {i.key: i for i in readiness_checklist(facts)}["competent_court"].fix
             for name, facts in (("address", no_address), ("abroad", abroad))}
    assert fixes["address"].startswith("Renseigner l'adresse du débiteur")
    assert "injonction de payer européenne" in fixes["abroad"]


def test_a_natural_person_creditor_needs_the_mentions_of_cpc_54_3_a():
    person = CreditorFacts("Jeanne Roux", "", "443061841", "", "2 rue Neuve, 44000 Nantes",
                           natural_person=True)
    items = {i.key: i for i in readiness_checklist(replace(READY, creditor=person))}
    assert items["creditor_identity"].status == "ok"  # no legal form or representative asked
    item = items["creditor_person"]
    assert (item.status, item.where) == ("bloquant", "creditor.profession")
    assert item.detail == (
        "profession du créancier, nationalité du créancier, date de naissance du créancier, "
        "lieu de naissance du créancier manquant(s)"
    )
    complete = replace(person, profession="architecte", nationality="française",
                       birth_date=date(1980, 5, 4), birth_place="Nantes (44)")
    item = readiness_checklist(replace(READY, creditor=complete))[14]
    assert (item.status, item.detail) == ("ok", "architecte, né(e) le 04/05/1980 à Nantes (44)")


def test_collective_proceedings_suggest_no_reminder_notice_or_injonction():
    near = prescription(debtor_kind="professional", start=date(2021, 12, 20), as_of=AS_OF)
    facts = replace(
        READY,
        reminders_count=0,
        mise_en_demeure=MiseEnDemeureFacts(),
        prescription=near,
        collective=CollectiveProceedingsFacts("liquidation", date(2026, 10, 1)),
    )
    items = {i.key: i for i in readiness_checklist(facts)}
    assert items["collective_proceedings"].status == "bloquant"
    for key in ("reminders", "mise_en_demeure"):
        assert (items[key].status, items[key].fix) == ("ok", "")
        assert items[key].detail.startswith("sans objet : procédure collective")
    fixes = " ".join(i.fix for i in items.values())
    assert "mise en demeure" not in fixes.lower() and "ordonnance" not in fixes
    assert "L622-25-1" in items["prescription"].fix


@pytest.mark.parametrize(
    ("transport", "delivered", "status", "detail"),
    [
        (False, date(2025, 1, 10), "ok", "non concerné"),  # not a carriage-of-goods claim
        # delivered 10/01/2026 + 1 year = 10/01/2027 > 22/11/2026 (C. com. L133-6)
        (True, date(2026, 1, 10), "ok", "action possible jusqu'au 10/01/2027 (un an)"),
        # delivered 10/11/2025 + 1 year = last day 10/11/2026 < 22/11/2026: blocking,
        # prescribed since 11/11/2026
        (True, date(2025, 11, 10), "bloquant", "action prescrite depuis le 11/11/2026"),
    ],
)
def test_item_16_carriage_of_goods_older_than_a_year_blocks(transport, delivered, status, detail):
    found = prescription(
        debtor_kind="professional",
        start=delivered,
        as_of=AS_OF,
        claim="goods_transport" if transport else "ordinary",
    )
    facts = replace(READY, goods_transport=transport, prescription=found,
                    transport_prescription=found if transport else None)
    item = next(i for i in readiness_checklist(facts) if i.key == "goods_transport")
    assert item.status == status
    assert detail in item.detail
    assert item.article == "C. com. L133-6"


def test_item_16_reads_the_carriage_invoices_not_the_files_most_urgent():
    # An ordinary invoice of 2021 (prescribed 5 years on) beside a carriage delivered
    # 10/01/2026: the carriage may still be sued for, until 10/01/2027. Item 16 said
    # "transport … prescrite" with the ordinary invoice's date.
    ordinary = prescription(debtor_kind="professional", start=date(2021, 6, 1), as_of=AS_OF)
    carriage = prescription(debtor_kind="professional", start=date(2026, 1, 10), as_of=AS_OF,
                            claim="goods_transport")
    assert ordinary.prescribed and ordinary.deadline < carriage.deadline
    facts = replace(READY, goods_transport=True, prescription=ordinary,
                    transport_prescription=carriage)
    item = next(i for i in readiness_checklist(facts) if i.key == "goods_transport")
    assert item.status == "ok"
    assert "action possible jusqu'au 10/01/2027 (un an)" in item.detail


def test_item_10_says_when_the_expired_deadline_is_only_an_estimate():
    notice = replace(READY.mise_en_demeure, deadline_estimated=True)
    item = next(
        i for i in readiness_checklist(replace(READY, mise_en_demeure=notice))
        if i.key == "mise_en_demeure"
    )
    assert item.status == "a_completer"
    assert "estimation" in item.detail


def test_item_16_asks_for_the_delivery_date_of_a_transport_invoice():
    # the year runs from delivery (L133-6): the invoice date would overstate it
    facts = replace(
        READY,
        goods_transport=True,
        undelivered=("F-2026-001",),
        transport_prescription=prescription(
            debtor_kind="professional", start=date(2026, 7, 1), as_of=AS_OF,
            claim="goods_transport",
        ),
    )
    item = next(i for i in readiness_checklist(facts) if i.key == "goods_transport")
    assert item.status == "a_completer"
    assert "date de livraison non renseignée" in item.detail and "F-2026-001" in item.detail


def test_a_company_creditor_is_not_asked_a_natural_persons_mentions():
    # Seen: "Créancier personne physique : … — OK — créancier personne morale : mentions du
    # 3° b) (item 1)", a line that read as contradicting itself, in the claim file too.
    item = {i.key: i for i in readiness_checklist(READY)}["creditor_person"]
    assert (item.status, item.detail) == (
        "ok", "non concerné : le créancier est une personne morale (CPC 54 3° b))")
