"""The front matter of the claim file: cover, summary, chronology and décompte, as PDFs.

Everything comes from the file as it stands on the file's date: the figures from
`debtor_decompte` (the same as the décompte API and the letters: the invoices due with
something owed, `claimed_part`), the checklist, alerts, routes and court from `file_view`,
the facts and the chronology from the debtor's invoices, payments, steps and exhibits.
Each part is rendered with WeasyPrint (bundled fonts, same bytes for the same input).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlmodel import Session

from app.documents.claimfile import FrontPart
from app.documents.letters import amounts_context, claimed_part, footer_line
from app.documents.render import PdfMeta, render_pdf
from app.formatting import date_fr, eur
from app.law.decompte_types import Decompte, InvoiceDecompte
from app.law.severity import Judged, judge_all
from app.models import Debtor, Evidence
from app.services import law_facts
from app.services.debtor_file import requete_court
from app.services.document_inputs import creditor_party, debtor_party
from app.services.file_view import STATUS_LABELS, file_view
from app.vocabulary import CALL_OUTCOMES, EVIDENCE_KINDS, PROCEEDINGS_KINDS, STEP_KINDS

PARTS = (("cover", "Page de garde"), ("summary", "Résumé"), ("chronology", "Chronologie"),
         ("decompte", "Décompte"))
CHANNELS = {"lrar": "lettre recommandée avec AR", "lre": "lettre recommandée électronique",
            "email": "e-mail", "letter": "courrier simple", "phone": "téléphone",
            "commissaire": "commissaire de justice"}


@dataclass(frozen=True)
class Event:
    date: date
    label: str
    detail: str = ""
    pieces: tuple[int, ...] = ()


def front_context(session: Session, debtor: Debtor, file_date: date,
                  numbering: list[tuple[int, Evidence]], version: int) -> dict[str, Any]:
    """What the four front-matter templates read."""
    file = law_facts.load(session, debtor, file_date)
    view = file_view(session, debtor, file_date)
    claimed = claimed_part(view.decompte, file_date)
    creditor = creditor_party(file.creditor)
    numbers = {e.id: n for n, e in numbering}
    return {
        **amounts_context(claimed),
        "claimed": claimed,
        "creditor": creditor,
        "debtor": debtor_party(debtor),
        "footer": footer_line(creditor),
        "draft": False,
        "file_date": file_date,
        "version": version,
        "route": next((r for r in view.routes if r.recommended), None),
        "court": view.court,
        # the court the requête names (CPC 54 1°), when the file has one: the cover names it
        "named_court": requete_court(session, debtor) or file.court,
        "exhibit_count": len(numbering),
        "prescription": law_facts.most_urgent_prescription(file, file_date),
        "facts": facts(file, claimed, numbers),
        "checklist": view.checklist,
        "status_labels": STATUS_LABELS,
        # the same levels and actions as the debtor page (app/law/severity.py)
        "alerts": prescription_first(judge_all(view.alerts, file_date,
                                               collective=file.collective.in_progress)),
        "chronology": chronology(file, numbering),
        "collective": collective(file),
    }


@dataclass(frozen=True)
class Collective:
    """The debtor's collective proceedings: no action in payment, a claim to declare."""

    procedure: str  # "procédure de redressement judiciaire"
    opened: date
    bodacc: date | None


def collective(file: law_facts.DebtorFile) -> Collective | None:
    """Opened by a judgment of known date: the debtor's form, else a step of the file (kind
    not said) (decompte.collective_of)."""
    found = file.collective
    if found.opened_on is None:
        return None
    name = f"procédure de {PROCEEDINGS_KINDS[found.kind].lower()}" if found.kind \
        else "procédure collective"
    return Collective(name, found.opened_on, found.bodacc_published_on)


def prescription_first(alerts: list[Judged]) -> list[Judged]:
    return sorted(alerts, key=lambda j: j.alert.key != "prescription")


def _pieces(file: law_facts.DebtorFile, numbers: dict[int | None, int], *kinds: str) -> str:
    found = sorted(numbers[e.id] for e in file.exhibits if e.kind in kinds and e.id in numbers)
    if not found:
        return ""
    return " (pièce" + ("s" if len(found) > 1 else "") + " n° " + \
        ", ".join(str(n) for n in found) + ")"


