"""An e-mail's text is decoded as mail clients decode it: charset labels of the WHATWG Encoding
Standard, Windows supersets of the ISO charsets, UTF-8 sent under another label; an unknown
label is guessed, a Latin-script text read as Windows-1252 (French mail)."""

from __future__ import annotations

import base64
from email import message_from_bytes, policy
from pathlib import Path

import pytest

from app.evidence.mail import decode_text, shown_header

RUSSIAN = "Здравствуйте! Напоминаем, что счёт номер 42 от двенадцатого февраля до сих пор " \
          "не оплачен. Просим оплатить сумму в течение восьми дней."
FRENCH = "Bonjour, la facture n° 42 reste impayée à ce jour ; merci de régler sous huit jours."


@pytest.mark.parametrize(("label", "text", "codec"), [
    ("windows-874", "เรียนท่าน ใบแจ้งหนี้", "cp874"),
    ("iso-8859-8-i", "שלום, חשבונית", "iso8859-8"),
    ("x-mac-cyrillic", "Здравствуйте", "mac-cyrillic"),
    ("ks_c_5601-1987", "청구서 42", "cp949"),
    ("x-sjis", "請求書番号42", "cp932"),
    ("GB2312", "朱镕基", "gbk"),  # beyond GB2312: read as GB18030, as mail clients do
])
def test_a_label_mail_clients_know_is_read_as_they_read_it(label, text, codec):
    assert decode_text(text.encode(codec), label) == text


def test_iso_8859_1_reads_the_windows_quotes_and_euro_sign():
    assert decode_text(b"l\x92entreprise doit 10 \x80", "iso-8859-1") == "l’entreprise doit 10 €"


def test_utf8_under_another_label_is_read_as_utf8():
    assert decode_text("请付款 impayée".encode(), "gb2312") == "请付款 impayée"
    assert decode_text("impayée".encode(), None) == "impayée"  # no label: US-ASCII, then UTF-8


def test_an_unknown_label_on_french_text_reads_as_windows_1252():
    assert decode_text(FRENCH.encode("cp1252"), "x-unknown") == FRENCH


def test_an_unknown_label_on_text_in_another_script_is_guessed():
    assert decode_text(RUSSIAN.encode("cp1251"), "x-unknown") == RUSSIAN


def test_a_codec_that_is_no_charset_is_not_applied():
    assert decode_text(b"facture \\u0041", "unicode-escape") == "facture \\u0041"


def test_an_encoded_header_word_in_windows_874_is_read():
    word = base64.b64encode("ใบแจ้งหนี้".encode("cp874")).decode()
    message = message_from_bytes(f"Subject: =?windows-874?B?{word}?=\n\n".encode(),
                                 policy=policy.default)
    assert shown_header(message, "Subject") == "ใบแจ้งหนี้"


# Files of the review of 2 December 2026 (tests/samples/SOURCES.md, hostile-mail/)
SAMPLES = Path(__file__).resolve().parents[1] / "samples" / "hostile-mail"
RUSSIAN_BODY = "Здравствуйте! Прошу оплатить счёт номер 12 от 3 декабря. С уважением, бухгалтерия."


@pytest.mark.parametrize(("name", "read"), [
    # "Tr鋊 cordialement, H幨鋝e": a short French text guessed as Chinese
    ("unknown-8bit-cp1252.eml", "Très cordialement, Hélène"),
    # one byte that is no UTF-8 turned every accent into half-width katakana ("ﾃｩchue")
    ("utf8-one-bad-byte.eml", "Bonjour Madame, veuillez trouver ci-join\ufffdt la facture n° "
                              "F-2026-12 échue le 3 décembre. Merci de régler à réception."),
    # no charset label: read as Windows-1252 ("Çäðàâñòâóéòå!")
    ("unlabelled-cp1251.eml", RUSSIAN_BODY),
    ("unlabelled-cp1252.eml", "Bonjour Madame, veuillez trouver ci-joint la facture n° "
                              "F-2026-12 échue le 3 décembre. Merci de régler à réception."),
    # an HTML body that names its charset in a <meta>, not in its Content-Type
    ("html-meta-charset.eml", RUSSIAN_BODY),
    ("html-meta-http-equiv-koi8r.eml", RUSSIAN_BODY),
    # ISO-2022-JP with Windows' extensions (CP50221: ①, half-width kana) printed its escapes
    ("iso-2022-jp-windows-ext.eml", "請求書①ｶﾀｶﾅのお知らせ"),
])
def test_a_body_in_another_script_or_mislabelled_is_read_as_written(name, read):
    from app.evidence.mail import body_text, parse_message

    assert body_text(parse_message(SAMPLES / name)) == read


def test_raw_8bit_headers_in_windows_1251_are_read():
    # the subject was "Ñ÷¸ò íîìåð 12 — íàïîìèíàíèå", the attachment's name "Ñ÷¸ò_íîìåð_12…"
    from app.evidence.mail import inspect_mail

    facts = inspect_mail(SAMPLES / "raw-cp1251-subject.eml", "m.eml")
    assert facts.subject == "Счёт номер 12 — напоминание"
    facts = inspect_mail(SAMPLES / "raw-cp1251-attachment-name.eml", "m.eml")
    assert [a["filename"] for a in facts.attachments] == ["Счёт_номер_12_от_3_декабря.pdf"]
