"""A blank Cerfa uploaded by a creditor's owner serves that creditor's requêtes only.

Seen: the owner of any creditor could upload a form (its field names right, its page saying
anything, with a JavaScript action) that every other creditor's Cerfa was then printed on."""

from __future__ import annotations

from html import unescape

from sqlmodel import select

from app.documents.cerfa import load_form
from app.models import Court, GeneratedDocument
from app.services import documents
from tests.conftest import Browser
from tests.documents.fillable import fillable_pdf
from tests.documents.scenario import durand_btp
from tests.web.test_generate_documents import _prove_invoices, generate

HTMX = {"HX-Request": "true"}


def blank_form(key: str) -> bytes:
    form = load_form(key)
    return fillable_pdf([n for k, n in form.mapping.items() if k not in form.checkboxes],
                        [n for k, n in form.mapping.items() if k in form.checkboxes])


def upload(client: Browser, debtor_id: int, key: str):  # type: ignore[no-untyped-def]
    return client.post(f"/debtors/{debtor_id}/cerfa", data={"form": key, "csrf_token": client.csrf},
                       files={"file": ("cerfa.pdf", blank_form(key), "application/pdf")},
                       headers=HTMX)


def test_a_form_uploaded_by_another_creditor_is_never_used(app, owner_client, session, owner,
                                                            outsider, settings):
    debtor = durand_btp(session, owner)
    _prove_invoices(session, debtor)
    key = documents.cerfa_form(debtor)["key"]
    court = Court(creditor_id=owner.creditor_id, kind="tribunal_commerce",
                  name="Tribunal de commerce d'Angers", street="Place du Palais",
                  postal_code="49000", city="Angers")
    session.add(court)
    session.commit()
    with Browser(app) as other:
        other.login("paul@roux.test")
        theirs = durand_btp(session, outsider)
        answer = upload(other, theirs.id, key)
        assert answer.status_code == 200 and "Formulaire officiel installé" in unescape(answer.text)
    refused = generate(owner_client, debtor.id, kind="cerfa", date="2026-11-22",
                       court_id=str(court.id))
    assert refused.status_code == 422
    assert "absent : déposez le PDF officiel remplissable" in unescape(refused.text)
    assert session.exec(select(GeneratedDocument)).all() == []

    assert upload(owner_client, debtor.id, key).status_code == 200  # its own: used
    made = generate(owner_client, debtor.id, kind="cerfa", date="2026-11-22",
                    court_id=str(court.id))
    assert made.status_code == 200, unescape(made.text)
    assert (settings.data_dir / "forms" / str(owner.creditor_id) / key / "official.pdf").is_file()
