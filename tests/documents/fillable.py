"""A fillable PDF made in the test, with the field names of a mapping (no official form needed)."""

from __future__ import annotations

import io
from collections.abc import Iterable

from pypdf import PdfWriter
from pypdf.generic import (
    ArrayObject,
    DictionaryObject,
    FloatObject,
    NameObject,
    NumberObject,
    TextStringObject,
)


def _widget(writer: PdfWriter, name: str, index: int, checkbox: bool) -> object:
    top = 800 - 18 * (index % 42)
    left = 40 + 270 * (index // 42)
    field = DictionaryObject({
        NameObject("/Type"): NameObject("/Annot"),
        NameObject("/Subtype"): NameObject("/Widget"),
        NameObject("/FT"): NameObject("/Btn" if checkbox else "/Tx"),
        NameObject("/T"): TextStringObject(name),
        NameObject("/Rect"): ArrayObject([FloatObject(left), FloatObject(top),
                                          FloatObject(left + (14 if checkbox else 250)),
                                          FloatObject(top + 14)]),
        NameObject("/F"): NumberObject(4),
    })
    if checkbox:
        on = writer._add_object(DictionaryObject())
        off = writer._add_object(DictionaryObject())
        field[NameObject("/V")] = NameObject("/Off")
        field[NameObject("/AS")] = NameObject("/Off")
        field[NameObject("/AP")] = DictionaryObject({NameObject("/N"): DictionaryObject(
            {NameObject("/Oui"): on, NameObject("/Off"): off})})
    else:
        field[NameObject("/V")] = TextStringObject("")
        field[NameObject("/DA")] = TextStringObject("/Helv 9 Tf 0 g")
    return writer._add_object(field)


def fillable_pdf(text_fields: Iterable[str], checkboxes: Iterable[str] = ()) -> bytes:
    writer = PdfWriter()
    page = writer.add_blank_page(width=595, height=842)
    names = [(n, False) for n in text_fields] + [(n, True) for n in checkboxes]
    refs = ArrayObject(_widget(writer, name, i, box) for i, (name, box) in enumerate(names))
    page[NameObject("/Annots")] = refs
    writer._root_object[NameObject("/AcroForm")] = writer._add_object(DictionaryObject({
        NameObject("/Fields"): ArrayObject(refs),
        NameObject("/DA"): TextStringObject("/Helv 9 Tf 0 g"),
    }))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
