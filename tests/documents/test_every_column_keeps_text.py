"""Every text column a paper prints hands back what was written, on each database: a name with
a word in every script (emoji included), and `& < > " '` (issue 12, LAW.md §11).

The papers' own tests (test_papers_any_script.py, test_papers_print_as_typed.py) write these
names, print every paper and read it back; in CI they run in one of the two runs, as every
paper test does (tests/ci_share.py). What the other database hands back is proven here: this
module runs in both, and reads each value through a new session, from the database itself.
"""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from sqlmodel import Session, select

from app.config import Settings
from app.models import Debtor
from app.services.context import Actor
from app.storage import FileStore
from tests.documents.every_paper import paper_file, write_text
from tests.documents.names import NAMES, TYPED


def kept(session: Session, debtor: Debtor, name: str) -> None:
    written = write_text(session, debtor, lambda _table, column: (
        "nom@example.test" if "email" in column else name))
    assert len({model for model, _key, _column in written}) == 6  # every table a paper prints
    with Session(session.get_bind()) as fresh:
        for (model, key, column), value in written.items():
            assert getattr(fresh.get(model, key), column) == value, (model.__name__, column)


@settings(max_examples=10, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(name=NAMES)
def test_a_name_in_every_script_is_kept_in_every_column(
        name: str, session: Session, owner: Actor, settings: Settings) -> None:
    settings.ensure_dirs()  # the file is built once; each example rewrites its text
    debtor = session.exec(select(Debtor)).first() or paper_file(
        session, owner, FileStore(settings.files_dir))
    kept(session, debtor, name)


def test_markup_characters_are_kept_in_every_column(session: Session, owner: Actor,
                                                    settings: Settings) -> None:
    settings.ensure_dirs()
    kept(session, paper_file(session, owner, FileStore(settings.files_dir)), TYPED)
