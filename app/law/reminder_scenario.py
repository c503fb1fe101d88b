"""The default reminder scenario and what each template is (issue 17).

Practice the users read everywhere (and LAW.md §4 for the last step): a courtesy notice before
the due date, relance 1 within days of it, relance 2 one or two weeks later, relance 3 by
letter, then the mise en demeure. A mise en demeure is never sent automatically: the scenario
only prepares it for a person to check and send (LAW.md §4: it must be signed and proven).
"""

from __future__ import annotations

from dataclasses import dataclass

# template -> (French label, reminder level recorded on the Step; None = not a relance)
TEMPLATES: dict[str, tuple[str, int | None]] = {
    "prevenance": ("Prévenance avant échéance", None),
    "relance_1": ("Relance 1", 1),
    "relance_2": ("Relance 2", 2),
    "relance_3": ("Relance 3", 3),
    "mise_en_demeure": ("Mise en demeure (projet à vérifier)", None),
}
CHANNELS = {"email": "E-mail", "letter": "Courrier à imprimer ou poster"}
# Templates a run may never send by itself: prepared as a draft for a person.
DRAFT_ONLY = frozenset({"mise_en_demeure"})


@dataclass(frozen=True)
class ScenarioStep:
    offset_days: int  # from the due date; negative: before it
    channel: str  # a key of CHANNELS
    template: str  # a key of TEMPLATES


DEFAULT_NAME = "Standard"
DEFAULT_STEPS: tuple[ScenarioStep, ...] = (
    ScenarioStep(-5, "email", "prevenance"),
    ScenarioStep(3, "email", "relance_1"),
    ScenarioStep(15, "email", "relance_2"),
    ScenarioStep(30, "letter", "relance_3"),
    ScenarioStep(45, "letter", "mise_en_demeure"),
)


def rank(template: str) -> int:
    """Order of escalation: a message covers its invoices at the highest template reached."""
    return list(TEMPLATES).index(template)
