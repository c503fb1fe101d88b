"""No exhibit brings an action into the claim file: no page or annotation runs a script, launches
a program, submits a form or opens another file; web links and internal links stay."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pikepdf

from app.documents.claimfile import Exhibit, build_claim_file
from app.documents.claimfile.disarm import disarm_document, safe_action

HOSTILE = Path(__file__).resolve().parents[2] / "samples" / "hostile"
ALLOWED = {"/URI", "/GoTo", "/Named"}


def action(kind: str, **entries: object) -> pikepdf.Dictionary:
    return pikepdf.Dictionary(S=pikepdf.Name(kind), **entries)


def link(rect: list[int], **entries: object) -> pikepdf.Dictionary:
    return pikepdf.Dictionary(Type=pikepdf.Name.Annot, Subtype=pikepdf.Name.Link,
                              Rect=pikepdf.Array(rect), **entries)


def armed_pdf(path: Path) -> Path:
    """Two pages whose links launch, script, submit, reset, import and open other files, next
    to a web link, a mail link and a link to page 2; a widget with a keystroke script."""
    pdf = pikepdf.new()
    pdf.add_blank_page(page_size=(595, 842))
    second = pdf.add_blank_page(page_size=(595, 842))
    uri = action("/URI", URI=pikepdf.String("https://www.legifrance.gouv.fr/"))
    annotations = [
        link([0, 0, 10, 10], A=action("/Launch", F=pikepdf.String("/bin/sh"))),
        link([0, 10, 10, 20], A=action("/JavaScript", JS=pikepdf.String("app.alert(1)"))),
        link([0, 20, 10, 30], A=action("/SubmitForm", F=pikepdf.String("http://x.test/"))),
        link([0, 30, 10, 40], A=action("/ResetForm")),
        link([0, 40, 10, 50], A=action("/ImportData", F=pikepdf.String("data.fdf"))),
        link([0, 50, 10, 60], A=action("/GoToR", F=pikepdf.String("other.pdf"),
                                       D=pikepdf.Array([0, pikepdf.Name.Fit]))),
        link([0, 60, 10, 70], A=action("/GoToE", F=pikepdf.String("other.pdf"),
                                       D=pikepdf.Array([0, pikepdf.Name.Fit]))),
        link([0, 70, 10, 80], A=action("/URI", URI=pikepdf.String("javascript:alert(1)"))),
        link([0, 80, 10, 90], A=action("/URI", URI=pikepdf.String("file:///bin/sh"))),
        link([0, 90, 10, 100], A=action(  # a web link with a script chained after it
            "/URI", URI=pikepdf.String("https://x.test/"),
            Next=action("/JavaScript", JS=pikepdf.String("app.alert(2)")))),
        link([100, 0, 200, 10], A=uri),
        link([100, 10, 200, 20], A=action("/URI", URI=pikepdf.String("mailto:a@b.test"))),
        link([100, 20, 200, 30], A=action("/GoTo", D=pikepdf.Array([second.obj,
                                                                     pikepdf.Name.Fit]))),
        link([100, 30, 200, 40], Dest=pikepdf.Array([second.obj, pikepdf.Name.Fit])),
        pikepdf.Dictionary(
            Type=pikepdf.Name.Annot, Subtype=pikepdf.Name.Widget, FT=pikepdf.Name.Tx,
            T=pikepdf.String("montant"), Rect=pikepdf.Array([300, 300, 500, 320]),
            AA=pikepdf.Dictionary(K=action("/JavaScript", JS=pikepdf.String("app.alert(3)"))),
            Parent=pikepdf.Dictionary(T=pikepdf.String("form"), AA=pikepdf.Dictionary(
                C=action("/JavaScript", JS=pikepdf.String("app.alert(4)"))))),
        pikepdf.Dictionary(Type=pikepdf.Name.Annot, Subtype=pikepdf.Name.Text,
                           Rect=pikepdf.Array([300, 400, 320, 420]),
                           Contents=pikepdf.String("Note"), A=action("/Launch")),
    ]
    pdf.pages[0].obj.Annots = pdf.make_indirect(pikepdf.Array(
        [pdf.make_indirect(a) for a in annotations]))
    second.obj.AA = pikepdf.Dictionary(C=action("/Launch", F=pikepdf.String("/bin/sh")))
    pdf.Root.OpenAction = action("/JavaScript", JS=pikepdf.String("app.alert(0)"))
    pdf.save(path, deterministic_id=True)
    return path


def actions_of(annotation: pikepdf.Dictionary) -> list[pikepdf.Dictionary]:
    found, pending = [], [annotation.get("/A")]
    while pending:
        current = pending.pop()
        if isinstance(current, pikepdf.Array):
            pending.extend(current)
        elif isinstance(current, pikepdf.Dictionary):
            found.append(current)
            pending.append(current.get("/Next"))
    return found


def assert_disarmed(path: Path) -> list[pikepdf.Dictionary]:
    """Every page and annotation of the claim file: no /AA, only allowed actions; its links."""
    links = []
    with pikepdf.open(path) as pdf:
        for key in ("/OpenAction", "/AA", "/Names", "/AcroForm"):
            assert key not in pdf.Root, key
        for number, page in enumerate(pdf.pages, start=1):
            assert "/AA" not in page.obj, number
            for annotation in page.obj.get("/Annots", []):
                assert "/AA" not in annotation, (number, annotation)
                parent = annotation.get("/Parent")
                while parent is not None:
                    assert "/AA" not in parent, (number, annotation)
                    parent = parent.get("/Parent")
                for step in actions_of(annotation):
                    assert str(step.S) in ALLOWED, (number, step)
                    if step.S == pikepdf.Name.URI:
                        assert str(step.URI).startswith(("https:", "http:", "mailto:")), step
                if annotation.get("/Subtype") == pikepdf.Name.Link:
                    links.append(pikepdf.Dictionary(annotation))
    return links


def test_the_page_launch_action_of_a_hostile_exhibit_is_gone(front, info, out: Path):
    exhibit = Exhibit(1, "Facture piégée", "invoice", date(2026, 4, 5),
                      HOSTILE / "exhibit-page-launch-action.pdf", "application/pdf", "js.pdf")
    result = build_claim_file(front, [exhibit], out / "dossier.pdf", info)

    links = assert_disarmed(out / "dossier.pdf")
    with pikepdf.open(out / "dossier.pdf") as pdf:
        page = pdf.pages[result.placement(1).page_index].obj
        assert [str(a.A.URI) for a in page.Annots] == ["http://127.0.0.1:8899/pdf-uri"]
    assert any("/A" in link and link.A.S == pikepdf.Name.URI for link in links)


def test_links_that_run_or_open_something_are_removed_web_and_internal_ones_kept(
        front, info, out: Path, samples: Path):
    exhibit = Exhibit(1, "Relevé piégé", "other", date(2026, 4, 5),
                      armed_pdf(samples / "armed.pdf"), "application/pdf", "armed.pdf")
    result = build_claim_file(front, [exhibit], out / "dossier.pdf", info)

    assert_disarmed(out / "dossier.pdf")
    with pikepdf.open(out / "dossier.pdf") as pdf:
        first = result.placement(1).page_index
        page, second = pdf.pages[first].obj, pdf.pages[first + 1].obj
        kept = [a for a in page.Annots if a.Subtype == pikepdf.Name.Link]
        assert [str(a.A.URI) for a in kept if "/A" in a and a.A.S == pikepdf.Name.URI] == [
            "https://www.legifrance.gouv.fr/", "mailto:a@b.test"]
        internal = [a.A.D[0] if "/A" in a else a.Dest[0] for a in kept
                    if "/Dest" in a or str(a.A.S) == "/GoTo"]
        assert [target.objgen for target in internal] == [second.objgen] * 2
        [widget] = [a for a in page.Annots if a.Subtype == pikepdf.Name.Widget]
        assert str(widget.T) == "montant"  # the field stays, without its script
        [note] = [a for a in page.Annots if a.Subtype == pikepdf.Name.Text]
        assert "/A" not in note and str(note.Contents) == "Note"


def test_action_and_field_loops_end(tmp_path: Path):
    pdf = pikepdf.new()
    page = pdf.add_blank_page()
    looping = pdf.make_indirect(action("/URI", URI=pikepdf.String("https://x.test/")))
    looping.Next = pikepdf.Array([looping, looping])
    field = pdf.make_indirect(pikepdf.Dictionary(T=pikepdf.String("f"), AA=pikepdf.Dictionary(
        K=action("/JavaScript", JS=pikepdf.String("app.alert(1)")))))
    field.Kids = pikepdf.Array([field, field])
    field.Parent = field
    widget = pdf.make_indirect(pikepdf.Dictionary(
        Type=pikepdf.Name.Annot, Subtype=pikepdf.Name.Widget, Rect=pikepdf.Array([0, 0, 9, 9]),
        Parent=field, A=looping))
    page.obj.Annots = pikepdf.Array([widget, link([0, 0, 9, 9], A=looping)])
    pdf.Root.AcroForm = pikepdf.Dictionary(Fields=pikepdf.Array([field]))

    disarm_document(pdf)  # returns: a /Next, /Kids or /Parent loop is followed a bounded time

    assert not safe_action(looping)
    assert "/AA" not in field and "/A" not in widget
    assert list(page.obj.Annots) == [widget]  # the link, left with nowhere to go, is dropped


def test_an_attached_file_or_a_movie_never_reaches_the_claim_file():
    pdf = pikepdf.new()
    page = pdf.add_blank_page(page_size=(595, 842))
    carried = pikepdf.Stream(pdf, b"MZ\x90\x00 an executable")
    spec = pikepdf.Dictionary(Type=pikepdf.Name.Filespec, F=pikepdf.String("setup.exe"),
                              EF=pikepdf.Dictionary(F=carried))
    note = pikepdf.Dictionary(Type=pikepdf.Name.Annot, Subtype=pikepdf.Name.Text,
                              Rect=pikepdf.Array([0, 0, 20, 20]), Contents=pikepdf.String("Vu"))
    page.obj.Annots = pikepdf.Array([
        pdf.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.Annot,
                                             Subtype=pikepdf.Name.FileAttachment,
                                             Rect=pikepdf.Array([50, 50, 70, 70]), FS=spec)),
        pdf.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.Annot, Subtype=pikepdf.Name.Screen,
                                             Rect=pikepdf.Array([80, 80, 90, 90]))),
        pdf.make_indirect(note)])
    disarm_document(pdf)
    assert [str(a.Subtype) for a in pdf.pages[0].obj.Annots] == ["/Text"]
