"""Plain document inputs (`app.documents.model`) built from a debtor's rows."""

from __future__ import annotations

from sqlmodel import Session

from app.documents.model import CourtInput, Party, Piece
from app.models import Court, Creditor, Debtor, Evidence
from app.services import evidence
from app.services.courts import court_type
from app.vocabulary import EVIDENCE_KINDS


def creditor_party(creditor: Creditor) -> Party:
    return Party(
        name=creditor.legal_name,
        is_company=not creditor.natural_person,
        legal_form=creditor.legal_form,
        siren=creditor.siren,
        rcs_city=creditor.rcs_city,
        street=creditor.street,
        postal_code=creditor.postal_code,
        city=creditor.city,
        country=creditor.country,
        representative=creditor.representative,
        representative_title=creditor.representative_title,
        email=creditor.contact_email,
        phone=creditor.contact_phone,
        iban=creditor.iban,
        bic=creditor.bic,
        profession=creditor.profession,
        nationality=creditor.nationality,
        birth_date=creditor.birth_date,
        birth_place=creditor.birth_place,
    )


def debtor_party(debtor: Debtor) -> Party:
    """A company at its registered office (siège social), a person at home (LAW.md §4)."""
    return Party(
        name=debtor.legal_name,
        is_company=debtor.kind == "company",
        legal_form=debtor.legal_form,
        siren=debtor.siren,
        street=debtor.street,
        postal_code=debtor.postal_code,
        city=debtor.city,
        country=debtor.country,
        representative=debtor.representative,
        email=debtor.email,
        phone=debtor.phone,
    )


def pieces(session: Session, debtor: Debtor) -> tuple[Piece, ...]:
    """The bordereau: the active exhibits in their order, with the numbers they keep for the
    case (LAW.md §5; `evidence.numbered`)."""
    return _as_pieces(session, evidence.numbered(evidence.of_debtor(session, debtor)))


def produced_pieces(session: Session, debtor: Debtor) -> tuple[Piece, ...]:
    """The bordereau of a paper that produces the pièces (requête, déclaration): their numbers
    are kept from now on (LAW.md §5, `evidence.produce`). The caller commits."""
    return _as_pieces(session, evidence.produce(session, debtor))


def _as_pieces(session: Session, numbered: list[tuple[int, Evidence]]) -> tuple[Piece, ...]:
    """Each pièce with its title and date; an undated invoice is dated by its invoice's issue
    date (`evidence.piece_dates`)."""
    dates = evidence.piece_dates(session, [e for _, e in numbered])
    return tuple(
        Piece(number, e.title or EVIDENCE_KINDS.get(e.kind, e.original_name), dates.get(e.id))  # type: ignore[arg-type]
        for number, e in numbered
    )


def court_input(debtor: Debtor, court: Court | None) -> CourtInput:
    """The court type the app determined, with the name and address the user confirmed."""
    determined = court_type(debtor)
    if court is None:
        return CourtInput(determined.kind, determined.label, president=determined.president)
    return CourtInput(
        determined.kind, determined.label, court.name, court.street, court.postal_code, court.city,
        determined.president,
    )
