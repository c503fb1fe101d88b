"""A reminder e-mail: its French text per template, its figures and its attached invoices.

Every figure comes from the décompte (`app.services.decompte`), as in the letters and the
claim file: each invoice with its due date and balance, then, for a business debtor, the
late-payment penalties and the 40 € indemnity (C. com. L441-10 II, D441-5); a consumer owes
neither, only legal interest once on notice (a mise en demeure, or the mere due date when the
creditor's terms say so, C. civ. 1344), which the e-mail counts as the letter of the same day
does (`claimed_part`). Nothing says or implies that a reminder
interrupts prescription (Cass. com. 18 May 2022, n° 20-23.204). The invoices are attached when
the file holds them as a pièce of kind "invoice" linked to them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from email.headerregistry import Address
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime, make_msgid

from sqlmodel import Session, col, select

from app.documents.eml import serialized
from app.documents.letters import UNVERIFIED
from app.documents.owed import relance_subject
from app.errors import DomainError
from app.jinja import strict_environment
from app.law.decompte_types import Decompte, InvoiceDecompte
from app.law.money import ZERO
from app.models import Creditor, Debtor, Evidence, EvidenceInvoice, Invoice, Step
from app.parsing import email_problem
from app.services.decompte import debtor_decompte
from app.storage import FileStore

OPENINGS = {
    "prevenance": "Sauf erreur de notre part, {les_factures} ci-dessous {arrive} prochainement "
                  "à échéance. Nous vous remercions de bien vouloir en prévoir le règlement "
                  "à la date indiquée.",
    "relance_1": "Sauf erreur ou omission de notre part, {les_factures} ci-dessous {reste} "
                 "impayée{s} à ce jour. Il s'agit peut-être d'un simple oubli : nous vous "
                 "remercions de bien vouloir procéder au règlement dans les meilleurs délais.",
    "relance_2": "Malgré notre précédent rappel, {les_factures} ci-dessous {reste} impayée{s}. "
                 "Nous vous prions de régler la somme due sous 15 jours.",
    "relance_3": "Malgré nos relances, {les_factures} ci-dessous {reste} impayée{s}. Sans "
                 "règlement sous 8 jours, nous vous adresserons une mise en demeure, préalable "
                 "à une procédure de recouvrement judiciaire.",
}
# relance 2 or 3 reached with no reminder recorded before (an old invoice, a first run): the
# letter cannot speak of "our previous reminders".
FIRST_OPENINGS = {
    "relance_2": "Sauf erreur de notre part, {les_factures} ci-dessous {reste} impayée{s} "
                 "malgré {leur} échéance. Nous vous prions de régler la somme due sous 15 jours.",
    "relance_3": "Sauf erreur de notre part, {les_factures} ci-dessous {reste} impayée{s} "
                 "malgré {leur} échéance. Sans règlement sous 8 jours, nous vous adresserons une "
                 "mise en demeure, préalable à une procédure de recouvrement judiciaire.",
}
INDEMNITY = Decimal("40.00")  # C. com. D441-5, per invoice paid late by a professional


@dataclass(frozen=True)
class Line:
    number: str
    due_date: date
    balance: Decimal
    penalties: Decimal
    indemnity: Decimal
    unverified: bool = False  # its penalties rest on a rate not yet confirmed (LAW.md §11)


@dataclass(frozen=True)
class Composed:
    eml: bytes
    message_id: str
    to_address: str
    subject: str
    attachments: tuple[str, ...]


def lines_for(session: Session, debtor: Debtor, invoices: list[Invoice], today: date
              ) -> tuple[list[Line], Decompte]:
    """Each invoice's balance, penalties (a consumer's legal interest) and indemnity at `today`,
    as the décompte has them; with the décompte itself."""
    decompte = debtor_decompte(session, debtor, today)
    rows: dict[str, InvoiceDecompte] = {row.number: row for row in decompte.invoices}
    lines = []
    for invoice in invoices:
        row = rows.get(invoice.number)
        overdue = row is not None and row.due_date < today
        lines.append(Line(invoice.number, invoice.due_date, row.principal if row else invoice.balance,
                          row.interest if overdue and row else ZERO,
                          row.indemnity if overdue and row else ZERO,
                          overdue and row is not None
                          and any(UNVERIFIED in p.rule for p in row.periods)))
    return lines, decompte


def invoice_pdfs(session: Session, store: FileStore, invoice_ids: list[int]) -> list[tuple[str, bytes]]:
    """The PDFs of the pièces of kind "invoice" linked to these invoices (active ones)."""
    rows = session.exec(select(Evidence).join(
        EvidenceInvoice, col(EvidenceInvoice.evidence_id) == col(Evidence.id)).where(
        col(EvidenceInvoice.invoice_id).in_(invoice_ids), Evidence.kind == "invoice",
        Evidence.media_type == "application/pdf", col(Evidence.withdrawn_at).is_(None))
        .order_by(col(Evidence.position), col(Evidence.id))).unique().all()
    return [(e.original_name if e.original_name.lower().endswith(".pdf")
             else f"{e.original_name}.pdf", store.read(e.sha256)) for e in rows]


def reminded(session: Session, debtor: Debtor, today: date) -> bool:
    """A relance was recorded for the debtor before today's."""
    return session.exec(select(Step.id).where(Step.debtor_id == debtor.id,
                                              Step.kind == "reminder", Step.date <= today)
                        ).first() is not None


