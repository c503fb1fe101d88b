"""Bodies of the calculators' API (contracts fixed by issue 4: keep every name).

Dates are ISO strings, amounts and rates decimal strings with two decimals. Issue 13 added only
optional request fields (`notice_by_due_date`, `basis`, `claim`, `court_location`) and made
`opposition_deadline` nullable when service was not made to the person; each is described here
for the OpenAPI document.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import BaseModel, Field, PlainSerializer

Money = Annotated[Decimal, PlainSerializer(lambda v: f"{v:.2f}", return_type=str)]
MoneyIn = Annotated[Decimal, Field(ge=0, le=Decimal("999999999.99"), max_digits=11, decimal_places=2)]
RateIn = Annotated[Decimal, Field(ge=0, le=100, max_digits=5, decimal_places=2)]
Day = Annotated[date, Field(ge=date(1990, 1, 1), le=date(2100, 12, 31))]


class DecompteInvoiceIn(BaseModel):
    number: str = Field(min_length=1, max_length=60)
    amount: MoneyIn
    issue_date: Day
    due_date: Day
    contractual_rate: RateIn | None = None


class DecomptePaymentIn(BaseModel):
    invoice: str | None = Field(
        default=None,
        description="Facture désignée par le débiteur (C. civ. 1342-10 al. 1). Sans facture, le "
        "paiement est imputé selon l'article 1342-10 al. 2 : dettes échues d'abord, puis taux "
        "le plus élevé à la date du paiement, puis échéance la plus ancienne, puis "
        "proportionnellement (centime restant à la plus ancienne). La règle appliquée figure "
        "dans le `rule` de la période qui suit le paiement.",
    )
    date: Day
    amount: MoneyIn


class DecompteIn(BaseModel):
    as_of: Day
    debtor_kind: Literal["professional", "consumer"]
    formal_notice_date: Day | None = None
    collective_proceedings_opened: Day | None = None
    notice_by_due_date: bool = Field(
        default=False,
        description="Facultatif. Les conditions générales du créancier stipulent que le débiteur "
        "est mis en demeure par la seule échéance (C. civ. 1344) : contre un consommateur, les "
        "intérêts au taux légal courent dès le lendemain de l'échéance, sans lettre (un "
        "avertissement le dit). Sans effet contre un professionnel. Absent : faux.",
    )
    invoices: list[DecompteInvoiceIn] = Field(min_length=1, max_length=500)
    payments: list[DecomptePaymentIn] = Field(default_factory=list, max_length=5000)


class PeriodOut(BaseModel):
    start: date
    end: date
    days: int
    rate: Money
    base: Money
    amount: Money
    rule: str


class DecompteInvoiceOut(BaseModel):
    number: str
    principal: Money
    interest: Money
    indemnity: Money
    periods: list[PeriodOut]


class DecompteOut(BaseModel):
    principal: Money
    interest: Money
    indemnities: Money
    total: Money
    invoices: list[DecompteInvoiceOut]
    warnings: list[str]


class DeadlineIn(BaseModel):
    start: Day
    months: int = Field(default=0, ge=0, le=240)
    days: int = Field(default=0, ge=0, le=3650)
    department: str = Field(default="75", max_length=3)


class DeadlineOut(BaseModel):
    nominal: date
    deadline: date
    extended: bool
    reason: str


EventKind = Literal["acknowledgment", "partial_payment", "ip_service", "enforcement",
                    "claim_declaration", "suspension_start", "suspension_end"]


class PrescriptionEventIn(BaseModel):
    kind: EventKind
    date: Day
    basis: Literal["mediation", "instruction", "impossibility"] = Field(
        default="mediation",
        description="Facultatif, pour `suspension_start` : `mediation` (médiation, conciliation, "
        "petites créances, C. civ. 2238 ; par défaut), `instruction` (mesure d'instruction avant "
        "procès, 2239) — ces deux laissent au moins 6 mois après la fin — ou `impossibility` "
        "(impossibilité d'agir, 2234, sans minimum). Ignoré pour les autres événements.",
    )


class PrescriptionIn(BaseModel):
    debtor_kind: Literal["professional", "consumer"]
    start: Day
    events: list[PrescriptionEventIn] = Field(default_factory=list, max_length=200)
    as_of: Day
    claim: Literal["goods_transport"] | None = Field(
        default=None,
        description="Facultatif. `goods_transport` : action née d'un contrat de transport de "
        "marchandises (prix du transport compris) : un an à compter de la livraison (C. com. "
        "L133-6), `start` étant la date de livraison. Absent : 5 ans (professionnel) ou 2 ans "
        "(consommateur). Le délai butoir de 20 ans ne plafonne pas le délai ouvert par "
        "`ip_service` ou `enforcement` (C. civ. 2232 al. 2).",
    )


class PrescriptionOut(BaseModel):
    deadline: date
    prescribed: bool
    days_left: int
    explanation: list[str]


class InjonctionIn(BaseModel):
    ordonnance_date: Day
    service_date: Day | None = None
    service_to_person: bool = Field(
        default=True,
        description="Signification faite à personne. Faux : aucun délai d'opposition ne peut "
        "être fixé (CPC 1416 al. 2), `opposition_deadline` est null ; `enforceable_from` reste "
        "donné (CPC 1422).",
    )
    debtor_location: Literal["metropole", "overseas", "abroad"] = "metropole"
    court_location: Literal["metropole", "overseas"] = Field(
        default="metropole",
        description="Facultatif. Où siège la juridiction qui a rendu l'ordonnance. `metropole` "
        "(par défaut) : +1 mois pour un débiteur outre-mer, +2 mois à l'étranger (CPC 643). "
        "`overseas` : +1 mois pour un débiteur qui ne demeure pas dans la collectivité de la "
        "juridiction (métropole comprise), +2 mois à l'étranger, rien pour un débiteur qui y "
        "demeure (CPC 644) ; un débiteur `overseas` est alors réputé demeurer dans la "
        "collectivité de la juridiction (la sienne, CPC 1406).",
    )


class InjonctionOut(BaseModel):
    regime: Literal["pre-2022", "2022", "2026"]
    service_deadline: date = Field(
        description="Terme du délai de signification (CPC 1411), sans prorogation.")
    service_last_day: date = Field(
        description="Dernier jour pour signifier : le terme prorogé au premier jour ouvrable "
        "suivant s'il tombe un samedi, un dimanche ou un jour férié (CPC 642). L'ordonnance "
        "n'est non avenue qu'après ce jour.")
    opposition_deadline: date | None = Field(
        description="Dernier jour pour former opposition ; null sans signification, après une "
        "signification tardive, ou quand la signification n'a pas été faite à personne (CPC "
        "1416 al. 2 : le délai ne court qu'à compter du premier acte signifié à personne ou de "
        "la première mesure rendant les biens indisponibles).",
    )
    enforceable_from: date | None
    explanation: list[str]
