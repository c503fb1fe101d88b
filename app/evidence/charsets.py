"""How mail clients turn a part's bytes into text, for the e-mails (app/evidence/mail.py).

A charset label is taken as mail clients take it (the WHATWG Encoding Standard's labels:
`windows-874`, `iso-8859-8-i`, `x-mac-cyrillic`…); UTF-8 sent under another label and bytes
beyond a legacy charset (`gb2312` text using GBK, ISO-2022-JP with Windows' extensions) are read
too; a UTF-8 text with a stray byte stays UTF-8. Bytes with no label, an unknown one
(`unknown-8bit`) or none that reads them are guessed: French text as Windows-1252, what the
French mail this app receives is written in, another script as charset-normalizer tells. Never
Latin-1 mojibake.
"""

from __future__ import annotations

import codecs
import re
import unicodedata

from charset_normalizer import from_bytes

FALLBACK = "cp1252"  # what a French mail client shows when nothing else reads the bytes

# WHATWG labels Python's codecs do not know, registered below so that a body and an encoded
# header word (=?windows-874?B?…?=) decode alike (https://encoding.spec.whatwg.org/#names-and-labels)
_UNKNOWN_TO_PYTHON = {label: codec for codec, labels in (
    ("utf-8", "unicode-1-1-utf-8 unicode11utf8 unicode20utf8 x-unicode20utf8"),
    ("iso8859-2", "iso88592"), ("iso8859-3", "iso88593"), ("iso8859-4", "iso88594"),
    ("iso8859-5", "iso88595"),
    ("iso8859-6", "csiso88596e csiso88596i iso-8859-6-e iso-8859-6-i iso88596"),
    ("iso8859-7", "iso88597 sun_eu_greek"),
    ("iso8859-8", "csiso88598e csiso88598i iso-8859-8-e iso-8859-8-i iso88598 logical visual"),
    ("iso8859-10", "iso885910"), ("iso8859-13", "iso885913"), ("iso8859-14", "iso885914"),
    ("iso8859-15", "csisolatin9 iso885915"), ("koi8-r", "koi koi8"), ("koi8-u", "koi8-ru"),
    ("mac-roman", "csmacintosh mac x-mac-roman"),
    ("mac-cyrillic", "x-mac-cyrillic x-mac-ukrainian"),
    ("cp874", "dos-874 iso885911 windows-874"),
    ("cp1250", "x-cp1250"), ("cp1251", "x-cp1251"), ("cp1252", "iso88591 x-cp1252"),
    ("cp1253", "x-cp1253"), ("cp1254", "iso88599 x-cp1254"), ("cp1255", "x-cp1255"),
    ("cp1256", "x-cp1256"), ("cp1257", "x-cp1257"), ("cp1258", "x-cp1258"),
    ("gb18030", "csgb2312 gb_2312 gb_2312-80 x-gbk"), ("big5hkscs", "cn-big5 x-x-big5"),
    ("euc_jp", "cseucpkdfmtjapanese x-euc-jp"), ("cp932", "windows-31j x-sjis"),
    ("cp949", "cseuckr csksc56011987 iso-ir-149 ks_c_5601-1989 ksc_5601 windows-949"),
    ("utf-16-be", "unicodefffe"),
    ("utf-16-le", "csunicode iso-10646-ucs-2 ucs-2 unicode unicodefeff"),
) for label in labels.split()}
# What mail clients read a legacy charset as (WHATWG again); keys are Python's codec names.
# Read first: where the ISO charset has invisible C1 controls, Windows has ’ “ ” € …
_READ_AS = {"iso8859-1": "cp1252", "iso8859-9": "cp1254", "iso8859-11": "cp874",
            "tis-620": "cp874"}
# Read last, when the bytes are neither valid in the declared charset nor UTF-8.
_WIDER = {"gb2312": "gb18030", "gbk": "gb18030", "euc_kr": "cp949",
          "shift_jis": "cp932", "big5": "big5hkscs",
          "iso2022_jp": "cp50221"}
# Python codecs that are no charset a mail can declare: they would turn text into other text.
_NOT_CHARSETS = {"unicode-escape", "raw-unicode-escape", "punycode", "idna", "undefined"}
# Where an unknown label is guessed, the charsets mail is written in.
_GUESSES = ["cp1252", "cp1250", "cp1251", "koi8_r", "cp1253", "cp1254", "cp1255", "cp1256",
            "cp1257", "cp874", "gb18030", "big5", "cp932", "euc_jp", "cp949", "mac_cyrillic"]


def _label_key(label: str) -> str:
    return label.strip().lower().replace("-", "_").replace(" ", "_")


_LABELS = {_label_key(label): codec for label, codec in _UNKNOWN_TO_PYTHON.items()}


def _whatwg_codec(name: str) -> codecs.CodecInfo | None:
    if _label_key(name) == "cp50221":
        return _CP50221
    codec = _LABELS.get(_label_key(name))
    return codecs.lookup(codec) if codec else None


def decode_text(data: bytes, label: str | None) -> str:
    """The text of these bytes: in the declared charset if they are valid in it, else UTF-8
    (often sent under another label), else the charset mail clients read the label as (a
    superset), else UTF-8 with a few stray bytes, else guessed. No label is US-ASCII."""
    declared = _codec_name(label or "us-ascii") or ""
    wider = ("utf-8", _WIDER.get(declared))
    if declared.startswith("iso2022"):  # 7-bit: its escapes would read as ASCII, thus UTF-8
        wider = wider[::-1]
    for candidate in dict.fromkeys((_READ_AS.get(declared), declared, *wider)):
        if candidate:
            try:
                return data.decode(candidate)
            except (LookupError, UnicodeError):
                continue
    return _mostly_utf8(data) or _guess(data)


