"""An e-mail's text is decoded as mail clients decode it: charset labels of the WHATWG Encoding
Standard, Windows supersets of the ISO charsets, UTF-8 sent under another label; an unknown
label is guessed, a Latin-script text read as Windows-1252 (French mail)."""

from __future__ import annotations

import base64
from email import message_from_bytes, policy

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
