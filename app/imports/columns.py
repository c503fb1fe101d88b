"""The columns a spreadsheet export may hold, and the guess of which header is which.

Headers are compared once normalised ("N° facture" → "n facture", "Échéance" → "echeance").
A mapping is {field: header as written in the file}, so it survives a change of column order
and is remembered per source for the next import.
"""

from __future__ import annotations

import re
import unicodedata

from app.imports.report import FileRefused

# field → (label shown in the mapping form, headers seen in the usual tools' exports)
FIELDS: dict[str, tuple[str, tuple[str, ...]]] = {
    "number": ("N° de facture", (
        "n facture", "no facture", "num facture", "numero facture", "numero de facture",
        "facture", "n piece", "no piece", "piece", "numero piece", "ref facture", "reference",
        "ref", "n document", "numero", "invoice number", "document")),
    "debtor_name": ("Client", (
        "client", "nom client", "nom du client", "raison sociale", "tiers", "nom", "debiteur",
        "societe", "intitule", "libelle client", "intitule compte", "customer")),
    "account": ("Code client", (
        "code client", "compte client", "compte", "n client", "numero client", "code tiers",
        "compte auxiliaire", "compte tiers", "customer id")),
    "siren": ("SIREN", ("siren", "n siren", "siret", "n siret", "siren client")),
    "issue_date": ("Date de facture", (
        "date", "date facture", "date de facture", "date emission", "date d emission",
        "date piece", "date document", "date ecriture", "invoice date")),
    "due_date": ("Échéance", (
        "echeance", "date echeance", "date d echeance", "date limite de paiement",
        "date limite", "due date")),
    "amount_ttc": ("Montant TTC", (
        "montant ttc", "total ttc", "ttc", "montant", "montant facture", "amount")),
    "amount_ht": ("Montant HT", ("montant ht", "total ht", "ht")),
    "amount_tva": ("TVA", ("tva", "montant tva", "total tva")),
    "paid": ("Déjà réglé", (
        "regle", "montant regle", "deja regle", "paye", "montant paye", "reglements",
        "encaisse", "reglement")),
    "balance": ("Reste dû", (
        "reste du", "reste a payer", "reste a regler", "restant du", "solde", "solde du",
        "montant du", "du", "balance")),
    "debit": ("Débit", ("debit", "montant debit")),
    "credit": ("Crédit", ("credit", "montant credit")),
    "letter": ("Lettrage", ("lettrage", "let", "code lettrage", "lettre")),
    "payment_date": ("Date de règlement", (
        "date reglement", "date de reglement", "date paiement", "date de paiement")),
    "description": ("Libellé", ("libelle", "designation", "objet", "description",
                                "libelle ecriture")),
    "email": ("E-mail", ("email", "e mail", "courriel", "mail", "adresse mail")),
    "street": ("Adresse", ("adresse", "adresse 1", "rue", "adresse client")),
    "postal_code": ("Code postal", ("code postal", "cp")),
    "city": ("Ville", ("ville", "commune", "localite")),
}
_NOISE = re.compile(r"[^a-z0-9]+")


def normalise(header: object) -> str:
    text = unicodedata.normalize("NFKD", str(header or "")).encode("ascii", "ignore").decode()
    text = _NOISE.sub(" ", text.lower().replace("€", " ")).strip()
    return re.sub(r"\b(eur|euros?)\b", "", text).strip()


_KNOWN = {synonym for _, synonyms in FIELDS.values() for synonym in synonyms}


def header_score(row: list[object]) -> int:
    """How many cells of a row look like known headers: finds the header row."""
    return sum(1 for cell in row if normalise(cell) in _KNOWN)


def guess_mapping(headers: list[str]) -> dict[str, str]:
    """{field: header}: exact synonyms first, then a header starting with a synonym."""
    normalised = [normalise(h) for h in headers]
    mapping: dict[str, str] = {}
    used: set[int] = set()
    for exact in (True, False):
        for name, (_, synonyms) in FIELDS.items():
            if name in mapping:
                continue
            for synonym in synonyms:
                index = _find(normalised, synonym, used, exact)
                if index is not None:
                    mapping[name] = headers[index]
                    used.add(index)
                    break
    return mapping


def _find(normalised: list[str], synonym: str, used: set[int], exact: bool) -> int | None:
    for index, header in enumerate(normalised):
        if index in used or not header:
            continue
        if header == synonym or (not exact and len(synonym) > 3
                                 and header.startswith(synonym + " ")):
            return index
    return None


def check_mapping(mapping: dict[str, str], headers: list[str]) -> dict[str, str]:
    """The mapping kept to known fields and existing headers; FileRefused if incomplete."""
    clean = {k: v for k, v in mapping.items() if k in FIELDS and v in headers}
    missing = []
    if "number" not in clean:
        missing.append("le n° de facture")
    if "debtor_name" not in clean and "siren" not in clean and "account" not in clean:
        missing.append("le client (nom, code ou SIREN)")
    if "issue_date" not in clean:
        missing.append("la date de facture")
    ledger = "debit" in clean and "credit" in clean
    if not ledger and "amount_ttc" not in clean and "balance" not in clean:
        missing.append("le montant TTC (ou le reste dû, ou les colonnes Débit et Crédit)")
    if missing:
        raise FileRefused("Associez une colonne à " + ", ".join(missing) + ".",
                          field_name="mapping")
    return clean
