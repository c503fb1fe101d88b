"""The creditor's lists a debtor's page offers in its forms: its courts (the letters' form)
and its reminder scenarios (the reminders section).

They are no debtor's rows, so they change only with the creditor's shared revision
(app/revisions.py): a debtor's page rendered after a change to a file finds them kept at the
revision read with the viewer, without reading them again. Kept per app, as the page cache
(app/web/page_cache.py), since a revision means something in one database only; as plain
values, shared between requests and threads.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session

from app.kept import KeptValues
from app.services import courts
from app.services.context import Actor
from app.services.reminders import debtor_scenario

MAX_ENTRIES = 512  # creditors × revisions seen lately


@dataclass(frozen=True)
class CreditorLists:
    courts: tuple[courts.CourtChoice, ...]
    scenarios: tuple[debtor_scenario.ScenarioSeen, ...]


def read(session: Session, actor: Actor) -> CreditorLists:
    return CreditorLists(courts.choices(session, actor),
                         debtor_scenario.seen(session, actor.creditor_id))


class KeptLists:
    """The lists of the creditors seen lately, each at a shared revision."""

    def __init__(self, max_entries: int = MAX_ENTRIES) -> None:
        self._kept = KeptValues(max_entries)

    def at(self, session: Session, actor: Actor, shared_revision: int) -> CreditorLists:
        return self._kept.get((actor.creditor_id, shared_revision), lambda: read(session, actor))