def _codec_name(label: str) -> str | None:
    try:
        name = codecs.lookup(label.strip()).name
    except (LookupError, ValueError):  # ValueError: a label with a NUL in it
        return None
    return None if name in _NOT_CHARSETS else name


def _mostly_utf8(data: bytes) -> str | None:
    """UTF-8 with a few bytes that are not (a text cut or patched by hand), when its valid
    characters beyond ASCII far outnumber them: in Windows-1252 text, an accented letter is
    almost never followed by the bytes that would make it UTF-8."""
    text = data.decode("utf-8", errors="replace")
    stray = text.count("\ufffd")
    valid = sum(1 for c in text if c > "\x7f") - stray
    return text if valid >= 3 and valid >= 4 * stray else None


def _guess(data: bytes) -> str:
    """Bytes no declared charset reads. Text that reads as French in Windows-1252 is taken so
    (a guesser tells Chinese for "Très cordialement, Hélène"); else a guess in another script
    (charset-normalizer); a Latin-script guess is read as Windows-1252 too (the guessers often
    tell Windows-1250 for French, on little text)."""
    western = data.decode(FALLBACK, errors="replace")
    if _reads_as_french(western):
        return western
    best = from_bytes(data, cp_isolation=_GUESSES).best()
    if best is None or best.encoding == FALLBACK or _mostly_latin(str(best)):
        return western
    return str(best)


# What French text holds beyond ASCII.
_FRENCH = set("àâäçéèêëîïôöùûüÿœæÀÂÄÇÉÈÊËÎÏÔÖÙÛÜŸŒÆ«»°€’‘“”–—…•§²\xa0")


def _reads_as_french(text: str) -> bool:
    """Few characters beyond ASCII, nearly all of them French ones: another script read as
    Windows-1252 is nearly all beyond ASCII ("Çäðàâñòâóéòå"), and not French."""
    beyond = [c for c in text if c > "\x7f"]
    letters = sum(1 for c in text if c.isalpha())
    french = sum(1 for c in beyond if c in _FRENCH)
    return french >= 0.9 * len(beyond) and len(beyond) <= 0.3 * letters


def _mostly_latin(text: str) -> bool:
    letters = [c for c in text if ord(c) > 0x7F and c.isalpha()]
    latin = sum(1 for c in letters if unicodedata.name(c, "").startswith("LATIN"))
    return latin * 2 >= len(letters)


_META_CHARSET = re.compile(rb"""<meta[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)""", re.I)


def meta_charset(html: bytes) -> str | None:
    """The charset an HTML document names in a <meta> within its first 1,024 bytes, as a
    browser's prescan finds it (https://html.spec.whatwg.org/#prescan-a-byte-stream); UTF-16
    there means UTF-8, as browsers read it (the bytes are ASCII-compatible)."""
    found = _META_CHARSET.search(html[:1024])
    if not found:
        return None
    label = found.group(1).decode("ascii")
    return "utf-8" if label.lower().replace("_", "-").startswith(("utf-16", "unicode")) else label


# ------------------------------------------------------------- ISO-2022-JP, as Windows writes it

# Escape sequences (RFC 1468) and Windows' half-width katakana set; JIS X 0212 is not read
_JIS_ESCAPES = ((b"\x1b(B", "roman"), (b"\x1b(J", "roman"), (b"\x1b(I", "kana"),
                (b"\x1b$@", "jis"), (b"\x1b$B", "jis"), (b"\x1b&@", None))


def _cp50221_as_cp932(data: bytes) -> bytes:
    """ISO-2022-JP with Windows' extensions (code page 50221: NEC's ①…, half-width katakana
    after ESC ( I or SO) rewritten as the Shift_JIS bytes of Windows-31J, which holds them."""
    out, mode, shifted, i = bytearray(), "roman", False, 0
    while i < len(data):
        byte = data[i]
        if byte == 0x1B:
            escape = next(((esc, m) for esc, m in _JIS_ESCAPES if data.startswith(esc, i)), None)
            if escape is None:
                raise UnicodeDecodeError("cp50221", data, i, i + 1, "unknown escape")
            mode = escape[1] or mode
            i += len(escape[0])
        elif byte in (0x0E, 0x0F):
            shifted, i = byte == 0x0E, i + 1
        elif byte in (0x0A, 0x0D) or (mode == "roman" and not shifted and byte < 0x80):
            out.append(byte)
            i += 1
        elif (shifted or mode == "kana") and 0x21 <= byte <= 0x5F:
            out.append(byte + 0x80)
            i += 1
        elif mode == "jis" and i + 1 < len(data) and 0x21 <= byte <= 0x7E \
                and 0x21 <= data[i + 1] <= 0x7E:
            out += _jis_as_sjis(byte, data[i + 1])
            i += 2
        else:
            raise UnicodeDecodeError("cp50221", data, i, i + 1, "not ISO-2022-JP")
    return bytes(out)


def _jis_as_sjis(first: int, second: int) -> bytes:
    """A JIS X 0208 row and cell as Shift_JIS (the textbook arithmetic)."""
    lead = (first + 1) // 2 + (0x70 if first <= 0x5E else 0xB0)
    trail = second + (0x1F + (second >= 0x60) if first % 2 else 0x7E)
    return bytes((lead, trail))


def _cp50221_decode(data: bytes, errors: str = "strict") -> tuple[str, int]:
    return _cp50221_as_cp932(bytes(data)).decode("cp932", errors), len(data)


_CP50221 = codecs.CodecInfo(name="cp50221", encode=codecs.lookup("iso2022_jp").encode,
                            decode=_cp50221_decode)


codecs.register(_whatwg_codec)
