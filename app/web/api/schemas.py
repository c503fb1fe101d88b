"""Request and response bodies of the JSON API.

Inputs are strings where the user types them (amounts "1234.56", dates "2026-03-15"), so
the same French validation as the pages applies; outputs carry decimals as strings.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, PlainSerializer

Amount = Annotated[Decimal, PlainSerializer(lambda v: f"{v:.2f}", return_type=str)]
OptAmount = Annotated[
    Decimal | None, PlainSerializer(lambda v: None if v is None else f"{v:.2f}", return_type=str | None)
]


class Token(BaseModel):
    access_token: str
    token_type: str = "bearer"


class DebtorIn(BaseModel):
    kind: str = "company"
    legal_name: str
    legal_form: str = ""
    siren: str = ""
    is_merchant: bool = True
    street: str = ""
    postal_code: str = ""
    city: str = ""
    country: str = "FR"
    representative: str = ""
    contact_name: str = ""
    contact_street: str = ""
    contact_postal_code: str = ""
    contact_city: str = ""
    email: str = ""
    phone: str = ""
    proceedings_kind: str = ""
    proceedings_judgment_date: str | None = None
    proceedings_bodacc_date: str | None = None
    proceedings_mandataire: str = ""
    proceedings_mandataire_address: str = ""
    notes: str = ""


class DebtorOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    kind: str
    legal_name: str
    legal_form: str
    siren: str
    is_merchant: bool
    street: str
    postal_code: str
    city: str
    country: str
    representative: str
    contact_name: str
    contact_street: str
    contact_postal_code: str
    contact_city: str
    email: str
    phone: str
    proceedings_kind: str
    proceedings_judgment_date: date | None
    proceedings_bodacc_date: date | None
    proceedings_mandataire: str
    proceedings_mandataire_address: str
    notes: str
    outstanding: Amount
    oldest_due_date: date | None
    invoice_count: int


class InvoiceIn(BaseModel):
    number: str
    issue_date: str
    delivery_date: str | None = None
    due_date: str
    amount_ht: str
    amount_tva: str
    amount_ttc: str
    description: str = ""
    contractual_rate: str | None = None
    goods_transport: bool = Field(
        default=False,
        description="Créance née d'un contrat de transport de marchandises : prescription d'un "
        "an à compter de la livraison (C. com. L133-6).",
    )


class InvoiceOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    debtor_id: int
    number: str
    issue_date: date
    delivery_date: date | None
    due_date: date
    amount_ht: Amount
    amount_tva: Amount
    amount_ttc: Amount
    description: str
    contractual_rate: OptAmount
    paid: Amount
    balance: Amount


class PaymentIn(BaseModel):
    date: str
    amount: str
    reference: str = ""
    kind: str = "payment"  # payment | credit_note
    # A payment above the invoice's balance is refused (422, field "excess") until the client
    # says what to do with the excess: trop_percu | avoir | other_invoice (+ excess_invoice_id).
    excess: str = ""
    excess_invoice_id: str = ""


class PaymentOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    debtor_id: int
    invoice_id: int | None
    date: date
    amount: Amount
    reference: str
    kind: str
    # trop_percu | avoir: the part above the invoice is kept aside as chosen, imputed on no
    # other debt; "" otherwise
    excess: str = ""


class StepIn(BaseModel):
    kind: str
    date: str
    channel: str = ""
    level: int | None = None
    reference: str = ""
    end_date: str | None = None
    to_person: bool | None = Field(
        None, description="Signification only: true when served to the person (CPC 1416); "
                          "false or left out, not to the person: no opposition deadline.")
    amount: str | None = None
    deadline_days: int | None = None
    notes: str = ""


class StepOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    debtor_id: int
    kind: str
    date: date
    channel: str
    level: int | None
    reference: str
    end_date: date | None
    to_person: bool | None
    amount: OptAmount
    deadline_days: int | None
    notes: str
