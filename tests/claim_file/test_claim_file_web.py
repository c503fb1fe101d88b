"""The claim-file section of the debtor page: generate, follow the progress, download, reorder;
errors in French next to their cause; other creditors get 404, read-only members 403."""

from __future__ import annotations

import re

from sqlmodel import select

from app.models import ClaimFileJob
from app.services import claim_file
from tests.jobs import finished_build

HTMX = {"HX-Request": "true"}
JOB_RE = re.compile(r'hx-get="/claim-files/(\d+)/status"')


def test_the_debtor_page_shows_the_section_with_the_bordereau_in_ordre_d_usage(
        owner_client, debtor, exhibits):  # type: ignore[no-untyped-def]
    page = owner_client.get(f"/debtors/{debtor.id}").text

    section = page[page.index('id="claim-file"'):page.index('id="history"')]
    assert "Générer le dossier complet" in section
    assert section.index("Devis D-12 signé") < section.index("Facture F-2025-001") \
        < section.index("Facture F-2025-002") < section.index("Réponse de M. Durand") \
        < section.index("Avis de réception signé")
    assert "Ordre d'usage" in section and "légal" not in section
    assert 'name="max_volume_mb"' in section and 'name="downsample"' in section


def test_generating_shows_a_polled_progress_bar_then_the_downloads(
        owner_client, session, debtor, exhibits):  # type: ignore[no-untyped-def]
    started = owner_client.submit(f"/debtors/{debtor.id}/claim-file", {"downsample": "1"},
                                  headers=HTMX)
    assert started.status_code == 200
    job_id = int(JOB_RE.search(started.text).group(1))  # type: ignore[union-attr]
    assert 'hx-trigger="every 1s"' in started.text and "<progress" in started.text
    finished_build(owner_client.app.state.queue, job_id)

    done = owner_client.get(f"/claim-files/{job_id}/status", headers=HTMX)

    assert done.headers["HX-Retarget"] == "#claim-file"
    assert done.headers["HX-Reswap"] == "outerHTML"
    assert "every 1s" not in done.text
    assert f'href="/claim-files/{job_id}/pdf"' in done.text
    assert f'href="/claim-files/{job_id}/zip"' in done.text
    assert "v1" in done.text
    job = session.get(ClaimFileJob, job_id)
    assert job.options["downsample_dpi"] == 200


def test_the_progress_fragment_keeps_polling_while_the_job_waits(
        owner_client, session, owner, debtor, exhibits):  # type: ignore[no-untyped-def]
    job = claim_file.start(session, owner, debtor, {}, owner_client.app.state.clock())

    fragment = owner_client.get(f"/claim-files/{job.id}/status", headers=HTMX)

    assert fragment.status_code == 200 and "HX-Retarget" not in fragment.headers
    assert fragment.text.lstrip().startswith('<div id="claim-file-job"')
    assert 'hx-trigger="every 1s"' in fragment.text
    assert 'max="100" value="0"' in fragment.text
    page = owner_client.get(f"/debtors/{debtor.id}").text
    assert " disabled>Générer le dossier complet</button>" in page


def test_downloads_have_their_media_type_name_and_nosniff(owner_client, exhibits, build):  # type: ignore[no-untyped-def]
    job = build()

    pdf = owner_client.get(f"/claim-files/{job.id}/pdf")
    package = owner_client.get(f"/claim-files/{job.id}/zip")

    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert pdf.headers["content-type"] == "application/pdf"
    assert pdf.headers["content-disposition"].startswith(
        'attachment; filename="dossier-creance-durand-btp-2026-11-22-v1.pdf"')
    assert pdf.headers["x-content-type-options"] == "nosniff"
    assert package.headers["content-type"] == "application/zip"
    assert package.headers["content-disposition"].endswith('-v1.zip"')
    assert package.content.startswith(b"PK")
    assert owner_client.get(f"/claim-files/{job.id}/volume-2").status_code == 404
    assert owner_client.get(f"/claim-files/{job.id}/manifest").status_code == 404


def test_a_failed_build_says_which_exhibit_and_offers_nothing(owner_client, store, debtor,
                                                                exhibits):  # type: ignore[no-untyped-def]
    store.path_for(exhibits["ar"].sha256).unlink()
    started = owner_client.submit(f"/debtors/{debtor.id}/claim-file", headers=HTMX)
    job_id = int(JOB_RE.search(started.text).group(1))  # type: ignore[union-attr]
    finished_build(owner_client.app.state.queue, job_id)

    status = owner_client.get(f"/claim-files/{job_id}/status", headers=HTMX).text

    assert "Le dossier n'a pas pu être construit." in status
    assert "Pièce n° 5 « Avis de réception signé » : le fichier est introuvable." in status
    assert f"/claim-files/{job_id}/pdf" not in status
    assert owner_client.get(f"/claim-files/{job_id}/pdf").status_code == 404
    assert owner_client.get(f"/claim-files/{job_id}/zip").status_code == 404