def sender_of(creditor: Creditor, default_from: str) -> Address:
    """The creditor's sender (name, address), else CONTENTIEUX_SMTP_FROM."""
    address = creditor.sender_email or default_from
    if not address:
        raise DomainError("Aucune adresse d'expéditeur : renseignez celle du créancier "
                          "(profil) ou CONTENTIEUX_SMTP_FROM.")
    return Address(display_name=_one_line(creditor.sender_name or creditor.legal_name),
                   addr_spec=address)


def context(creditor: Creditor, debtor: Debtor, template: str, lines: list[Line],
            decompte: Decompte, reminded: bool = True) -> dict[str, object]:
    plural = len(lines) > 1
    texts = OPENINGS if reminded else {**OPENINGS, **FIRST_OPENINGS}
    opening = texts[template].format(
        les_factures="les factures" if plural else "la facture",
        arrive="arrivent" if plural else "arrive", reste="restent" if plural else "reste",
        s="s" if plural else "", leur="leur" if plural else "son")
    professional = decompte.debtor_kind == "professional"
    # The décompte's own figures, summed as the letter sums them (`claimed_part`): a consumer's
    # legal interest counts in the total as a business debtor's penalties do; no indemnity.
    penalties = sum((line.penalties for line in lines), ZERO)
    indemnities = sum((line.indemnity for line in lines), ZERO)
    balance = sum((line.balance for line in lines), ZERO)
    return {"creditor": creditor, "debtor": debtor, "template": template, "lines": lines,
            "opening": opening, "professional": professional, "overdue": template != "prevenance",
            "balance": balance, "penalties": penalties, "indemnities": indemnities,
            "legal_interest": not professional and penalties > ZERO,
            "notice_by_due_date": decompte.notice_by_due_date,
            "unverified": any(line.unverified for line in lines),
            "total": balance + penalties + indemnities,
            "signature": creditor.sender_name or creditor.representative}  # then its name


def subject_of(template: str, count: int) -> str:
    """The e-mail's subject, agreeing with the number of invoices (LAW.md §11)."""
    if template == "prevenance":
        return "Échéance prochaine"
    return relance_subject(int(template[-1]), count).capitalize()


def compose(session: Session, store: FileStore, creditor: Creditor, debtor: Debtor,
            template: str, invoice_ids: list[int], today: date, default_from: str,
            now: datetime | None = None) -> Composed:
    """The RFC 5322 message of one reminder, ready to hand to SMTP (or the outbox)."""
    problem = email_problem(debtor.email)
    if problem:  # saved before the debtor form refused it, or imported
        raise DomainError(f"adresse e-mail du débiteur inutilisable (« {debtor.email} ») : "
                          f"{problem} Corrigez-la sur la fiche du débiteur.")
    invoices = list(session.exec(select(Invoice).where(col(Invoice.id).in_(invoice_ids))
                                 .order_by(col(Invoice.due_date), col(Invoice.number))))
    lines, decompte = lines_for(session, debtor, invoices, today)
    values = context(creditor, debtor, template, lines, decompte, reminded(session, debtor, today))
    env = strict_environment()
    sender = sender_of(creditor, default_from)
    message = EmailMessage(policy=SMTP)
    subject = f"{subject_of(template, len(lines))} — {creditor.legal_name}"
    message["From"] = sender
    message["To"] = Address(display_name=_one_line(debtor.contact_name or debtor.legal_name),
                            addr_spec=debtor.email)
    if creditor.reply_to:
        message["Reply-To"] = creditor.reply_to
    message["Subject"] = _one_line(subject)
    message["Date"] = format_datetime(now or datetime.now(UTC))
    message_id = make_msgid(domain=sender.domain or "contentieux.invalid")
    message["Message-ID"] = message_id
    message.set_content(env.get_template("reminders/email.txt").render(values))
    message.add_alternative(env.get_template("reminders/email.html").render(values), subtype="html")
    pdfs = invoice_pdfs(session, store, invoice_ids)
    for name, data in pdfs:
        message.add_attachment(data, maintype="application", subtype="pdf", filename=name)
    return Composed(serialized(message), message_id, debtor.email, subject,
                    tuple(name for name, _ in pdfs))


def _one_line(text: str) -> str:
    return " ".join(text.split())

