"""What a debtor's page reads that is no debtor's own: the creditor's lists its forms offer (its
courts for the letters' form, its reminder scenarios for the reminders section), the court it
named for each town (proposed for a debtor there), and the rate tables in force.

They are no debtor's rows, so they change only with the creditor's shared revision
(app/revisions.py; a rate correction moves every creditor's): a debtor's page rendered after a
change to a file finds them kept at the revision read with the viewer, without reading them
again. Kept per app, as the page cache (app/web/page_cache.py), since a revision means
something in one database only; as plain values, shared between requests and threads.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

from sqlmodel import Session

from app.kept import KeptValues
from app.law.rates import RateTables
from app.models import Court, Debtor
from app.services import courts
from app.services.context import Actor
from app.services.rates import current_rates
from app.services.reminders import debtor_scenario

MAX_ENTRIES = 512  # creditors × revisions seen lately


@dataclass(frozen=True)
class CreditorLists:
    courts: tuple[courts.CourtChoice, ...]
    scenarios: tuple[debtor_scenario.ScenarioSeen, ...]
    places: Mapping[tuple[str, str], tuple[object, ...]]  # courts.named_places
    rates: RateTables

    def proposed_court(self, debtor: Debtor) -> Court | None:
        """The court named for the debtor's town (courts.proposed)."""
        return courts.proposed_from(self.places, debtor)


def read(session: Session, actor: Actor) -> CreditorLists:
    return CreditorLists(courts.choices(session, actor),
                         debtor_scenario.seen(session, actor.creditor_id),
                         MappingProxyType(courts.named_places(session, actor.creditor_id)),
                         current_rates(session))


class KeptLists:
    """The lists of the creditors seen lately, each at a shared revision."""

    def __init__(self, max_entries: int = MAX_ENTRIES) -> None:
        self._kept = KeptValues(max_entries)

    def at(self, session: Session, actor: Actor, shared_revision: int) -> CreditorLists:
        return self._kept.get((actor.creditor_id, shared_revision), lambda: read(session, actor))
