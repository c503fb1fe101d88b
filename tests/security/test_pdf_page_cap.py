"""PDF pages are capped at upload (CONTENTIEUX_MAX_PDF_PAGES, default 5,000): a 100,000-page PDF
is refused with the reason, from the count its page tree declares, before the tree is walked."""

from __future__ import annotations

from pathlib import Path

import pikepdf
import pytest
from sqlmodel import Session

from app.config import Settings
from app.evidence import Refusal, inspect_file
from app.services.context import Actor
from tests.conftest import Browser
from tests.security.uploads import debtor_and_auth, post_file


def pdf_of(path: Path, count: int) -> Path:
    pdf = pikepdf.new()
    content = pdf.make_stream(b"")
    tree = pdf.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.Pages, Count=count))
    tree.Kids = pikepdf.Array([
        pdf.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.Page, Parent=tree,
                                             MediaBox=[0, 0, 200, 200], Contents=content))
        for _ in range(count)])
    pdf.Root.Pages = tree
    pdf.save(path, object_stream_mode=pikepdf.ObjectStreamMode.generate)
    return path


@pytest.fixture(scope="module")
def huge(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return pdf_of(tmp_path_factory.mktemp("pages") / "grand-livre.pdf", 100_000)


def test_default_cap_is_5000_pages() -> None:
    assert Settings().max_pdf_pages == 5000


def test_100000_page_pdf_upload_is_refused_with_the_reason(
        huge: Path, client: Browser, session: Session, owner: Actor) -> None:
    debtor, auth = debtor_and_auth(client, session, owner)
    response = post_file(client, debtor, auth, "grand-livre.pdf", huge.read_bytes())
    assert response.status_code == 413, response.text
    assert "100\u202f000 pages" in response.json()["detail"]
    assert "au plus 5\u202f000" in response.json()["detail"]


def test_cap_is_configurable(tmp_path: Path) -> None:
    path = pdf_of(tmp_path / "trois.pdf", 3)
    assert inspect_file(path, "trois.pdf", max_pdf_pages=3).pages == 3
    with pytest.raises(Refusal, match="au plus 2 par fichier"):
        inspect_file(path, "trois.pdf", max_pdf_pages=2)


def test_an_email_cannot_carry_past_the_cap_in_its_attachments(tmp_path: Path) -> None:
    """Forty PDFs of 4,999 pages in one e-mail passed each PDF's cap: a 199,961-page pièce
    whose claim file then ran for half an hour. The attachments count together."""
    from email.message import EmailMessage

    from app.services.evidence_fit import check_fit

    message = EmailMessage()
    message["From"], message["To"] = "compta@durand-btp.test", "claire@lefevre.test"
    message["Subject"] = "Grand livre"
    message.set_content("Ci-joint.")
    for n in range(3):
        message.add_attachment(pdf_of(tmp_path / f"part{n}.pdf", 2).read_bytes(),
                               maintype="application", subtype="pdf", filename=f"part{n}.pdf")
    path = tmp_path / "grand-livre.eml"
    path.write_bytes(bytes(message))
    found = inspect_file(path, path.name)
    check_fit(path, path.name, found, max_pages=6)  # 6 pages of attachments: at the cap
    with pytest.raises(Refusal, match="pièces jointes dépassent 5 pages en tout"):
        check_fit(path, path.name, inspect_file(path, path.name), max_pages=5)
