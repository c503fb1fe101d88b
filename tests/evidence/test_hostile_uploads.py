"""Pièces of the review of 2 December 2026 (tests/samples/hostile/uploads/) that were a server
error at upload, or broke the debtor's page afterwards. Each is refused (or read) on its own,
next to its name, and the good files sent with it are kept."""

from __future__ import annotations

from html import unescape

import pytest
from sqlmodel import Session

from app.models import Debtor
from app.storage import FileStore
from tests.conftest import Browser
from tests.evidence.conftest import SAMPLES, rows, sample, upload

HOSTILE = "hostile/uploads/"
GOOD = "text_quote_signed.pdf"


@pytest.mark.parametrize("name", [
    "pdf_selfref_loop.pdf",  # pypdf LimitReachedError
    "pdf_declared_size.pdf",  # the same, a stream's declared size
    "pdf_tounicode_len.pdf",  # the same, a ToUnicode map
    "pdf_bad_filter_name.pdf",  # NotImplementedError: a filter pypdf does not know
    "eml_headerparseerror.eml",  # Subject: =?utf-8?B?w6k-w6k=?= (HeaderParseError)
    "eml_date_overflow.eml",  # a Date whose year has 30 digits: the whole request refused
])
def test_a_damaged_file_among_good_ones_is_refused_alone(owner_client: Browser, session: Session,
                                                         durand: Debtor, store: FileStore,
                                                         name: str) -> None:
    good = sample(GOOD)
    other = sample("scanned_delivery_note.pdf")
    response = upload(owner_client, durand, (GOOD, good), (name, sample(HOSTILE + name)),
                      ("bl.pdf", other))
    text = unescape(response.text)
    assert response.status_code in (200, 422), text[-2000:]
    saved = {r.original_name for r in rows(session, durand)}
    assert {GOOD, "bl.pdf"} <= saved, (saved, text[-2000:])
    if name not in saved:  # refused, and said next to its name
        assert f"« {name} »" in text
    assert not list((store.root / ".tmp").glob("*")) if (store.root / ".tmp").exists() else True
    assert owner_client.get(f"/debtors/{durand.id}").status_code == 200


def test_a_facturx_total_of_nan_is_not_read_and_the_page_stays_up(owner_client: Browser,
                                                                  session: Session,
                                                                  durand: Debtor) -> None:
    # GrandTotalAmount "NaN" went through quantize: the debtor's page was a 500 for good
    response = upload(owner_client, durand, ("fx_nan.pdf", sample(HOSTILE + "fx_nan.pdf")))
    assert response.status_code == 200, unescape(response.text)[-2000:]
    page = owner_client.get(f"/debtors/{durand.id}")
    assert page.status_code == 200
    assert "NaN" not in page.text


def test_backslashes_and_a_broken_encoded_word_in_a_header_stay_as_typed() -> None:
    r"""Beside an encoded word, "\u0041" was read as an escape ("A") and "C:\Users" made the
    e-mail refused as malformed; a base64 encoded word that does not decode was a 500."""
    from app.evidence.mail import header_text

    assert header_text(r"Relance \u0041 =?utf-8?Q?caf=C3=A9?= C:\Users") == \
        r"Relance \u0041 café C:\Users"
    assert header_text("=?utf-8?B?w6k-w6k=?=") == "=?utf-8?B?w6k-w6k=?="
    assert header_text("=?utf-8?Q?caf=C3=A9?= «à» 日本") == "café «à» 日本"


def test_an_email_to_a_hundred_recipients_is_read_and_printed_whole(
        owner_client: Browser, session: Session, durand: Debtor) -> None:
    """Its To header (100 addresses, 5.6 KB) took 31 s to lay out at upload, 1,000 words of
    subject 23 s, the server stalled meanwhile: the header table's automatic layout measured
    every break in them. Laid out at fixed widths: 0.1 s (tests/samples/SOURCES.md)."""
    from app.documents.claimfile.trial import trial

    for name in ("to_100_recipients.eml", "subject_plain_1000_words.eml"):
        response = upload(owner_client, durand, (name, sample(HOSTILE + name)))
        assert response.status_code == 200 and f"« {name} » enregistré" in \
            unescape(response.text), unescape(response.text)[-1500:]
    path = SAMPLES / HOSTILE / "to_100_recipients.eml"
    assert trial(path, "message/rfc822", path.name).pages >= 1


def test_an_email_whose_subject_is_38_kb_of_encoded_words_is_refused_before_parsing(
        owner_client: Browser, session: Session, durand: Debtor) -> None:
    # Python's header parser: memory in the square of such a subject (152 KB took 607 MB)
    name = "subject_2000_ew.eml"
    response = upload(owner_client, durand, (name, sample(HOSTILE + name)))
    assert "un de ses en-têtes dépasse 16 Ko" in unescape(response.text)
    assert name not in {r.original_name for r in rows(session, durand)}


