"""The audit trail in French: field names, values and local times as the history shows them.

The audit stores column names and plain values ("city", "4558.43", "2025-09-30", UTC times);
the history page shows "Ville", "4 558,43", "30/09/2025" (times: `datetime_fr`, Paris). A test
checks that every field the services record has a label here (or is hidden as technical).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from app.formatting import date_fr, number_fr
from app.law.promises import STATUS_LABELS as PROMISE_STATUSES
from app.vocabulary import (
    CALL_OUTCOMES,
    DEBTOR_KINDS,
    DOCUMENT_KINDS,
    EVIDENCE_KINDS,
    PAYMENT_KINDS,
    PROCEEDINGS_KINDS,
    STEP_CHANNELS,
    STEP_KINDS,
)

HIDDEN = frozenset({"sha256", "zip_sha256", "draft_sha256", "court_id", "import_batch",
                    "invoice_id", "media_type", "size", "step_id", "reminder_scenario_id",
                    "ocr_sha256"})
FIELD_LABELS = {
    # what a pièce says (issue 19)
    "text_status": "Lecture du texte", "text_source": "Texte lu depuis",
    "use_ocr_copy": "Copie océrisée dans le dossier", "suggested_kind": "Nature suggérée",
    "suggested_date": "Date suggérée", "suggested_invoices": "Factures suggérées",
    "suggested_amounts": "Montants suggérés",
    # parties
    "kind": "Nature", "legal_name": "Nom", "legal_form": "Forme juridique", "siren": "SIREN",
    "siret": "SIRET", "rcs_city": "Ville du RCS", "is_merchant": "Commerçant",
    "street": "Adresse", "postal_code": "Code postal", "city": "Ville", "country": "Pays",
    "representative": "Représentant", "representative_title": "Fonction du représentant",
    "contact_name": "Contact", "contact_street": "Adresse de contact",
    "contact_postal_code": "Code postal de contact", "contact_city": "Ville de contact",
    "email": "E-mail", "phone": "Téléphone", "contact_email": "E-mail", "contact_phone":
    "Téléphone", "iban": "IBAN", "bic": "BIC", "default_penalty_rate": "Taux de pénalités",
    "payment_term_days": "Délai de paiement (jours)", "notes": "Notes",
    "proceedings_kind": "Procédure collective", "proceedings_judgment_date": "Date du jugement",
    "proceedings_bodacc_date": "Date de publication au BODACC",
    "proceedings_mandataire": "Mandataire judiciaire",
    "proceedings_mandataire_address": "Adresse du mandataire", "profession": "Profession",
    "nationality": "Nationalité", "birth_date": "Date de naissance",
    "birth_place": "Lieu de naissance", "security": "Sûreté ou privilège",
    "opened_on": "Jugement d'ouverture", "natural_person": "Personne physique",
    "notice_by_due_date": "Mise en demeure par la seule échéance",
    "goods_carrier": "Transporteur de marchandises",
    "goods_transport": "Transport de marchandises", "position": "Rang au bordereau",
    "portfolio_built": "Tableau de bord calculé",
    # invoices, payments, steps
    "number": "N°", "issue_date": "Date d'émission", "delivery_date": "Date de livraison",
    "due_date": "Échéance", "amount_ht": "Montant HT", "amount_tva": "TVA",
    "amount_ttc": "Montant TTC", "description": "Description",
    "contractual_rate": "Taux contractuel", "date": "Date", "amount": "Montant",
    "reference": "Référence", "channel": "Canal", "level": "Niveau", "end_date": "Fin",
    "to_person": "Remise à personne", "deadline_days": "Délai (jours)",
    "excess": "Excédent sur la facture",
    # exhibits and courts
    "title": "Intitulé", "document_date": "Date du document", "size": "Taille (octets)",
    "pages": "Pages", "original_name": "Fichier", "note": "Note",
    "withdrawn_reason": "Motif du retrait", "name": "Nom",
    # generated documents
    "invoices": "Factures", "principal": "Principal", "interest": "Intérêts ou pénalités",
    "indemnities": "Indemnités forfaitaires", "total": "Total", "deadline": "Date limite",
    "court": "Juridiction", "refer_if_opposed": "Renvoi en cas d'opposition",
    "warnings": "Avertissements", "form": "Formulaire", "sent_on": "Envoyé le",
    "draft_id": "Projet",
    # claim files, imports, rates
    "exhibits": "Pièces", "max_volume_mb": "Taille maximale d'un tome (Mo)",
    "downsample_dpi": "Réduction des images (dpi)", "version": "Version",
    "credits": "Avoirs", "debtors": "Débiteurs", "invoices_updated": "Factures mises à jour",
    "payments": "Règlements", "refused": "Lignes refusées", "table_name": "Table",
    "semester": "Semestre", "particuliers": "Taux particuliers", "autres_cas": "Taux autres cas",
    "ecb_mro": "Taux BCE", "status": "Statut", "source": "Source",
    # reminders: sender, scenarios, holds, calls and promises
    "sender_name": "Nom de l'expéditeur", "sender_email": "Adresse d'envoi",
    "reply_to": "Adresse de réponse", "reminders_auto": "Envoi automatique des relances",
    "reminder_min_amount": "Montant minimum à relancer", "steps": "Étapes",
    "is_default": "Scénario par défaut", "reminders_off": "Aucune relance automatique",
    "reason": "Raison", "until": "Jusqu'au", "lifted_at": "Levé le",
    "outcome": "Issue de l'appel", "made_on": "Promis le",
    "cancel_reason": "Raison de l'annulation", "cancelled_on": "Annulée le",
}
CODES = {**PROMISE_STATUSES,
         **CALL_OUTCOMES, **STEP_KINDS, **EVIDENCE_KINDS, **DOCUMENT_KINDS, **STEP_CHANNELS, **DEBTOR_KINDS,
         **PAYMENT_KINDS, **PROCEEDINGS_KINDS,
         "company": "Société", "person": "Particulier", "consumer": "Particulier",
         "professional": "Professionnel", "legal": "Intérêt légal", "ecb": "Taux BCE",
         "V": "Vérifié", "?": "À vérifier", "draft": "Projet", "sent": "Envoyé",
         "final": "Définitif", "payment": "Paiement", "credit_note": "Avoir",
         "trop_percu": "trop-perçu à restituer", "avoir": "gardé en avoir"}
CODED = {"kind", "channel", "status", "table_name", "debtor_kind", "proceedings_kind",
         "outcome", "excess"}
_DECIMAL = re.compile(r"^-?\d+\.\d+$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@dataclass(frozen=True)
class ChangeLine:
    label: str
    after: str
    before: str | None = None  # set for a change "before → after"


def label(name: str) -> str:
    return FIELD_LABELS.get(name, name.replace("_", " "))


def in_sentence(name: str) -> str:
    """The label inside a sentence: "code postal", "SIREN"."""
    text = label(name)
    return text[0].lower() + text[1:] if text[1:2].islower() else text


def value_fr(name: str, value: Any) -> str:
    if value is None or value == "" or value == []:
        return "∅"
    if isinstance(value, bool):
        return "oui" if value else "non"
    if isinstance(value, list | tuple):
        return ", ".join(value_fr(name, item) for item in value)
    text = str(value)
    if name in CODED and text in CODES:
        return CODES[text]
    if _DECIMAL.match(text):
        return number_fr(Decimal(text), len(text.partition(".")[2]))
    if _DATE.match(text):
        return date_fr(date.fromisoformat(text))
    return text


def change_lines(action: str, changes: dict[str, Any]) -> list[ChangeLine]:
    """What an event changed, in French; [before, after] pairs only for an update; the empty
    fields of a creation are left out."""
    lines = []
    for name, value in changes.items():
        if name in HIDDEN:
            continue
        if action == "update" and isinstance(value, list) and len(value) == 2:
            lines.append(ChangeLine(label(name), value_fr(name, value[1]),
                                    value_fr(name, value[0])))
        elif value not in (None, "", []):  # a creation lists what was filled in
            lines.append(ChangeLine(label(name), value_fr(name, value)))
    return lines
