"""The claim file built from a debtor's file: parts, bookmarks, stamps, bordereau, décompte,
ZIP manifest, frozen numbering per version, failures that store nothing, recovery."""

from __future__ import annotations

import hashlib
import json
import zipfile
from datetime import date

from pypdf import PdfReader
from sqlmodel import select

from app.documents.letters import claimed_part
from app.formatting import eur
from app.models import ClaimFileJob, GeneratedDocument
from app.services import claim_file, claim_file_order
from app.services.claim_file_build import PDF_KIND, ZIP_KIND
from app.services.decompte import debtor_decompte

PARTS = ["Page de garde", "Résumé", "Chronologie", "Décompte", "Bordereau des pièces", "Pièces"]


def _params(session, job: ClaimFileJob) -> dict:  # type: ignore[no-untyped-def, type-arg]
    document = session.get(GeneratedDocument, job.pdf_document_id)
    return document.params


def test_exhibits_are_numbered_in_the_ordre_d_usage_whatever_the_upload_order(
        session, debtor, exhibits):  # type: ignore[no-untyped-def]
    numbered = [(n, e.title) for n, e in claim_file_order.numbering(session, debtor)]

    assert numbered == [(1, "Devis D-12 signé"), (2, "Facture F-2025-001"),
                        (3, "Facture F-2025-002"), (4, "Réponse de M. Durand"),
                        (5, "Avis de réception signé")]  # the e-mail of 04/03 before the AR of 03/04


def test_the_claim_file_has_every_part_and_every_exhibit_bookmarked_in_order(
        session, store, exhibits, build, helpers):  # type: ignore[no-untyped-def]
    job = build()

    assert job.status == "done" and job.progress == 100 and job.error == ""
    found = helpers.outline(PdfReader(helpers.pdf_of(store, session, job)))
    assert [title for depth, title, _ in found if depth == 0] == PARTS
    assert [title for depth, title, _ in found if depth == 1] == [
        "Pièce n° 1 — Devis D-12 signé", "Pièce n° 2 — Facture F-2025-001",
        "Pièce n° 3 — Facture F-2025-002", "Pièce n° 4 — Réponse de M. Durand",
        "Pièce n° 5 — Avis de réception signé"]
    pages = [page for _, _, page in found]
    assert pages == sorted(pages)


def test_page_count_is_the_sum_of_the_parts(session, store, exhibits, build, helpers):  # type: ignore[no-untyped-def]
    job = build()
    reader = PdfReader(helpers.pdf_of(store, session, job))
    params = _params(session, job)
    first, last = params["bordereau_pages"]
    listed = params["exhibits"]

    assert len(reader.pages) == params["total_pages"] == last + sum(e["pages"] for e in listed)
    by_title = {e["title"]: e["pages"] for e in listed}
    assert by_title["Devis D-12 signé"] == 3 and by_title["Facture F-2025-001"] == 2
    assert by_title["Avis de réception signé"] == 1
    assert by_title["Réponse de M. Durand"] >= 3  # the mail page(s), then its 2-page attachment
    front = {title: page for depth, title, page in helpers.outline(reader) if depth == 0}
    assert front["Page de garde"] == 1 and front["Bordereau des pièces"] == first


def test_every_exhibit_page_carries_its_stamp_and_the_bundle_page_number(
        session, store, exhibits, build, helpers):  # type: ignore[no-untyped-def]
    job = build()
    reader = PdfReader(helpers.pdf_of(store, session, job))
    texts = [helpers.plain(page.extract_text() or "") for page in reader.pages]
    total = len(texts)

    for n, text in enumerate(texts, start=1):
        assert text.endswith(f"{n} / {total}"), (n, text[-40:])
    for item in _params(session, job)["exhibits"]:
        for i in range(1, item["pages"] + 1):
            page = item["first_page"] + i - 1
            assert f"Pièce n° {item['number']} — p. {i}/{item['pages']}" in texts[page - 1]


def test_the_bordereau_lists_each_exhibit_with_its_page_and_hash(session, store, exhibits,
                                                                 build, helpers):  # type: ignore[no-untyped-def]
    job = build()
    params = _params(session, job)
    reader = PdfReader(helpers.pdf_of(store, session, job))
    first, last = params["bordereau_pages"]
    text = " ".join(helpers.plain(reader.pages[p - 1].extract_text()) for p in range(first, last + 1))

    for item in params["exhibits"]:
        assert f"{item['number']} {item['title']}" in text
        assert item["sha256"][:12] in text
        assert f"{item['pages']} {item['first_page']}" in text


