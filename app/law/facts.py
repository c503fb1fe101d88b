"""Plain facts describing one debtor's file, as the services read them from the database.

The checklist (readiness.py) and the route advice (procedures.py) read these small frozen
dataclasses; they never see the ORM. Every field has a neutral default so a service (or a test)
fills in only what it knows.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Literal, Protocol

from app.law.calendar import department_from_postcode, normalise_department
from app.law.interest import DebtorKind
from app.law.prescription import Prescription

ProofKind = Literal["posting", "receipt", "unclaimed", "lre", "commissaire"]
# posting = preuve de dépôt du recommandé; receipt = AR signé; unclaimed = pli avisé non
# réclamé (valid, Cass. 1re civ. 20 Jan 2021); lre = LRE qualifiée (CPCE L100);
# commissaire = sommation signifiée par commissaire de justice.

# ISO 3166-1 codes under French civil procedure (overseas departments and collectivities).
FRANCE_CODES = frozenset({"FR", "GP", "MQ", "GF", "RE", "YT", "PM", "BL", "MF"})
# EU member states where the European order for payment applies (Reg. 1896/2006; not Denmark).
EUROPEAN_ORDER_CODES = frozenset(
    {
        "AT",
        "BE",
        "BG",
        "CY",
        "CZ",
        "DE",
        "EE",
        "ES",
        "FI",
        "GR",
        "EL",
        "HR",
        "HU",
        "IE",
        "IT",
        "LT",
        "LU",
        "LV",
        "MT",
        "NL",
        "PL",
        "PT",
        "RO",
        "SE",
        "SI",
        "SK",
    }
)


@dataclass(frozen=True)
class CreditorFacts:
    name: str = ""
    legal_form: str = ""
    siren: str = ""
    rcs_city: str = ""
    registered_office: str = ""
    representative: str = ""
    commercial: bool = True  # commerçant or commercial company (L126-1 route)
    # A natural person (EI, liberal profession): CPC 54 3° a) asks for these mentions.
    natural_person: bool = False
    profession: str = ""
    nationality: str = ""
    birth_date: date | None = None
    birth_place: str = ""


@dataclass(frozen=True)
class CourtFacts:
    """The court the requête is addressed to, as the user named it (CPC 54 1°)."""

    kind: str = ""  # tribunal_commerce | tae | tribunal_judiciaire | chambre_commerciale_tj
    name: str = ""
    street: str = ""
    postcode: str = ""
    city: str = ""


@dataclass(frozen=True)
class DebtorFacts:
    kind: DebtorKind = "professional"
    name: str = ""
    is_company: bool = True  # a legal person: needs its registered office and SIREN
    siren: str = ""
    registered_office: str = ""  # siège social (company) or domicile (person)
    postcode: str = ""
    city: str = ""
    department: str | None = None  # derived from the postcode when not given
    country: str = "FR"  # ISO 3166-1 alpha-2
    commercial: bool = True  # commerçant / commercial company → commercial court

    @property
    def resolved_department(self) -> str | None:
        return normalise_department(self.department) or department_from_postcode(self.postcode)

    @property
    def country_code(self) -> str:
        return self.country.strip().upper()

    @property
    def in_france(self) -> bool:
        return self.country_code in FRANCE_CODES

    @property
    def is_commercial_claim(self) -> bool:
        """Commercial court only for a commerçant or commercial company (LAW.md §5)."""
        return self.kind == "professional" and self.commercial


@dataclass(frozen=True)
class InvoiceFacts:
    number: str
    due_date: date | None
    has_invoice_doc: bool = False
    has_acceptance_doc: bool = False  # signed quote, order, contract, signed delivery note
    has_performance_doc: bool = False  # delivery note, acceptance report or equivalent


@dataclass(frozen=True)
class MiseEnDemeureFacts:
    sent_on: date | None = None
    to_registered_office: bool = False  # siège social, or domicile for a person
    proofs: frozenset[ProofKind] = frozenset()
    deadline: date | None = None  # last day left to the debtor (LAW.md §4)
    deadline_estimated: bool = False  # no AR recorded: letter date + 3 days + N days


@dataclass(frozen=True)
class OrdonnanceFacts:
    """An injonction de payer already rendered (LAW.md §5, after the ordonnance)."""

    rendered_on: date
    served_on: date | None = None
    opposition: bool = False


@dataclass(frozen=True)
class CollectiveProceedingsFacts:
    kind: str = ""  # "sauvegarde", "redressement", "liquidation" or "" (none, or not said)
    opened_on: date | None = None
    bodacc_published_on: date | None = None
    claim_declared: bool = False

    @property
    def in_progress(self) -> bool:
        # a déclaration de créance is made in collective proceedings only (C. com. L622-24)
        return bool(self.kind) or self.opened_on is not None or self.claim_declared


class DatedStep(Protocol):
    @property
    def kind(self) -> str: ...

    @property
    def date(self) -> date: ...


# The steps of a file that tell of collective proceedings: the opening judgment, and a claim
# declared in them (C. com. L622-21, L622-24).
OPENING_STEP, DECLARATION_STEP = "collective_proceedings", "claim_declaration"
COLLECTIVE_STEPS = frozenset({OPENING_STEP, DECLARATION_STEP})


def collective_proceedings(kind: str, judgment_date: date | None, bodacc_date: date | None,
                           steps: Iterable[DatedStep]) -> CollectiveProceedingsFacts:
    """The debtor's collective proceedings, the one reading of the stage, the reminders, the
    décompte, the alerts and the checklist: the debtor's own fields when its form names the
    proceedings (`kind`); else an "Ouverture d'une procédure collective" step gives the
    opening date (the first: C. com. L622-28 stops interest from it), kind not said; a
    déclaration de créance recorded alone says they are opened, date unknown."""
    recorded = [s for s in steps if s.kind in COLLECTIVE_STEPS]
    declared = any(s.kind == DECLARATION_STEP for s in recorded)
    opening = min((s.date for s in recorded if s.kind == OPENING_STEP), default=None)
    if kind:
        return CollectiveProceedingsFacts(kind, judgment_date or opening, bodacc_date, declared)
    return CollectiveProceedingsFacts("", opening, None, declared)


@dataclass(frozen=True)
class FileFacts:
    as_of: date
    creditor: CreditorFacts = CreditorFacts()
    debtor: DebtorFacts = DebtorFacts()
    invoices: tuple[InvoiceFacts, ...] = ()
    balance: Decimal | None = None  # principal still unpaid; None = décompte not computed
    open_dispute: bool = False
    reminders_count: int = 0
    mise_en_demeure: MiseEnDemeureFacts = MiseEnDemeureFacts()
    prescription: Prescription | None = None  # the most urgent one of the file
    collective: CollectiveProceedingsFacts = CollectiveProceedingsFacts()
    contractual: bool = True  # a contractual claim (petites créances, CPCE L125-1)
    court: CourtFacts | None = None  # the named court (chosen, or remembered for the city)
    goods_transport: bool = False  # carriage of goods: 1 year from delivery (C. com. L133-6)
    undelivered: tuple[str, ...] = ()  # transport invoices without a delivery date
    transport_prescription: Prescription | None = None  # the most urgent carriage one
    ordonnance: OrdonnanceFacts | None = None  # the last injonction de payer rendered