def facts(file: law_facts.DebtorFile, claimed: Decompte,
          numbers: dict[int | None, int]) -> list[str]:
    """The facts in a few sentences: what was sold, invoiced, paid, claimed and when. What is
    left of each invoice is the décompte's principal: a payment paid the interest accrued on
    it first (C. civ. 1343-1), so the figures agree with the décompte that follows."""
    creditor, debtor = file.creditor.legal_name, file.debtor.legal_name
    sentences = []
    sold = [inv for inv in file.invoices if inv.description]
    if sold:
        # " ; ": French typography; typeset turns the typed space into a no-break one and
        # never adds a space that was not typed (app/documents/french.py)
        works = " ; ".join(f"{inv.description} ({_delivered(inv)})" for inv in sold)
        agreed = _pieces(file, numbers, "signed_quote", "purchase_order", "contract")
        sentences.append(f"{creditor} a fourni à {debtor} : {works}{agreed}.")
    left = {row.number: row for row in claimed.invoices}
    for inv in file.invoices:
        row = left.get(inv.number)
        sentences.append(f"Facture {inv.number} émise le {date_fr(inv.issue_date)}, échue le "
                         f"{date_fr(inv.due_date)}, de {eur(inv.amount_ttc)} TTC ; il en reste "
                         f"{eur(row.principal if row else inv.balance)} à payer en principal"
                         f"{_to_interest(row, claimed.debtor_kind)}.")
    sentences.append(_payments(file))
    sentences += _demands(file, numbers)
    opened = collective(file)
    if opened is not None:  # C. com. L622-21, L622-24, L622-28
        sentences.append(
            f"Une {opened.procedure} a été ouverte par jugement du {date_fr(opened.opened)}"
            + (f", publié au BODACC le {date_fr(opened.bodacc)}" if opened.bodacc else "")
            + f" : les poursuites individuelles sont interrompues ; la créance à déclarer, "
            f"{_included(claimed)}, arrêtée au jugement d'ouverture, est de "
            f"{eur(claimed.total)} (détail au décompte).")
        return sentences
    sentences.append(f"À la date du dossier, la somme réclamée, {_included(claimed)}, est de "
                     f"{eur(claimed.total)} (détail au décompte).")
    return sentences


def _to_interest(row: InvoiceDecompte | None, debtor_kind: str) -> str:
    """What of the payments went to the interest first (C. civ. 1343-1), if any: late-payment
    penalties for a business, legal interest for a consumer."""
    paid = row.paid_to_interest if row else Decimal(0)
    if not paid:
        return ""
    what = "d'intérêts échus" if debtor_kind == "consumer" else "de pénalités de retard échues"
    return f", les paiements ayant d'abord réglé {eur(paid)} {what} (C. civ. 1343-1)"


def _included(claimed: Decompte) -> str:
    """What the total holds besides the principal: penalties and the 40 € for a business,
    legal interest for a consumer (LAW.md §2.3)."""
    if claimed.debtor_kind == "consumer":
        return "intérêts au taux légal compris" if claimed.interest else "en principal"
    if claimed.indemnities:
        return "pénalités de retard et indemnités forfaitaires comprises"
    return "pénalités de retard comprises" if claimed.interest else "en principal"


def _delivered(invoice: Any) -> str:
    if invoice.delivery_date:
        return f"livraison ou achèvement le {date_fr(invoice.delivery_date)}"
    return f"facturé le {date_fr(invoice.issue_date)}"


def _payments(file: law_facts.DebtorFile) -> str:
    """What the debtor paid, then the avoirs granted: an avoir is no payment of his."""
    paid = [p for p in file.payments if p.kind != "credit_note"]
    credited = [p for p in file.payments if p.kind == "credit_note"]
    listed = ", ".join(f"{eur(p.amount)} le {date_fr(p.date)}" for p in paid)
    said = (f"{file.debtor.legal_name} a payé en tout {eur(sum(p.amount for p in paid))} : "
            f"{listed}." if paid else f"{file.debtor.legal_name} n'a fait aucun paiement.")
    if credited:
        count = len(credited)
        said += (f" {'Des avoirs ont' if count > 1 else 'Un avoir a'} été accordé"
                 f"{'s' if count > 1 else ''} : "
                 + ", ".join(f"{eur(p.amount)} le {date_fr(p.date)}" for p in credited) + ".")
    return said


def _demands(file: law_facts.DebtorFile, numbers: dict[int | None, int]) -> list[str]:
    sentences = []
    reminders = file.steps_of("reminder")
    if reminders:
        listed = ", ".join(f"le {date_fr(s.date)} par {CHANNELS.get(s.channel, s.channel)}"
                           if s.channel else f"le {date_fr(s.date)}" for s in reminders)
        count = len(reminders)
        sentences.append(f"{count} relance{'s' if count > 1 else ''} "
                         f"{'ont' if count > 1 else 'a'} été adressée{'s' if count > 1 else ''} "
                         f"{listed}{_pieces(file, numbers, 'reminder_copy')}.")
    else:
        sentences.append("Aucune relance n'a été enregistrée.")
    notice = law_facts.last(file.steps_of("mise_en_demeure"))
    if notice is None:
        sentences.append("Aucune mise en demeure n'a été envoyée.")
        return sentences
    how = CHANNELS.get(notice.channel, notice.channel) if notice.channel else ""
    sentences.append(
        f"Une mise en demeure a été envoyée le {date_fr(notice.date)}"
        + (f" par {how}" if how else "")
        + (f" (n° {notice.reference})" if notice.reference else "")
        + f", avec un délai de {notice.deadline_days or 8} jours pour payer"
        + _pieces(file, numbers, "mise_en_demeure_copy", "posting_proof") + ".")
    sentences.append(_receipt(file, notice.date, numbers))
    return sentences