def test_the_decompte_figures_are_those_of_the_decompte_api_to_the_cent(
        app, session, store, owner, debtor, exhibits, build, helpers):  # type: ignore[no-untyped-def]
    from fastapi.testclient import TestClient

    from tests.conftest import TODAY, api_token

    job = build()
    reader = PdfReader(helpers.pdf_of(store, session, job))
    starts = {title: page for depth, title, page in helpers.outline(reader) if depth == 0}
    text = " ".join(helpers.plain(reader.pages[p - 1].extract_text())
                    for p in range(starts["Décompte"], starts["Bordereau des pièces"]))
    cover = helpers.plain(reader.pages[0].extract_text())
    with TestClient(app) as client:
        body = {"as_of": TODAY.isoformat(), "debtor_kind": "professional",
                "invoices": [{"number": "F-2025-001", "amount": "1200.00",
                              "issue_date": "2025-01-10", "due_date": "2025-02-09"},
                             {"number": "F-2025-002", "amount": "600.00",
                              "issue_date": "2025-02-01", "due_date": "2025-03-03"}],
                "payments": [{"date": "2025-06-01", "amount": "200.00"}]}
        api = client.post("/api/v1/calc/decompte", json=body,
                          headers=api_token(client, "claire@lefevre.test")).json()

    for key in ("principal", "interest", "indemnities", "total"):
        assert helpers.plain(eur(api[key])) in text, key
    for invoice in api["invoices"]:
        assert helpers.plain(eur(invoice["interest"])) in text
        for period in invoice["periods"]:
            assert helpers.plain(eur(period["amount"])) in text
    assert helpers.plain(eur(api["total"])) in cover
    expected = claimed_part(debtor_decompte(session, debtor, TODAY), TODAY)
    assert _params(session, job)["total"] == str(expected.total) == api["total"]


def test_the_zip_manifest_hashes_match_the_stored_files(session, store, exhibits, build):  # type: ignore[no-untyped-def]
    job = build()
    package = session.get(GeneratedDocument, job.zip_document_id)
    pdf = session.get(GeneratedDocument, job.pdf_document_id)
    path = store.path_for(package.sha256)

    assert package.kind == ZIP_KIND and package.media_type == "application/zip"
    assert hashlib.sha256(path.read_bytes()).hexdigest() == package.sha256
    with zipfile.ZipFile(path) as archive:
        manifest = json.loads(archive.read("manifest.json"))
        assert manifest["documents"][0]["sha256"] == pdf.sha256
        assert archive.read(manifest["documents"][0]["file"]) == store.read(pdf.sha256)
        stored = {e.id: e for e in exhibits.values()}
        numbering = dict(job.options["numbering"])
        for entry in manifest["exhibits"]:
            original = stored[numbering[entry["number"]]]
            assert entry["sha256"] == original.sha256
            assert hashlib.sha256(archive.read(entry["file"])).hexdigest() == original.sha256
            assert archive.read(entry["file"]) == store.read(original.sha256)
        assert "manifest.csv" in archive.namelist()


def test_a_reorder_then_export_renumbers_the_new_version_and_keeps_the_old_one(
        session, store, owner, debtor, exhibits, build, helpers):  # type: ignore[no-untyped-def]
    from app.services import evidence

    first = build()
    first_pdf = store.read(session.get(GeneratedDocument, first.pdf_document_id).sha256)
    claim_file_order.move(session, owner, exhibits["invoice_2"], "up")  # produced: kept as is
    assert [e.title for e in claim_file_order.ordered(session, debtor)][1:3] == [
        "Facture F-2025-001", "Facture F-2025-002"]
    evidence.release_numbers(session, owner, debtor)  # the user renumbers on purpose
    claim_file_order.move(session, owner, exhibits["invoice_2"], "up")
    second = build()

    old, new = _params(session, first), _params(session, second)
    assert (old["version"], new["version"]) == (1, 2)
    assert [(e["number"], e["title"]) for e in old["exhibits"]][1:3] == [
        (2, "Facture F-2025-001"), (3, "Facture F-2025-002")]
    assert [(e["number"], e["title"]) for e in new["exhibits"]][1:3] == [
        (2, "Facture F-2025-002"), (3, "Facture F-2025-001")]
    bookmarks = [t for d, t, _ in helpers.outline(PdfReader(helpers.pdf_of(store, session, second)))
                 if d == 1]
    assert bookmarks[1:3] == ["Pièce n° 2 — Facture F-2025-002", "Pièce n° 3 — Facture F-2025-001"]
    session.expire_all()
    kept = session.get(GeneratedDocument, first.pdf_document_id)
    assert kept.params["exhibits"] == old["exhibits"]
    assert store.read(kept.sha256) == first_pdf
    old_marks = [t for d, t, _ in helpers.outline(PdfReader(helpers.pdf_of(store, session, first)))
                 if d == 1]
    assert old_marks[1:3] == ["Pièce n° 2 — Facture F-2025-001", "Pièce n° 3 — Facture F-2025-002"]


