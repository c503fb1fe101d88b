"""The claim file's summary speaks the debtor page's vocabulary (app/law/severity.py): an
expired mise en demeure deadline opens the creditor's right, it is not "Dépassé"."""

from __future__ import annotations

from pathlib import Path

from sqlmodel import Session

from app.config import Settings
from app.law.severity import judge_all
from app.services import claim_front, file_view
from app.services.context import Actor
from app.storage import FileStore
from tests.documents.every_paper import paper_file
from tests.documents.scenario import LETTER_DATE


def test_the_summary_gives_each_alert_the_debtor_pages_level_and_action(
        session: Session, owner: Actor, settings: Settings, tmp_path: Path) -> None:
    settings.ensure_dirs()
    debtor = paper_file(session, owner, FileStore(settings.files_dir))
    context = claim_front.front_context(session, debtor, LETTER_DATE, [], version=1)
    shown = {j.alert.key: (j.label, j.action) for j in context["alerts"]}
    # MED sent 10/06/2025 with 8 days: long expired on 30/09/2025, the injonction is open
    assert shown["mise_en_demeure"][0] == "Délai expiré : vous pouvez agir"
    view = file_view.file_view(session, debtor, LETTER_DATE)
    page = {j.alert.key: (j.label, j.action) for j in judge_all(view.alerts, LETTER_DATE)}
    assert shown == page
