"""Each exhibit as PDF pages: PDFs as they are, photos and scans through img2pdf, e-mails rendered.

`prepare_exhibit` checks the exhibit can be read, counts its pages and, when it is not already
a PDF, writes the PDF version into a scratch folder; the original file is never modified.
A PDF protected only by an owner password (the empty user password) opens and is copied
decrypted; one that needs a password stops the build with a message naming the exhibit.
"""

from __future__ import annotations

import io
import logging
from dataclasses import replace
from pathlib import Path

import img2pdf
import pikepdf
from PIL import Image, ImageOps, UnidentifiedImageError

from app.documents.claimfile import mail, resample
from app.documents.claimfile.errors import ClaimFileError
from app.documents.claimfile.model import Exhibit
from app.documents.claimfile.parts import PreparedExhibit, Section, UnusableFile
from app.evidence import pillow

A4 = (595.276, 841.89)
IMAGE_BORDER = 24.0  # points around a photo: the stamp strip stays blank, nothing is shrunk
DEFAULT_DPI = 96  # what img2pdf assumes when an image does not say
ORIENTATION = 0x0112  # the EXIF tag
ROTATED = {6: 90, 8: 270}  # quarter turns img2pdf applies to the page (width and height swap)
KEPT = {1, 3, 6, 8}  # orientations img2pdf applies by turning the page: the bytes are kept

PDF, IMAGE, EMAIL = "pdf", "image", "email"
_EXTENSIONS = {".pdf": PDF, ".jpg": IMAGE, ".jpeg": IMAGE, ".png": IMAGE, ".tif": IMAGE,
               ".tiff": IMAGE, ".gif": IMAGE, ".eml": EMAIL}

UNREADABLE = (UnidentifiedImageError, Image.DecompressionBombError, OSError, ValueError)

log = logging.getLogger(__name__)


def exhibit_format(exhibit: Exhibit) -> str | None:
    media_type = exhibit.media_type.split(";")[0].strip().lower()
    if media_type == "application/pdf":
        return PDF
    if media_type.startswith("image/"):
        return IMAGE
    if media_type == "message/rfc822":
        return EMAIL
    name = exhibit.original_name or exhibit.path.name
    return _EXTENSIONS.get(Path(name).suffix.lower())


def prepare_exhibit(exhibit: Exhibit, workdir: Path, *, downsample_dpi: int | None = None,
                    max_pages: int | None = None) -> PreparedExhibit:
    """The exhibit's pages as PDF files; raises ClaimFileError naming it if it cannot be used.
    `max_pages`: an e-mail whose attachments take more is refused as they are read (at upload:
    forty PDFs of 4,999 pages passed each PDF's limit, and a build then ran for half an hour)."""
    kind = exhibit_format(exhibit)
    if not exhibit.path.is_file():
        raise ClaimFileError(exhibit.number, exhibit.title, "le fichier est introuvable.")
    if kind is None:
        raise ClaimFileError(exhibit.number, exhibit.title,
                             f"format non pris en charge ({exhibit.media_type}).")
    stem = workdir / f"exhibit-{exhibit.number}"
    note = ""
    try:
        if kind == PDF:
            sections = (pdf_section(exhibit.path, stem, downsample_dpi),)
        elif kind == IMAGE:
            sections = (image_section(exhibit.path.read_bytes(), stem, downsample_dpi),)
        else:
            sections, note = email_sections(exhibit, stem, downsample_dpi, max_pages)
    except UnusableFile as error:
        raise ClaimFileError(exhibit.number, exhibit.title, error.reason) from error
    except OSError as error:
        raise ClaimFileError(exhibit.number, exhibit.title,
                             "le fichier ne peut pas être lu (droits ou disque).") from error
    return PreparedExhibit(exhibit, sections, note)


def pdf_section(path: Path, stem: Path, downsample_dpi: int | None, title: str = "") -> Section:
    try:
        with pikepdf.open(path) as pdf:
            pages = len(pdf.pages)
            if downsample_dpi and resample.downsample_pdf(pdf, downsample_dpi):
                target = stem.with_suffix(".pdf")
                pdf.save(target)
                path = target
    except pikepdf.PasswordError as error:
        raise UnusableFile("le PDF est protégé par un mot de passe ; "
                           "déposez une version sans mot de passe.") from error
    except pikepdf.PdfError as error:
        raise UnusableFile("le PDF est illisible ou endommagé.") from error
    if pages == 0:
        raise UnusableFile("le PDF ne contient aucune page.")
    return Section(path, pages, margin=False, title=title)


def image_section(data: bytes, stem: Path, downsample_dpi: int | None, title: str = "",
                  ) -> Section:
    """One page, the image upright and centred on an A4 page oriented like the image as shown.

    Decoded (if at all) within the pixel budget, with Pillow's switches set for the call.
    A JPEG shown upright or turned a quarter keeps its bytes (img2pdf turns the page); a
    mirrored orientation (2, 4, 5, 7), transparency or an unusual mode is redrawn upright.
    """
    try:
        with pillow.strict(), Image.open(io.BytesIO(data)) as image:
            orientation = _orientation(image)
            pillow.within_budget(image)
            pdf = None
            if downsample_dpi and getattr(image, "n_frames", 1) == 1:
                resized = resample.downsample_image(image, downsample_dpi,
                                                    _fit_width(image, orientation))
                if resized is not None:
                    pdf = _direct(resized, rotated=False)
            if pdf is None and orientation in KEPT:
                pdf = _direct(data, rotated=orientation in ROTATED)
            if pdf is None:
                pdf = _redrawn(image)
    except pillow.TooManyPixels as error:
        raise UnusableFile(error.reason) from error
    except UNREADABLE as error:
        raise UnusableFile("l'image est illisible.") from error
    target = stem.with_suffix(".pdf")
    target.write_bytes(pdf)
    with pikepdf.open(target) as result:
        pages = len(result.pages)
    return Section(target, pages, margin=True, title=title)