def test_a_move_never_leaves_its_kind_and_the_evidence_section_shows_the_same_numbers(
        session, owner, debtor, exhibits):  # type: ignore[no-untyped-def]
    from app.services import evidence

    claim_file_order.move(session, owner, exhibits["invoice_1"], "up")  # the quote is above
    claim_file_order.move(session, owner, exhibits["invoice_2"], "up")

    ordered = claim_file_order.ordered(session, debtor)
    assert [e.title for e in ordered][:3] == ["Devis D-12 signé", "Facture F-2025-002",
                                              "Facture F-2025-001"]
    shown = evidence.numbers(evidence.of_debtor(session, debtor))
    assert {e.id: n for n, e in enumerate(ordered, start=1)} == shown


def test_volumes_are_stored_each_as_a_document_of_the_same_version(
        session, store, owner, debtor, exhibits, build, monkeypatch):  # type: ignore[no-untyped-def]
    import io
    import random

    from PIL import Image

    from app.services import claim_file_build, evidence

    noise = random.Random(7)
    for n in (1, 2):  # two photos of ~150 kB each: more than one 250 kB volume
        image = Image.frombytes("L", (420, 420), bytes(noise.randrange(256) for _ in range(420 * 420)))
        buffer = io.BytesIO()
        image.save(buffer, "JPEG", quality=90)
        evidence.add_bytes(session, owner, store, debtor, buffer.getvalue(), f"photo-{n}.jpg",
                           10_000_000, {"kind": "other", "title": f"Photo {n}"})
    monkeypatch.setattr(claim_file_build, "MB", 250_000)  # "1 Mo" volumes of 250 kB
    job = build({"max_volume_mb": "1"})

    assert job.status == "done", job.error
    volumes = [session.get(GeneratedDocument, i) for i in claim_file.volume_ids(job)]
    assert len(volumes) > 1
    assert {v.version for v in volumes} == {1} and {v.kind for v in volumes} == {PDF_KIND}
    assert [v.params["volume"] for v in volumes] == list(range(1, len(volumes) + 1))
    assert volumes[0].filename.endswith("-tome-1.pdf")
    assert sum(v.pages for v in volumes) >= volumes[0].params["total_pages"]
    assert "Tome 1/" in PdfReader(store.path_for(volumes[0].sha256)).pages[0].extract_text()


def test_a_missing_stored_file_fails_the_build_naming_the_exhibit_and_stores_nothing(
        session, store, exhibits, build):  # type: ignore[no-untyped-def]
    store.path_for(exhibits["invoice_2"].sha256).unlink()

    job = build()

    assert job.status == "failed"
    assert job.error == "Pièce n° 3 « Facture F-2025-002 » : le fichier est introuvable."
    assert job.pdf_document_id is None and job.zip_document_id is None
    kinds = session.exec(select(GeneratedDocument.kind)).all()
    assert PDF_KIND not in kinds and ZIP_KIND not in kinds
    assert claim_file.urls(job) == {"pdf_url": None, "zip_url": None, "volume_urls": []}


def test_a_second_build_is_refused_while_one_is_queued(session, owner, debtor, exhibits):  # type: ignore[no-untyped-def]
    import pytest

    from app.errors import DomainError

    claim_file.start(session, owner, debtor, {}, date(2026, 11, 22))
    with pytest.raises(DomainError, match="déjà en cours"):
        claim_file.start(session, owner, debtor, {}, date(2026, 11, 22))


def test_a_server_on_the_embedded_database_resumes_the_builds_it_left_unfinished(
        settings, engine, session, owner, debtor, exhibits):  # type: ignore[no-untyped-def]
    from app.main import create_app
    from tests.jobs import finished_build

    job = claim_file.start(session, owner, debtor, {}, date(2026, 11, 22))
    job.status, job.progress, job.attempts = "running", 40, 1  # its server was killed
    session.add(job)
    session.commit()

    app = create_app(settings, engine=engine, migrate=False)

    done = finished_build(app.state.queue, job.id)
    assert (done.status, done.attempts, done.error) == ("done", 2, "")
    app.state.queue.close()


def test_a_server_on_postgresql_never_touches_the_jobs_of_the_workers(
        settings, engine, session, owner, debtor):  # type: ignore[no-untyped-def]
    from app.main import create_app

    for status in ("queued", "running", "done"):
        session.add(ClaimFileJob(creditor_id=owner.creditor_id, debtor_id=debtor.id,
                                 status=status, progress=40, worker="autre-machine:4242"))
    session.commit()
    queued = settings.model_copy(update={
        "jobs": "queue", "database_url": "postgresql+psycopg://contentieux@127.0.0.1:9/x"})

    assert create_app(queued, engine=engine, migrate=False).state.queue.mode == "queue"

    session.expire_all()
    jobs = session.exec(select(ClaimFileJob).order_by(ClaimFileJob.id)).all()
    assert [(j.status, j.progress, j.error) for j in jobs] == [
        ("queued", 40, ""), ("running", 40, ""), ("done", 40, "")]