@pytest.mark.parametrize(("name", "read"), [
    # Apple Mail: text, inline image, text: the second part was missing
    ("apple_split_body.eml", "Premiere partie: je reconnais devoir 1 000 euros.\n\n"
                             "SECONDE PARTIE: je paierai le 15 decembre 2026. "
                             "Signature: Jean Dupont"),
    # an empty text/plain alternative: "(aucun texte)" while the HTML had it all
    ("empty_plain_alt.eml", "Je reconnais devoir la somme de 5 000 euros."),
    # format=flowed, delsp=yes: "som me", "pai erai"
    ("flowed.eml", "Je reconnais devoir la somme de 1 000 euros et je paierai.\n> citeligne"),
])
def test_an_email_body_is_read_as_its_sender_wrote_it(name: str, read: str) -> None:
    from app.evidence.mail import body_text, parse_message

    assert body_text(parse_message(SAMPLES / "hostile-mail" / name)) == read


def test_a_table_in_an_html_email_keeps_its_cells_apart() -> None:
    # "F-2026-12 | 1 200,00 €" was read "F-2026-121 200,00 €": 121 200,00 € suggested
    from app.evidence.mail import body_text, parse_message
    from app.evidence.suggest import amounts_in

    text = body_text(parse_message(SAMPLES / "hostile-mail" / "html_table.eml"))
    assert "F-2026-12 | 1 200,00 €\nF-2026-13 | 80,00 €" in text
    assert "1 280,00 €\nMessage cité\nCordialement" in text
    assert "121200.00" not in amounts_in(text) and "1380.00" not in amounts_in(text)


def test_an_outlook_message_is_named_and_the_way_out_given(owner_client: Browser,
                                                            session: Session,
                                                            durand: Debtor) -> None:
    # was refused as "un ancien document Office (.doc/.xls)"
    name = "relance_outlook.msg"
    response = upload(owner_client, durand, (name, sample(HOSTILE + name)))
    text = unescape(response.text)
    assert "c'est un message Outlook (.msg)" in text and "imprimez-le en PDF" in text
    assert name not in {r.original_name for r in rows(session, durand)}


def test_a_facturx_date_of_year_one_is_no_date(owner_client: Browser, session: Session,
                                               durand: Debtor) -> None:
    # shown "01/01/1", then the pièce's own form refused its date: it could not be edited
    name = "fx_baddate.pdf"
    response = upload(owner_client, durand, (name, sample(HOSTILE + name)))
    assert response.status_code == 200, unescape(response.text)[-1500:]
    [row] = [r for r in rows(session, durand) if r.original_name == name]
    assert row.document_date is None or row.document_date.year >= 1900
    assert "01/01/1<" not in owner_client.get(f"/debtors/{durand.id}").text


@pytest.mark.parametrize("name", ["fwd_base64_rfc822.eml", "fwd_qp_rfc822.eml"])
def test_a_forwarded_message_sent_encoded_is_read(name: str) -> None:
    # its message/rfc822 part in base64 (or quoted-printable): raw base64 was printed in the
    # claim file, "D=C3=A9biteur" in the headers
    from app.evidence.mail import parse_message, readable_text

    text = readable_text(parse_message(SAMPLES / "hostile-mail" / name))
    assert "De : Débiteur <d@x.fr>\nÀ : a@b.fr\n" in text
    assert "Objet : Accord de paiement\n\nJe m'engage à payer 3 000 € avant le 30/11." in text


def test_a_forwarded_message_with_a_header_over_16_kb_is_not_parsed() -> None:
    # the top message's headers are checked before parsing; a forwarded one's were not
    from app.evidence.mail import forwarded_messages

    def forwarding(subject: str) -> bytes:
        return ("From: ivan@example.ru\r\nSubject: TR\r\nMIME-Version: 1.0\r\n"
                "Content-Type: multipart/mixed; boundary=BB\r\n\r\n--BB\r\n"
                "Content-Type: text/plain\r\n\r\nVoir\r\n--BB\r\n"
                "Content-Type: message/rfc822\r\n\r\n"
                f"From: d@x.fr\r\nSubject: {subject}\r\n\r\nAccord.\r\n--BB--\r\n"
                ).encode()

    from email import message_from_bytes, policy

    hostile = message_from_bytes(forwarding(" ".join(["=?utf-8?Q?=C3=A9?="] * 2000)),
                                 policy=policy.default)
    assert forwarded_messages(hostile) == []  # type: ignore[arg-type]
    plain = message_from_bytes(forwarding("Accord de paiement"), policy=policy.default)
    assert len(forwarded_messages(plain)) == 1  # type: ignore[arg-type]
