"""Disarming PDFs from outside: nothing a viewer would run on opening or clicking survives.

Exhibits and uploaded Cerfa blanks can carry actions: JavaScript, a Launch of a program, a
form sent to a server, a link to another file. The claim file and the filled Cerfa keep only
what a reader of the papers needs: links to a web or mail address (URI with http, https or
mailto) and within the document (GoTo, named actions such as NextPage). Every other action is
removed, whatever its type: an allow list, so a type met rarely (Rendition carries /JS,
RichMediaExecute runs a script) goes too. Page content, form fields and their values stay.

`disarm_page` cleans one page: its /AA, its annotations' /AA and actions (a link whose action
is removed is dropped, as it would lead nowhere), the annotations that carry a file or a
player (an attached file, a movie), and the /AA and actions of the form fields
its widgets belong to. `disarm_document` also removes the document-level actions (/OpenAction,
/AA, the /JavaScript name tree), the XFA form (its scripts run in Acrobat, and its data would
be shown instead of the values we fill), the outline's actions and the orphan fields' actions.
"""

from __future__ import annotations

import re

import pikepdf

SAFE_ACTIONS = frozenset({"/URI", "/GoTo", "/Named"})
# Annotations that carry a file or a player of their own (an attached .exe, a movie's script):
# dropped, the page's printed content stays
CARRIERS = frozenset({"/FileAttachment", "/Sound", "/Movie", "/Screen", "/RichMedia", "/3D"})
SAFE_SCHEMES = ("http:", "https:", "mailto:")
MAX_CHAIN = 64  # actions followed through /Next, fields up through /Parent
MAX_FIELDS = MAX_ITEMS = 100_000  # form fields, outline items: a bound on a hostile tree
_IGNORED_IN_URI = re.compile(r"[\x00-\x20\x7f]+")  # what browsers skip when reading a scheme


def disarm_document(pdf: pikepdf.Pdf) -> None:
    """Remove every action of `pdf` but safe links, at document, page, field and outline level."""
    root = pdf.Root
    for key in ("/OpenAction", "/AA"):
        _remove(root, key)
    names = root.get("/Names")
    if isinstance(names, pikepdf.Dictionary):
        _remove(names, "/JavaScript")
    form = root.get("/AcroForm")
    if isinstance(form, pikepdf.Dictionary):
        _remove(form, "/XFA")
        _disarm_fields(form.get("/Fields"))
    _disarm_outline(root.get("/Outlines"))
    for page in pdf.pages:
        disarm_page(page.obj)


def disarm_page(page: pikepdf.Dictionary) -> None:
    """Remove the page's own actions and its annotations' unsafe ones."""
    _remove(page, "/AA")
    annotations = page.get("/Annots")
    if not isinstance(annotations, pikepdf.Array):
        return
    kept = [annotation for annotation in annotations if _disarm_annotation(annotation)]
    if len(kept) != len(annotations):
        page.Annots = pikepdf.Array(kept)


def safe_action(action: object) -> bool:
    """True if the action, and every action chained after it by /Next, is a safe link."""
    pending, seen = [action], 0
    while pending:
        seen += 1
        current = pending.pop()
        if seen > MAX_CHAIN or not isinstance(current, pikepdf.Dictionary):
            return False
        kind = current.get("/S")
        if kind is None or str(kind) not in SAFE_ACTIONS:
            return False
        if str(kind) == "/URI" and not _safe_uri(current.get("/URI")):
            return False
        following = current.get("/Next")
        if isinstance(following, pikepdf.Array):
            pending.extend(following)
        elif following is not None:
            pending.append(following)
    return True


def _safe_uri(uri: object) -> bool:
    if not isinstance(uri, pikepdf.String):
        return False
    text = _IGNORED_IN_URI.sub("", bytes(uri).decode("latin-1")).lower()
    return text.startswith(SAFE_SCHEMES)


def _disarm_annotation(annotation: object) -> bool:
    """Clean the annotation in place; False if it is a link left with nowhere to go."""
    if not isinstance(annotation, pikepdf.Dictionary):
        return True
    if str(annotation.get("/Subtype", "")) in CARRIERS:
        return False
    _remove(annotation, "/AA")
    unsafe = False
    for key in ("/A", "/PA"):  # /PA: a link's action on the structure element it marks
        if key in annotation and not safe_action(annotation[key]):
            del annotation[key]
            unsafe = True
    if annotation.get("/Subtype") == pikepdf.Name.Widget:
        _disarm_parents(annotation.get("/Parent"))
    leads_nowhere = "/A" not in annotation and "/Dest" not in annotation
    return not (unsafe and leads_nowhere and annotation.get("/Subtype") == pikepdf.Name.Link)


def _disarm_parents(field: object) -> None:
    """A widget's field and the fields above it: their /AA (keystroke, format, calculate)."""
    for _ in range(MAX_CHAIN):
        if not isinstance(field, pikepdf.Dictionary):
            return
        _disarm_field(field)
        field = field.get("/Parent")


def _disarm_fields(fields: object) -> None:
    """The AcroForm's field tree, each field once (a /Kids loop ends), at most MAX_FIELDS."""
    pending = list(fields) if isinstance(fields, pikepdf.Array) else []
    seen: set[tuple[int, int]] = set()
    while pending and len(seen) < MAX_FIELDS:
        field = pending.pop()
        if not isinstance(field, pikepdf.Dictionary) or not _first_visit(field, seen):
            continue
        _disarm_field(field)
        kids = field.get("/Kids")
        if isinstance(kids, pikepdf.Array):
            pending.extend(kids)


def _disarm_field(field: pikepdf.Dictionary) -> None:
    _remove(field, "/AA")
    if "/A" in field and not safe_action(field.A):
        del field["/A"]


def _disarm_outline(outlines: object) -> None:
    """Every outline item's unsafe /A (their /Dest stays), each item once, at most MAX_ITEMS."""
    pending = [outlines.get("/First")] if isinstance(outlines, pikepdf.Dictionary) else []
    seen: set[tuple[int, int]] = set()
    while pending and len(seen) < MAX_ITEMS:
        item = pending.pop()
        if not isinstance(item, pikepdf.Dictionary) or not _first_visit(item, seen):
            continue
        if "/A" in item and not safe_action(item.A):
            del item["/A"]
        pending.extend((item.get("/Next"), item.get("/First")))


def _first_visit(node: pikepdf.Dictionary, seen: set[tuple[int, int]]) -> bool:
    """False if this indirect object was met already; a direct one cannot be met twice."""
    if not node.is_indirect:
        return True
    if node.objgen in seen:
        return False
    seen.add(node.objgen)
    return True


def _remove(dictionary: pikepdf.Dictionary, key: str) -> None:
    if key in dictionary:
        del dictionary[key]
