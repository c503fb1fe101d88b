"""Administrators add or correct a rate row from the app, without a release; audited."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlmodel import Session

from app.errors import Forbidden
from app.law.rates import semester_bounds, semester_label
from app.models import RateOverride, User
from app.parsing import FormReader
from app.services import audit
from app.services.context import Actor

TABLES = {"legal": "Taux de l'intérêt légal", "ecb": "Taux BCE (refinancement)"}
STATUSES = {"V": "Vérifié (source publiée)", "?": "À vérifier"}


# The rate tables are LAW.md's own (tests/law/test_rates.py compares them byte for byte), and
# a few of their notes are English: the page shows them in French.
NOTES_FR = {
    "MRO 0.00 from 16/03/2016": "taux MRO de 0,00 % depuis le 16/03/2016",
    "hike of 27/07/2022 is after the anchor":
        "la hausse du 27/07/2022 est postérieure à la date de référence",
    "no ECB decision after Feb 2026 verified":
        "aucune décision de la BCE postérieure à février 2026 n'a été vérifiée",
    "laclef.eu table": "tableau de laclef.eu",
    "one secondary source only; arrêté not seen":
        "une seule source secondaire ; arrêté non consulté",
}


def note_fr(note: str) -> str:
    return NOTES_FR.get(note, note)


def semester_fr(semester: str) -> str:
    """'2026-S2' → '2e semestre 2026' (as typed if it is not a semester)."""
    try:
        return semester_label(semester)
    except ValueError:
        return semester


def require_admin(session: Session, actor: Actor) -> None:
    user = session.get(User, actor.user_id)
    if user is None or not user.is_admin:
        raise Forbidden("Seul un administrateur peut corriger les taux.")


def read_override(data: Mapping[str, Any]) -> dict[str, Any]:
    r = FormReader(data)
    table = r.choice("table_name", TABLES, default="legal")
    semester = r.text("semester", required=True, max_length=7, label="Le semestre").upper()
    values: dict[str, Any] = {"table_name": table, "semester": semester,
                              "status": r.choice("status", STATUSES, default="V"),
                              "source": r.text("source", required=True, max_length=300,
                                               label="La source")}
    try:
        values["start"] = semester_bounds(semester)[0]
    except ValueError:
        r.error("semester", "Semestre invalide : écrivez par exemple 2026-S2.")
    if table == "legal":
        values["particuliers"] = r.rate("particuliers")
        values["autres_cas"] = r.rate("autres_cas")
        if values["particuliers"] is None and values["autres_cas"] is None:
            r.error("autres_cas", "Indiquez au moins un des deux taux.")
    else:
        values["ecb_mro"] = r.rate("ecb_mro")
        if values["ecb_mro"] is None:
            r.error("ecb_mro", "Taux BCE obligatoire.")
    r.check()
    return values


def add_override(session: Session, actor: Actor, data: Mapping[str, Any]) -> RateOverride:
    require_admin(session, actor)
    row = RateOverride(created_by=actor.user_id, **read_override(data))
    session.add(row)
    session.flush()
    audit.record(session, actor, action="update", obj=row, creditor_id=actor.creditor_id,
                 summary=f"Taux corrigé : {TABLES[row.table_name]}, {row.semester}",
                 changes=audit.snapshot(row, ("table_name", "semester", "particuliers",
                                              "autres_cas", "ecb_mro", "status", "source")))
    session.commit()
    return row