def _receipt(file: law_facts.DebtorFile, sent: date, numbers: dict[int | None, int]) -> str:
    signed = [s for s in file.steps_of("ar_signed") if s.date >= sent]
    unclaimed = [s for s in file.steps_of("pli_non_reclame") if s.date >= sent]
    if signed:
        return f"L'avis de réception a été signé le {date_fr(signed[0].date)}" \
            f"{_pieces(file, numbers, 'ar_signed')}."
    if unclaimed:
        return f"Le pli, avisé, n'a pas été réclamé (retour le " \
            f"{date_fr(unclaimed[0].date)}){_pieces(file, numbers, 'ar_unclaimed')}."
    proof = _pieces(file, numbers, "ar_signed", "ar_unclaimed", "lre_proof")
    if proof:
        return f"La preuve de réception est au dossier{proof}."
    return "Aucun avis de réception n'est au dossier."


def chronology(file: law_facts.DebtorFile, numbering: list[tuple[int, Evidence]]) -> list[Event]:
    """Every dated event, oldest first (same day: invoices, then steps, then documents)."""
    events: list[tuple[date, int, Event]] = []
    for inv in file.invoices:
        if inv.delivery_date and inv.delivery_date != inv.issue_date:
            events.append((inv.delivery_date, 0, Event(
                inv.delivery_date, f"Livraison / achèvement (facture {inv.number})",
                inv.description)))
        events.append((inv.issue_date, 1, Event(
            inv.issue_date, f"Facture {inv.number} émise — {eur(inv.amount_ttc)} TTC",
            inv.description)))
        events.append((inv.due_date, 2, Event(inv.due_date,
                                              f"Échéance de la facture {inv.number}")))
    for p in file.payments:
        label = "Avoir" if p.kind == "credit_note" else "Paiement reçu"
        events.append((p.date, 3, Event(p.date, f"{label} : {eur(p.amount)}", p.reference)))
    for s in file.steps:
        events.append((s.date, 4, Event(s.date, _step_label(s), s.notes)))
    opened = collective(file)
    if opened is not None and file.collective.kind:  # else its step is in the chronology
        events.append((opened.opened, 4, Event(
            opened.opened, f"Jugement d'ouverture d'une {opened.procedure}",
            f"Mandataire : {file.debtor.proceedings_mandataire}"
            if file.debtor.proceedings_mandataire else "")))
        if opened.bodacc:
            events.append((opened.bodacc, 4, Event(
                opened.bodacc, "Publication du jugement d'ouverture au BODACC",
                "point de départ du délai de déclaration (C. com. R622-24)")))
    events.extend(_promise_events(file))
    for number, e in numbering:
        if e.document_date:
            events.append((e.document_date, 5, Event(
                e.document_date, e.title or e.original_name,
                EVIDENCE_KINDS.get(e.kind, e.kind), pieces=(number,))))
    return [event for _day, _rank, event in sorted(events, key=lambda t: (t[0], t[1]))]


def _promise_events(file: law_facts.DebtorFile) -> list[tuple[date, int, Event]]:
    """A promise to pay on the day it was made (after the call it came from), and on its date
    the fact that it was not kept. A cancelled one (withdrawn, or typed by mistake) is left
    out, as everything but the history leaves it out."""
    events = []
    for p in file.promises:
        if p.status == "cancelled":
            continue
        kept = " — tenue" if p.status == "kept" else ""
        events.append((p.made_on, 4, Event(
            p.made_on, f"Promesse de paiement : {eur(p.amount)} au {date_fr(p.due_date)}{kept}",
            "" if p.step_id else p.note)))
        if p.status == "broken":
            events.append((p.due_date, 2, Event(
                p.due_date, f"Promesse de paiement du {date_fr(p.made_on)} non tenue "
                            f"({eur(p.amount)} non payés à cette date)")))
    return events


def _step_label(step: Any) -> str:
    label = STEP_KINDS.get(step.kind, step.kind)
    if step.kind == "reminder" and step.level:
        label = f"Relance n° {step.level}"
    extra = []
    if step.channel:
        extra.append(CHANNELS.get(step.channel, step.channel))
    if step.reference:
        extra.append(f"n° {step.reference}")
    if step.amount:
        extra.append(eur(step.amount))
    outcome = CALL_OUTCOMES.get(step.outcome, "") if step.kind == "call" else ""
    return (label + (f" ({', '.join(extra)})" if extra else "")
            + (f" — {outcome.lower()}" if outcome else ""))


def render_front(context: dict[str, Any], workdir: Path, title: str, author: str,
                 ) -> list[FrontPart]:
    """The four parts as PDF files in `workdir`, in order."""
    parts = []
    for name, label in PARTS:
        meta = PdfMeta(title=f"{title} — {label}", author=author, created=context["file_date"])
        rendered = render_pdf(f"documents/claimfile/{name}.html", context, meta)
        path = workdir / f"{name}.pdf"
        path.write_bytes(rendered.data)
        parts.append(FrontPart(label, path))
    return parts
