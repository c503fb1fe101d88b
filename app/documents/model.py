"""Plain inputs of the documents: the parties, the exhibits and what each letter needs.

Services fill these from the database; templates only read them. Amounts come from the
décompte of `app.law.interest`, never from the invoices' stored balances.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from app.documents.envelope import country_line
from app.law.interest import Decompte
from app.law.procedures import PRESIDENTS


@dataclass(frozen=True)
class Party:
    """A creditor or a debtor as a document names it."""

    name: str
    is_company: bool = True
    legal_form: str = ""
    siren: str = ""
    rcs_city: str = ""
    street: str = ""
    postal_code: str = ""
    city: str = ""
    country: str = "FR"
    representative: str = ""
    representative_title: str = ""
    email: str = ""
    phone: str = ""
    iban: str = ""
    bic: str = ""
    # A natural person before a court (CPC 54 3° a)
    profession: str = ""
    nationality: str = ""
    birth_date: date | None = None
    birth_place: str = ""

    @property
    def address_lines(self) -> tuple[str, ...]:
        return tuple(line for line in (self.street, *self.town_lines) if line)

    @property
    def town_lines(self) -> tuple[str, ...]:
        """The postcode and town, then the country abroad: what the post reads first."""
        town = " ".join(part for part in (self.postal_code, self.city.upper()) if part)
        return tuple(line for line in (town, country_line(self.country)) if line)

    @property
    def signer(self) -> str:
        """Who signs for the party: its representative, else the person itself (an EI)."""
        return self.representative or self.name

    @property
    def address(self) -> str:
        return ", ".join(self.address_lines)

    @property
    def siren_display(self) -> str:
        """'487654321' → '487 654 321'."""
        digits = self.siren.replace(" ", "")
        if len(digits) != 9:
            return self.siren
        return " ".join(digits[i : i + 3] for i in (0, 3, 6))

    @property
    def iban_display(self) -> str:
        compact = self.iban.replace(" ", "").upper()
        return " ".join(compact[i : i + 4] for i in range(0, len(compact), 4))

    @property
    def person_mentions(self) -> str:
        """CPC 54 3° a): 'architecte, né(e) le 04/05/1980 à Nantes, de nationalité française'."""
        born = f"né(e) le {self.birth_date.strftime('%d/%m/%Y')}" if self.birth_date else ""
        if born and self.birth_place:
            born += f" à {self.birth_place}"
        nationality = f"de nationalité {self.nationality}" if self.nationality else ""
        return ", ".join(part for part in (self.profession, born, nationality) if part)

    @property
    def identity(self) -> str:
        """'Durand BTP, SAS, SIREN 487 654 321, RCS Angers' (the parts that are known)."""
        parts = [self.name, self.legal_form]
        if self.siren:
            parts.append(f"SIREN {self.siren_display}")
        if self.rcs_city:
            parts.append(f"RCS {self.rcs_city}")
        return ", ".join(part for part in parts if part)


@dataclass(frozen=True)
class Piece:
    """One exhibit of the bordereau: its number, title and date."""

    number: int
    title: str
    date: date | None = None


@dataclass(frozen=True)
class LetterInput:
    """A relance (level 1-3) or a mise en demeure."""

    kind: str  # relance_1 | relance_2 | relance_3 | mise_en_demeure
    date: date
    creditor: Party
    debtor: Party
    decompte: Decompte
    deadline: date | None = None  # mise en demeure: last day given to pay
    deadline_days: int | None = None
    channel: str = "lrar"  # lrar | lre (mise en demeure)
    draft: bool = True  # "PROJET" until recorded as sent
    sent_reference: str = ""  # recommandé number, once sent
    signatory: str = ""
    notice_by_due_date: bool = False  # the creditor's terms make the due date the notice (1344)

    @property
    def level(self) -> int:
        return int(self.kind[-1]) if self.kind.startswith("relance_") else 0


@dataclass(frozen=True)
class CourtInput:
    kind: str  # tribunal_commerce | tae | tribunal_judiciaire | chambre_commerciale_tj
    label: str  # "Président du tribunal de commerce d'Angers"
    name: str = ""  # "Tribunal de commerce d'Angers"
    street: str = ""
    postal_code: str = ""
    city: str = ""
    # the judge alone, as app/law/procedures.py determined it ("Président du tribunal mixte de
    # commerce" overseas); "" = the one of the court type (`PRESIDENTS`)
    president: str = ""

    @property
    def judge(self) -> str:
        """The président the requête is addressed to (CPC 1406), without the place."""
        if self.president:
            return self.president
        if self.kind not in PRESIDENTS:
            raise ValueError(f"juridiction inconnue : {self.kind}")
        return PRESIDENTS[self.kind]

    @property
    def address_lines(self) -> tuple[str, ...]:
        town = " ".join(part for part in (self.postal_code, self.city.upper()) if part)
        return tuple(line for line in (self.name, self.street, town) if line)


@dataclass(frozen=True)
class RequeteInput:
    """A free-form requête en injonction de payer (CPC 1407 with 54 and 57)."""

    date: date
    creditor: Party
    debtor: Party
    court: CourtInput
    decompte: Decompte
    pieces: tuple[Piece, ...]
    refer_if_opposed: bool = False  # CPC 1408: immediate referral to the court on opposition
    notice_date: date | None = None  # date of the mise en demeure, if sent
    signatory: str = ""


@dataclass(frozen=True)
class DeclarationInput:
    """A déclaration de créance to the mandataire judiciaire or liquidateur
    (C. com. L622-24, L622-25, R622-23)."""

    date: date
    creditor: Party
    debtor: Party
    mandataire: str  # "Me Anne Martin, mandataire judiciaire"
    mandataire_address: str
    proceedings: str  # "liquidation judiciaire"
    opened_on: date  # the opening judgment: interest stops the day before (L622-28)
    decompte: Decompte  # at the opening day, every invoice still owed
    pieces: tuple[Piece, ...]
    bodacc_on: date | None = None
    security: str = ""  # nature of any privilege or security (L622-25); "" = chirographaire
    seized: str = ""  # the court already seized of the claim, if any (R622-23 3°)
    channel: str = "lrar"
    sent_reference: str = ""
    signatory: str = ""
    draft: bool = False  # "PROJET" until recorded as sent, as a mise en demeure
