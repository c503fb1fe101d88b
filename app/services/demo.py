"""Demo data: a believable creditor and five debtors at different stages of recovery.

Dates are relative to `today`, so the demo always shows live alerts.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from sqlmodel import Session, select
from stdnum import luhn

from app.demo_credentials import DEMO_EMAIL, DEMO_PASSWORD
from app.models import Creditor, Debtor, Membership
from app.services import accounts, courts, debtors, invoices, payments, steps
from app.services.context import Actor

__all__ = ["DEMO_EMAIL", "DEMO_PASSWORD", "seed"]


def siren(base: str) -> str:
    return base + luhn.calc_check_digit(base)


def siret(siren_number: str, establishment: str = "0001") -> str:
    base = siren_number + establishment
    return base + luhn.calc_check_digit(base)


def _iso(day: date) -> str:
    return day.isoformat()


def _invoice(number: str, issued: date, due: date, ht: str, description: str,
             delivered: date | None = None) -> dict[str, str]:
    amount_ht = Decimal(ht)
    tva = (amount_ht * Decimal("0.20")).quantize(Decimal("0.01"))
    return {"number": number, "issue_date": _iso(issued), "due_date": _iso(due),
            "delivery_date": _iso(delivered or issued), "amount_ht": str(amount_ht),
            "amount_tva": str(tva), "amount_ttc": str(amount_ht + tva), "description": description}


def seed(session: Session, *, email: str, password: str, today: date | None = None) -> bool:
    """Create the demo user, creditor and debtors; False if they already exist."""
    if accounts.find_user(session, email):
        return False
    today = today or date.today()  # noqa: DTZ011 (the local calendar day)
    user = accounts.create_user(session, email=email, password=password, name="Claire Lefèvre",
                                creditor_name="Menuiserie Lefèvre", is_admin=True)
    membership = session.exec(select(Membership).where(Membership.user_id == user.id)).one()
    creditor = session.get(Creditor, membership.creditor_id)
    assert creditor is not None
    _fill_creditor(session, creditor)
    actor = Actor(user_id=user.id, creditor_id=creditor.id)  # type: ignore[arg-type]
    for build in (_fresh, _reminded, _formal_notice, _consumer, _liquidation):
        build(session, actor, today)
    _exhibits(session, actor, today)
    _courts(session, actor)
    return True


def _exhibits(session: Session, actor: Actor, today: date) -> None:
    """Real exhibits for Hôtel du Port and Durand BTP: their claim file is worth opening."""
    from app.services.demo_exhibits import add_demo_exhibits

    add_demo_exhibits(session, actor, today)


# The courts of Nantes, where the demo's debtors have their seat or domicile: named once, they
# are proposed for every debtor of the town (services/courts.py), so the demo's requête goes out.
NANTES_COURTS = (
    ("Hôtel du Port", {"court_kind": "tribunal_commerce", "court_name":
                       "Tribunal de commerce de Nantes", "court_street": "1 quai François Mitterrand",
                       "court_postal_code": "44200", "court_city": "Nantes"}),
    ("M. Julien Moreau", {"court_kind": "tribunal_judiciaire", "court_name":
                          "Tribunal judiciaire de Nantes", "court_street": "19 quai François Mitterrand",
                          "court_postal_code": "44200", "court_city": "Nantes"}),
)


def _courts(session: Session, actor: Actor) -> None:
    for name, court in NANTES_COURTS:
        debtor = session.exec(select(Debtor).where(Debtor.creditor_id == actor.creditor_id,
                                                   Debtor.legal_name == name)).one()
        courts.add(session, actor, court, commit=False, debtor=debtor)
    session.commit()


def _fill_creditor(session: Session, creditor: Creditor) -> None:
    number = siren("81234567")
    creditor.legal_form = "SARL"
    creditor.siren = number
    creditor.siret = siret(number)
    creditor.rcs_city = "Nantes"
    creditor.street = "14 rue des Artisans"
    creditor.postal_code = "44000"
    creditor.city = "Nantes"
    creditor.representative = "Claire Lefèvre"
    creditor.representative_title = "Gérante"
    creditor.contact_email = "compta@menuiserie-lefevre.fr"
    creditor.contact_phone = "02 40 12 34 56"
    creditor.sender_name = "Menuiserie Lefèvre — Comptabilité"  # the reminders' sender
    creditor.sender_email = "relances@menuiserie-lefevre.fr"
    creditor.reply_to = "compta@menuiserie-lefevre.fr"
    creditor.iban = "FR7630006000011234567890189"
    creditor.bic = "AGRIFRPP"
    session.add(creditor)
    session.commit()


def _company(name: str, form: str, base: str, street: str, postal: str, city: str,
             representative: str, **extra: str) -> dict[str, str]:
    return {"kind": "company", "legal_name": name, "legal_form": form, "siren": siren(base),
            "street": street, "postal_code": postal, "city": city, "country": "FR",
            "representative": representative, "is_merchant": "1", **extra}


def _fresh(session: Session, actor: Actor, today: date) -> None:
    debtor = debtors.create(session, actor, _company(
        "Boulangerie Martin", "SARL", "52345678", "3 place du Marché", "44100", "Nantes",
        "Paul Martin", email="contact@boulangerie-martin.fr", phone="02 40 00 11 22"))
    issued = today - timedelta(days=40)
    invoices.create(session, actor, debtor, _invoice(
        "F-2026-118", issued, issued + timedelta(days=30), "2450.00",
        "Agencement de la boutique : comptoir et étagères en chêne"))


def _reminded(session: Session, actor: Actor, today: date) -> None:
    debtor = debtors.create(session, actor, _company(
        "Durand BTP", "SAS", "48765432", "27 avenue de la Gare", "49000", "Angers",
        "Marc Durand", contact_name="Sophie Durand (comptabilité)",
        email="compta@durand-btp.fr", phone="02 41 22 33 44"))
    first = today - timedelta(days=95)
    invoices.create(session, actor, debtor, _invoice(
        "F-2026-071", first, first + timedelta(days=30), "8400.00",
        "Fourniture et pose de menuiseries extérieures, chantier Les Tilleuls"))
    second = today - timedelta(days=70)
    invoices.create(session, actor, debtor, _invoice(
        "F-2026-084", second, second + timedelta(days=30), "3150.00",
        "Escalier intérieur, chantier Les Tilleuls"))
    payments.create(session, actor, debtor, {"date": _iso(today - timedelta(days=30)),
                                             "amount": "2000.00", "reference": "VIR 8812"})
    for level, days in ((1, 45), (2, 20)):
        steps.create(session, actor, debtor, {
            "kind": "reminder", "level": str(level), "channel": "email" if level == 1 else "letter",
            "date": _iso(today - timedelta(days=days)), "notes": "Relance sans réponse."})


def _formal_notice(session: Session, actor: Actor, today: date) -> None:
    debtor = debtors.create(session, actor, _company(
        "Hôtel du Port", "SAS", "79123456", "1 quai de la Fosse", "44000", "Nantes",
        "Hélène Garnier", email="direction@hotelduport.fr"))
    issued = today - timedelta(days=150)
    invoices.create(session, actor, debtor, _invoice(
        "F-2026-032", issued, issued + timedelta(days=45), "12600.00",
        "Rénovation des portes des 24 chambres", delivered=issued - timedelta(days=5)))
    for kind, days, extra in (
        ("reminder", 90, {"level": "1", "channel": "email"}),
        ("reminder", 70, {"level": "2", "channel": "letter"}),
        ("reminder", 55, {"level": "3", "channel": "letter"}),
        ("mise_en_demeure", 30, {"channel": "lrar", "reference": "1A 123 456 7890 1",
                                 "deadline_days": "8"}),
        ("ar_signed", 27, {"channel": "lrar", "reference": "1A 123 456 7890 1"}),
    ):
        steps.create(session, actor, debtor, {"kind": kind,
                                              "date": _iso(today - timedelta(days=days)), **extra})


def _consumer(session: Session, actor: Actor, today: date) -> None:
    debtor = debtors.create(session, actor, {
        "kind": "consumer", "legal_name": "M. Julien Moreau", "street": "8 allée des Lilas",
        "postal_code": "44300", "city": "Nantes", "country": "FR",
        "email": "julien.moreau@example.fr"})
    delivered = _years_before(today, 2) + timedelta(days=60)
    invoices.create(session, actor, debtor, _invoice(
        "F-2024-" + f"{delivered.timetuple().tm_yday:03d}", delivered,
        delivered + timedelta(days=30), "3800.00", "Cuisine sur mesure", delivered=delivered))
    steps.create(session, actor, debtor, {"kind": "reminder", "level": "1", "channel": "letter",
                                          "date": _iso(delivered + timedelta(days=60))})


def _liquidation(session: Session, actor: Actor, today: date) -> None:
    judgment = today - timedelta(days=20)
    debtor = debtors.create(session, actor, _company(
        "Garage Central", "SARL", "41234567", "56 route de Rennes", "44700", "Orvault",
        "Jean Leroy", proceedings_kind="liquidation", proceedings_judgment_date=_iso(judgment),
        proceedings_bodacc_date=_iso(judgment + timedelta(days=8)),
        proceedings_mandataire="Me Anne Bertin, mandataire judiciaire",
        proceedings_mandataire_address="5 rue Crébillon, 44000 Nantes"))
    issued = today - timedelta(days=80)
    invoices.create(session, actor, debtor, _invoice(
        "F-2026-077", issued, issued + timedelta(days=30), "1980.00", "Portes d'atelier"))


def _years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


