"""The one embedded Unicode font of the pages the engine draws (stamps, bordereau, covers).

Text is drawn with `EmbeddedFont.encode()`, which gives each glyph used a two-byte code (a CID)
the first time it appears; `finish()` then builds, with fontTools, a small TrueType font made
of exactly those glyphs — taken from whichever face of `typeface` had them, CFF outlines
(Noto CJK) converted to quadratic curves — and embeds it as a Type 0 font (Identity-H), with
its widths and a ToUnicode map so the text can be searched and copied. Nothing depends on
Helvetica or WinAnsi: any script the installed fonts cover prints as itself.

The font object exists from the start (pages refer to it while they are drawn) and is
completed by `finish()`, which must run before the PDF is saved.
"""

from __future__ import annotations

import hashlib
import io

import pikepdf
from fontTools.fontBuilder import FontBuilder
from fontTools.pens.cu2quPen import Cu2QuPen
from fontTools.pens.recordingPen import DecomposingRecordingPen
from fontTools.pens.transformPen import TransformPen
from fontTools.pens.ttGlyphPen import TTGlyphPen

from app.documents.claimfile.typeface import FONT_LOCK, Face, Glyph, shown

FONT = "/CfU"  # the resource name every drawn page and stamp uses
ASCENT, DESCENT = 905, -212  # Liberation Sans, per 1000 em
FONT_TIMESTAMP = 3_850_070_400  # 2026-01-01 00:00 UTC, in seconds since 1904 (the font epoch)


class EmbeddedFont:
    def __init__(self, pdf: pikepdf.Pdf) -> None:
        self.pdf = pdf
        self.codes: dict[tuple[str, str, str], int] = {}  # (face, glyph, character) -> CID
        self.glyphs: list[Glyph] = []  # in CID order, from CID 1
        self.texts: dict[int, str] = {}  # CID -> the characters it stands for
        self.font = pdf.make_indirect(pikepdf.Dictionary(
            Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type0,
            Encoding=pikepdf.Name("/Identity-H")))
        self.resources = pikepdf.Dictionary({FONT: self.font})

    def encode(self, text: str, *, bold: bool = False) -> bytes:
        """The string drawn as `text` (logical order), as two-byte codes of this font."""
        data = bytearray()
        for glyph in shown(text, bold):
            face, name, _advance, char = glyph
            key = (str(face.path), name, char)  # one code per character: exact ToUnicode
            code = self.codes.get(key)
            if code is None:
                code = self.codes[key] = len(self.glyphs) + 1
                self.glyphs.append(glyph)
                self.texts[code] = char
            data += code.to_bytes(2, "big")
        return bytes(data)

    def finish(self) -> None:
        """Build and embed the font of the glyphs used so far."""
        program = _build(self.glyphs)
        tag = hashlib.sha256(program).hexdigest()[:6].upper().translate(
            str.maketrans("0123456789", "GHIJKLMNOP"))
        base = pikepdf.Name(f"/{tag}+ContentieuxSans")
        widths = pikepdf.Array([1, pikepdf.Array([round(g[2]) for g in self.glyphs])]) \
            if self.glyphs else pikepdf.Array()
        descriptor = self.pdf.make_indirect(pikepdf.Dictionary(
            Type=pikepdf.Name.FontDescriptor, FontName=base, Flags=4,
            FontBBox=pikepdf.Array([-1000, DESCENT - 100, 2000, ASCENT + 200]), ItalicAngle=0,
            Ascent=ASCENT, Descent=DESCENT, CapHeight=716, StemV=80,
            FontFile2=self.pdf.make_stream(program)))
        descendant = self.pdf.make_indirect(pikepdf.Dictionary(
            Type=pikepdf.Name.Font, Subtype=pikepdf.Name.CIDFontType2, BaseFont=base,
            CIDSystemInfo=pikepdf.Dictionary(Registry="Adobe", Ordering="Identity",
                                             Supplement=0),
            FontDescriptor=descriptor, W=widths, DW=1000,
            CIDToGIDMap=pikepdf.Name.Identity))
        self.font.BaseFont = base
        self.font.DescendantFonts = pikepdf.Array([descendant])
        self.font.ToUnicode = self.pdf.make_stream(_to_unicode(self.texts))


def _build(glyphs: list[Glyph]) -> bytes:
    """A TrueType font whose glyph n (n ≥ 1) is `glyphs[n - 1]`, 1000 units per em."""
    order = [".notdef"] + [f"g{n}" for n in range(1, len(glyphs) + 1)]
    outlines = {".notdef": TTGlyphPen(None).glyph()}
    metrics = {".notdef": (500, 0)}
    for name, (face, source, advance, _char) in zip(order[1:], glyphs, strict=True):
        pen = TTGlyphPen(None)
        target = Cu2QuPen(pen, max_err=1.0, reverse_direction=True) \
            if face.outlines != "glyf" else pen
        recording = _outline(face, source)
        recording.replay(TransformPen(target, (face.scale, 0, 0, face.scale, 0, 0)))
        glyph = pen.glyph()
        outlines[name] = glyph
        glyph.recalcBounds(None)  # simple glyphs only: drawing decomposed every component
        metrics[name] = (round(advance), getattr(glyph, "xMin", 0))
    builder = FontBuilder(1000, isTTF=True)
    # fontTools stamps the build time (to the second) in `head`: a fixed one keeps the claim
    # file the same bytes for the same input.
    builder.font["head"].created = builder.font["head"].modified = FONT_TIMESTAMP
    builder.font.recalcTimestamp = False
    builder.setupGlyphOrder(order)
    builder.setupCharacterMap({})
    builder.setupGlyf(outlines)
    builder.setupHorizontalMetrics(metrics)
    builder.setupHorizontalHeader(ascent=ASCENT, descent=DESCENT)
    builder.setupNameTable({"familyName": "Contentieux Sans", "styleName": "Regular"})
    builder.setupOS2(sTypoAscender=ASCENT, sTypoDescender=DESCENT, usWinAscent=ASCENT,
                     usWinDescent=-DESCENT)
    builder.setupPost()
    buffer = io.BytesIO()
    builder.save(buffer)
    return buffer.getvalue()


def _outline(face: Face, source: str) -> DecomposingRecordingPen:
    """The glyph's outline, components decomposed, read while no other thread reads the font."""
    with FONT_LOCK:
        glyph_set = face.font.getGlyphSet()
        recording = DecomposingRecordingPen(glyph_set)
        glyph_set[source].draw(recording)
    return recording


def _to_unicode(texts: dict[int, str]) -> bytes:
    """A ToUnicode CMap: each CID to the characters it draws."""
    entries = [f"<{code:04X}> <{''.join(f'{u:04X}' for u in _utf16(text))}>"
               for code, text in sorted(texts.items()) if text]
    chunks = [entries[i:i + 100] for i in range(0, len(entries), 100)]
    body = "".join(f"{len(chunk)} beginbfchar\n" + "\n".join(chunk) + "\nendbfchar\n"
                   for chunk in chunks)
    return ("/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n"
            "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
            "/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n"
            "1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n" + body +
            "endcmap\nCMapName currentdict /CIDInit /ProcSet findresource pop end\nend\n"
            ).encode("ascii")


def _utf16(text: str) -> list[int]:
    data = text.encode("utf-16-be")
    return [int.from_bytes(data[i:i + 2], "big") for i in range(0, len(data), 2)]
