"""Reading a multipart upload straight from the request stream into the file store.

Each file part is written, chunk by chunk as it arrives, to a staged temporary file of the
store (hashed on the way); a part over the size limit is discarded at once and the rest of
it skipped, so memory never holds a file and the disk never holds more than the limit.
Starlette's own form parser would first spool every file to a temporary folder and check
nothing; this one writes once, where the file will live.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from email.message import Message
from typing import Any

from fastapi import HTTPException, Request
from python_multipart.exceptions import FormParserError
from python_multipart.multipart import MultipartParser, parse_options_header
from starlette.datastructures import FormData

from app.evidence.refusals import Refusal, too_large
from app.services.evidence_names import clean_filename
from app.storage import FileStore, StagedFile, TooLarge

MAX_FILES = 50
MAX_FIELDS = 100
MAX_FIELD_BYTES = 64 * 1024
# A part's headers: a browser sends two (RFC 7578 §4.2, §4.4); each line bounded as an e-mail
# header is (app/evidence/mail.py), whatever the python-multipart in use bounds itself
MAX_PART_HEADER_BYTES = 16 * 1024
MAX_PART_HEADERS = 16


@dataclass
class UploadedFile:
    filename: str
    staged: StagedFile | None = None
    refusal: Refusal | None = None
    named: bool = True  # False: the part's file name was empty (a form's "no file chosen")


@dataclass
class UploadForm:
    fields: dict[str, list[str]] = field(default_factory=dict)
    files: list[UploadedFile] = field(default_factory=list)

    def data(self) -> dict[str, Any]:
        """Fields as the services read them: one value each, `invoices` as a list."""
        values: dict[str, Any] = {k: v[-1] for k, v in self.fields.items() if k != "invoices"}
        if "invoices" in self.fields:
            values["invoices"] = self.fields["invoices"]
        return values

    def discard(self) -> None:
        for item in self.files:
            if item.staged is not None:
                item.staged.discard()

    def last_file(self) -> UploadedFile | None:
        """The file of a form that takes one (the last sent, as FastAPI's `File()` took it);
        any other is discarded."""
        if not self.files:
            return None
        *others, last = self.files
        UploadForm(files=others).discard()
        return last


class _Reader:
    """`store` None: a form that takes no file, whose file parts are skipped unwritten."""

    def __init__(self, store: FileStore | None, limit: int,
                 authorize: Callable[[dict[str, list[str]]], bool]) -> None:
        self.store = store
        self.limit = limit
        self.authorize = authorize
        self.form = UploadForm()
        self.authorized = False
        self._header_name = bytearray()  # grown in place: `bytes +=` copies it at each chunk
        self._header_value = bytearray()
        self._headers = 0  # the current part's
        self._disposition = b""
        self._name = ""
        self._current: UploadedFile | None = None
        self._field: bytearray | None = None

    def on_part_begin(self) -> None:
        self._headers = 0
        self._disposition = b""
        self._current = None
        self._field = None

    def on_header_field(self, data: bytes, start: int, end: int) -> None:
        self._header_name += data[start:end]
        self._check_header_size()

    def on_header_value(self, data: bytes, start: int, end: int) -> None:
        self._header_value += data[start:end]
        self._check_header_size()

    def _check_header_size(self) -> None:
        if len(self._header_name) + len(self._header_value) > MAX_PART_HEADER_BYTES:
            raise HTTPException(400, "Un en-tête du formulaire est trop long.")

    def on_header_end(self) -> None:
        self._headers += 1
        if self._headers > MAX_PART_HEADERS:
            raise HTTPException(400, "Trop d'en-têtes dans une partie du formulaire.")
        if self._header_name.lower() == b"content-disposition":
            self._disposition = bytes(self._header_value)
        self._header_name, self._header_value = bytearray(), bytearray()

    def on_headers_finished(self) -> None:
        _, options = parse_options_header(self._disposition)
        self._name = _decode(options.get(b"name", b""))
        raw_filename = part_filename(self._disposition, options)
        if raw_filename is None:
            if sum(len(v) for v in self.form.fields.values()) >= MAX_FIELDS:
                raise HTTPException(400, "Trop de champs dans le formulaire.")
            self._field = bytearray()
            return
        if self.store is None:
            return  # no file taken here: its bytes are skipped as they arrive
        if not self.authorized:
            self.authorized = self.authorize(self.form.fields)
            if not self.authorized:
                raise PermissionError("upload not authorized")
        if len(self.form.files) >= MAX_FILES:
            raise HTTPException(400, f"Trop de fichiers en un envoi : {MAX_FILES} au plus.")
        filename = clean_filename(raw_filename)
        self._current = UploadedFile(filename, self.store.stage(self.limit),
                                     named=bool(raw_filename))
        self.form.files.append(self._current)

    def on_part_data(self, data: bytes, start: int, end: int) -> None:
        if self._field is not None:
            self._field += data[start:end]
            if len(self._field) > MAX_FIELD_BYTES:
                raise HTTPException(400, "Un champ du formulaire est trop long.")
            return
        current = self._current
        if current is None or current.staged is None:
            return  # the rest of a refused part: skipped
        try:
            current.staged.write(data[start:end])
        except TooLarge:
            current.staged = None
            current.refusal = too_large(current.filename, self.limit)

    @property
    def refused(self) -> bool:
        return any(f.refusal is not None for f in self.form.files)

    def on_part_end(self) -> None:
        if self._field is not None:
            self.form.fields.setdefault(self._name, []).append(_decode(bytes(self._field)))
            self._field = None
        elif self._current is not None and self._current.staged is not None:
            self._current.staged.finish()


def part_filename(disposition: bytes, options: dict[bytes, bytes]) -> str | None:
    """The part's file name, None for a plain field: the RFC 5987/2231 `filename*` (some
    clients send only that; RFC 7578 forbids it, so python-multipart drops it) before the
    plain `filename`, as RFC 6266 says."""
    extended = _extended_filename(disposition)
    if extended is not None:
        return extended
    if b"filename" in options:
        return _decode(options[b"filename"])
    return None


def _extended_filename(disposition: bytes) -> str | None:
    """`filename*=UTF-8''fa%C3%A7ture.pdf` (or continued as filename*0*=…; filename*1*=…),
    decoded; only UTF-8 and ISO-8859-1 are read as such (RFC 5987): any other charset name is
    never looked up as a Python codec (zlib, base64… would run on the client's bytes)."""
    if b"*" not in disposition:
        return None
    header = Message()
    header["content-disposition"] = disposition.decode("latin-1")
    params = header.get_params(header="content-disposition", failobj=[])
    for key, value in params[1:]:
        if key.lower() == "filename" and isinstance(value, tuple):
            charset, _, text = value
            raw = text.encode("latin-1", "replace")  # the %-decoded bytes, one per character
            if (charset or "").lower().replace("_", "-") in ("iso-8859-1", "latin-1", "latin1"):
                return raw.decode("latin-1")
            return _decode(raw)
    return None


def _decode(raw: bytes) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("latin-1")


def is_multipart(request: Request) -> bool:
    """A multipart/form-data body: the only kind that carries files."""
    content_type, _ = parse_options_header(request.headers.get("content-type", ""))
    return content_type == b"multipart/form-data"


async def read_fields(request: Request) -> None:
    """A multipart body for a route that takes no file: its fields become the request's form,
    which `request.form()` then returns (to the route, and to FastAPI for `Form()`
    parameters); its file parts are skipped as they arrive, never written. Starlette's parser
    would spool each of them, unbounded, to the temporary folder, before any check of who
    sends them (the sign-in, the CSRF token)."""
    # Starlette keeps the parsed form on the request, in this attribute, for every later read
    if getattr(request, "_form", None) is not None:  # read already (a `Form()` route's CSRF)
        return
    form = await read_upload(request, None, 0)
    request._form = FormData([(name, value) for name, values in form.fields.items()
                              for value in values])


async def read_upload(request: Request, store: FileStore | None, limit: int,
                      authorize: Callable[[dict[str, list[str]]], bool] = lambda _: True,
                      *, stop_at_refusal: bool = False) -> UploadForm:
    """Parse the request body; files are staged (not yet in the store) or refused (skipped
    when there is no `store`: see `read_fields`).

    `authorize(fields_so_far)` is asked before the first file byte is written (the page's
    CSRF token must come before the files). Raises PermissionError when it says no.
    `stop_at_refusal`: a file over the limit ends the reading there (the form holds what came
    before it), so that a request made of one file is answered at once instead of after the
    rest of a body nobody will keep (the server drops what the client still sends).
    """
    content_type, params = parse_options_header(request.headers.get("content-type", ""))
    boundary = params.get(b"boundary")
    if content_type != b"multipart/form-data" or not boundary:
        raise HTTPException(400, "Envoyez les fichiers dans un formulaire multipart/form-data.")
    reader = _Reader(store, limit, authorize)
    parser = MultipartParser(boundary, {
        "on_part_begin": reader.on_part_begin, "on_part_data": reader.on_part_data,
        "on_part_end": reader.on_part_end, "on_header_field": reader.on_header_field,
        "on_header_value": reader.on_header_value, "on_header_end": reader.on_header_end,
        "on_headers_finished": reader.on_headers_finished,
    })
    try:
        async for chunk in request.stream():
            parser.write(chunk)
            if stop_at_refusal and reader.refused:
                return reader.form
        parser.finalize()
    except FormParserError as exc:
        reader.form.discard()
        raise HTTPException(400, "Envoi interrompu ou mal formé : recommencez.") from exc
    except BaseException:
        reader.form.discard()
        raise
    unfinished = [f for f in reader.form.files if f.staged is not None and not f.staged.sha256]
    if unfinished:  # the body ended inside a file part
        reader.form.discard()
        raise HTTPException(400, "Envoi interrompu : le fichier est incomplet, recommencez.")
    return reader.form
