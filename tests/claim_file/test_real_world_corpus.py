"""Real-world files from public test suites (tests/samples/real/, sources in SOURCES.md): every
file is either refused at upload with a French reason, or appears in ONE claim file built at the
first try, with a stamp on every one of its pages, a bookmark, and the page count the upload
recorded."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from pypdf import PdfReader
from sqlmodel import Session

from app import db
from app.config import Settings
from app.evidence import Refusal
from app.models import ClaimFileJob, Evidence, GeneratedDocument
from app.services import evidence
from app.storage import FileStore
from tests.claim_file.conftest import build_now
from tests.conftest import TODAY
from tests.documents.claimfile.words import pages
from tests.factories import make_debtor, make_user
from tests.pdfs import outline

REAL = Path(__file__).resolve().parents[1] / "samples" / "real"
FILES = sorted(p.relative_to(REAL).as_posix() for p in REAL.rglob("*") if p.is_file()
               and p.name != "SOURCES.md")
PYTHON_WORDS = re.compile(r"Error|Exception|Traceback|None\b")


@dataclass
class Corpus:
    refused: dict[str, str]  # file -> message
    accepted: dict[str, Evidence]
    job: ClaimFileJob
    bookmarks: dict[int, int]  # exhibit number -> first page (1-based)
    page_texts: list[str]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Corpus]:
    settings = Settings(data_dir=tmp_path_factory.mktemp("corpus") / "data", today=TODAY)
    settings.ensure_dirs()
    store = FileStore(settings.files_dir)
    engine = db.make_engine("sqlite://")
    db.create_all(engine)
    with Session(engine, expire_on_commit=False) as session:
        owner = make_user(session, "claire@lefevre.test", "Menuiserie Lefèvre")
        debtor = make_debtor(session, owner)
        refused, accepted = {}, {}
        for name in FILES:
            content = (REAL / name).read_bytes()
            try:
                accepted[name] = evidence.add_bytes(session, owner, store, debtor, content,
                                                    Path(name).name, settings.max_upload_bytes)
            except Refusal as refusal:
                refused[name] = refusal.message
        job = build_now(engine, settings, session, owner, debtor)
        bookmarks, texts = {}, []
        if job.status == "done":
            document = session.get(GeneratedDocument, job.pdf_document_id)
            assert document is not None
            path = store.path_for(document.sha256)
            for _depth, title, page in outline(PdfReader(path)):
                found = re.match(r"Pièce n° (\d+) — ", title)
                if found:
                    bookmarks[int(found.group(1))] = page
            texts = [page.text() for page in pages(path)]
        yield Corpus(refused, accepted, job, bookmarks, texts)
    engine.dispose()


def test_the_corpus_is_real_and_small():
    assert len(FILES) >= 60
    assert sum((REAL / name).stat().st_size for name in FILES) < 15 * 1024 * 1024
    sources = (REAL / "SOURCES.md").read_text(encoding="utf-8")
    for name in FILES:
        assert f"`{name}`" in sources, name


def test_the_claim_file_is_built_at_the_first_try(corpus: Corpus):
    assert corpus.job.status == "done", corpus.job.error
    assert len(corpus.accepted) >= 40  # most real files are usable


@pytest.mark.parametrize("name", FILES)
def test_each_file_is_refused_in_french_or_stamped_and_bookmarked(corpus: Corpus, name: str):
    if name in corpus.refused:
        message = corpus.refused[name]
        assert message.startswith(f"« {Path(name).name} » refusé : "), message
        assert not PYTHON_WORDS.search(message), message
        assert "inattendue" not in message, message  # a reason, not a failure of ours
        return
    assert corpus.job.status == "done", corpus.job.error
    item = corpus.accepted[name]
    numbering = dict((e, n) for n, e in corpus.job.options["numbering"])
    number = numbering[item.id]
    first = corpus.bookmarks[number]
    for index in range(item.pages):  # the API's page count is the claim file's
        text = corpus.page_texts[first - 1 + index]
        assert f"Pièce n° {number} — p. {index + 1}/{item.pages}" in text, (name, index, text)
    after = corpus.page_texts[first - 1 + item.pages] if first - 1 + item.pages < len(
        corpus.page_texts) else ""
    assert f"Pièce n° {number} — p." not in after