def _orientation(image: Image.Image) -> int:
    try:
        value = int(image.getexif().get(ORIENTATION, 1))
    except (ValueError, TypeError, OSError, SyntaxError):
        return 1
    return value if 1 <= value <= 8 else 1


def _direct(data: bytes, *, rotated: bool) -> bytes | None:
    """img2pdf's page (JPEG bytes kept, page turned by the EXIF rotation); None if it cannot."""
    try:
        return img2pdf.convert(data, rotation=img2pdf.Rotation.ifvalid,
                               layout_fun=_layout(rotated), nodate=True)
    except (img2pdf.AlphaChannelError, img2pdf.UnsupportedColorspaceError,
            img2pdf.JpegColorspaceError, img2pdf.ImageOpenError, ValueError, OSError) as error:
        log.info("image redrawn through Pillow: %s", error)
        return None


def _redrawn(image: Image.Image) -> bytes:
    """The image upright (any EXIF orientation), flattened on white, as a page."""
    upright = ImageOps.exif_transpose(image)
    flat = pillow.printable(upright)
    buffer = io.BytesIO()
    if image.format == "JPEG":
        flat.save(buffer, "JPEG", quality=92, dpi=image.info.get("dpi", (DEFAULT_DPI,) * 2))
    else:
        flat.save(buffer, "PNG", dpi=image.info.get("dpi", (DEFAULT_DPI,) * 2))  # lossless
    return img2pdf.convert(buffer.getvalue(), layout_fun=_layout(False), nodate=True)


def _layout(rotated: bool):  # type: ignore[no-untyped-def]
    """img2pdf layout: A4 in the orientation the image is displayed in, image fitted inside."""

    def layout(width_px: float, height_px: float, ndpi: tuple[float, float],
               ) -> tuple[float, float, float, float]:
        natural_w = width_px * 72 / (ndpi[0] or DEFAULT_DPI)
        natural_h = height_px * 72 / (ndpi[1] or DEFAULT_DPI)
        shown_landscape = (natural_h > natural_w) if rotated else (natural_w > natural_h)
        page_landscape = shown_landscape != rotated
        page_w, page_h = (A4[1], A4[0]) if page_landscape else A4
        room_w, room_h = page_w - 2 * IMAGE_BORDER, page_h - 2 * IMAGE_BORDER
        scale = min(1.0, room_w / natural_w, room_h / natural_h)
        return page_w, page_h, natural_w * scale, natural_h * scale

    return layout


def _fit_width(image: Image.Image, orientation: int) -> float:
    """Width in points the image is shown at on its page (for the downsampling decision)."""
    xdpi, ydpi = (float(v) or DEFAULT_DPI for v in image.info.get("dpi", (DEFAULT_DPI,) * 2))
    width, height = image.size
    if orientation in (5, 7):  # shown turned a quarter, laid out upright by _redrawn
        width, height = height, width
    return _layout(orientation in ROTATED)(width, height, (xdpi, ydpi))[2]


def email_sections(exhibit: Exhibit, stem: Path, downsample_dpi: int | None,
                   max_pages: int | None = None) -> tuple[tuple[Section, ...], str]:
    """The e-mail's page, then the pages of its PDF and image attachments, except those
    produced as exhibits of their own; and a note on characters no font has."""
    message = mail.read_email(exhibit.path)
    elsewhere = dict(exhibit.attachment_exhibits)
    attached: list[Section] = []
    for position, attachment in enumerate(message.attachments, start=1):
        if max_pages is not None and sum(s.pages for s in attached) > max_pages:
            raise UnusableFile(f"ses pièces jointes dépassent {max_pages} pages en tout : "
                               "déposez-les séparément.")
        number = _produced_as(attachment, elsewhere)
        if number is not None:
            attachment.note = f"produite en pièce n° {number}"
            continue
        section = _attachment_section(attachment, stem.with_name(f"{stem.name}-pj{position}"),
                                      downsample_dpi)
        if section is not None:
            attachment.note = "reproduite à la suite"
            attached.append(section)
    if max_pages is not None and sum(s.pages for s in attached) > max_pages:
        raise UnusableFile(f"ses pièces jointes dépassent {max_pages} pages en tout : "
                           "déposez-les séparément.")
    return (mail.render_email(message, stem.with_suffix(".pdf")), *attached), message.note


def _produced_as(attachment: mail.Attachment, elsewhere: dict[int | str, int]) -> int | None:
    """The exhibit number the attachment is produced as, if it is: known by its index in the
    e-mail; by its file name for an exhibit added before indices were kept (two attachments
    of the same name were then one)."""
    if attachment.index is None:
        return None
    if attachment.index in elsewhere:
        return elsewhere[attachment.index]
    return elsewhere.get(attachment.filename)


def _attachment_section(attachment: mail.Attachment, stem: Path, downsample_dpi: int | None,
                        ) -> Section | None:
    """The attachment's pages when it is a PDF or an image we can read; None otherwise."""
    title = f"Pièce jointe : {attachment.filename}"
    try:
        if attachment.kind == PDF:
            source = stem.with_suffix(".source.pdf")
            source.write_bytes(attachment.data)
            section = pdf_section(source, stem, downsample_dpi, title)
        elif attachment.kind == IMAGE:
            section = image_section(attachment.data, stem, downsample_dpi, title)
        else:
            return None
        return replace(section, attachment=attachment.index)
    except UnusableFile as error:
        attachment.note = f"non reproduite : {error.reason}"
    return None