def test_a_failed_build_is_relaunched_with_its_button(owner_client, store, debtor,
                                                     exhibits):  # type: ignore[no-untyped-def]
    path = store.path_for(exhibits["ar"].sha256)
    content = path.read_bytes()
    path.unlink()
    started = owner_client.submit(f"/debtors/{debtor.id}/claim-file", headers=HTMX)
    job_id = int(JOB_RE.search(started.text).group(1))  # type: ignore[union-attr]
    finished_build(owner_client.app.state.queue, job_id)
    status = owner_client.get(f"/claim-files/{job_id}/status", headers=HTMX).text
    assert f'hx-post="/claim-files/{job_id}/retry"' in status and ">Relancer</button>" in status
    store.put(content)  # the exhibit's file is back

    relaunched = owner_client.submit(f"/claim-files/{job_id}/retry", headers=HTMX)

    assert relaunched.status_code == 200 and "<progress" in relaunched.text
    done = finished_build(owner_client.app.state.queue, job_id)
    assert (done.status, done.error, done.attempts) == ("done", "", 1)
    again = owner_client.submit(f"/claim-files/{job_id}/retry", headers=HTMX)
    assert again.status_code == 422 and "Seule une construction en échec" in again.text


def test_a_bad_volume_size_is_refused_next_to_the_field_and_nothing_starts(
        owner_client, session, debtor, exhibits):  # type: ignore[no-untyped-def]
    response = owner_client.submit(f"/debtors/{debtor.id}/claim-file",
                                   {"max_volume_mb": "0"}, headers=HTMX)

    assert response.status_code == 422
    assert 'id="claim-volume-error">Nombre entier entre 1 et 2048 attendu.' in response.text
    assert session.exec(select(ClaimFileJob)).all() == []


def test_the_bordereau_preview_moves_an_exhibit_within_its_kind(owner_client, debtor,
                                                                  exhibits):  # type: ignore[no-untyped-def]
    moved = owner_client.submit(f"/debtors/{debtor.id}/claim-file/order",
                                {"evidence_id": str(exhibits["invoice_2"].id),
                                 "direction": "up"}, headers=HTMX)

    assert moved.status_code == 200
    assert moved.text.index("Facture F-2025-002") < moved.text.index("Facture F-2025-001")
    assert "<details class=\"bordereau-preview\" open>" in moved.text
    # The list of pièces shows the new numbers too, swapped out of band (one truth per page).
    pieces = moved.text[moved.text.index('<div hx-swap-oob="true" id="evidence-list">'):]
    assert pieces.index("Facture F-2025-002") < pieces.index("Facture F-2025-001")


def test_the_claim_files_are_not_listed_among_the_letters(owner_client, debtor, exhibits,
                                                          build):  # type: ignore[no-untyped-def]
    build()
    page = owner_client.get(f"/debtors/{debtor.id}").text

    start = page.index('id="documents"')
    letters = page[start:page.index("</section>", start)]
    assert "Dossier de créance" not in letters
    assert "claim-version-1" in page


def test_another_creditor_gets_404_on_the_job_and_its_files(client, outsider, debtor,
                                                            exhibits, build):  # type: ignore[no-untyped-def]
    job = build()
    client.login("paul@roux.test")

    for url in (f"/claim-files/{job.id}/status", f"/claim-files/{job.id}/pdf",
                f"/claim-files/{job.id}/zip"):
        assert client.get(url, headers=HTMX).status_code == 404, url
    assert client.submit(f"/debtors/{debtor.id}/claim-file").status_code == 404


def test_a_read_only_member_may_download_but_not_build_or_reorder(client, reader, debtor,
                                                                  exhibits, build):  # type: ignore[no-untyped-def]
    job = build()
    client.login("lea@lefevre.test")

    assert client.submit(f"/debtors/{debtor.id}/claim-file").status_code == 403
    assert client.submit(f"/debtors/{debtor.id}/claim-file/order",
                         {"evidence_id": str(exhibits["invoice_2"].id),
                          "direction": "up"}).status_code == 403
    assert client.get(f"/claim-files/{job.id}/pdf").status_code == 200
    page = client.get(f"/debtors/{debtor.id}").text
    assert "Générer le dossier complet" not in page


def test_a_build_with_several_bad_exhibits_lists_them_all(owner_client, store, debtor,
                                                          exhibits):  # type: ignore[no-untyped-def]
    store.path_for(exhibits["ar"].sha256).unlink()
    store.path_for(exhibits["quote"].sha256).unlink()
    started = owner_client.submit(f"/debtors/{debtor.id}/claim-file", headers=HTMX)
    job_id = int(JOB_RE.search(started.text).group(1))  # type: ignore[union-attr]
    finished_build(owner_client.app.state.queue, job_id)

    status = owner_client.get(f"/claim-files/{job_id}/status", headers=HTMX).text

    assert "2 pièces ne peuvent pas être mises dans le dossier" in status
    assert "<li>Pièce n° 1 « Devis D-12 signé » : le fichier est introuvable.</li>" in status
    # ordre d'usage: the AR of 03/04 comes after the e-mail of 04/03
    assert "<li>Pièce n° 5 « Avis de réception signé » : le fichier est introuvable.</li>" in status
