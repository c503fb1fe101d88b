"""Reading a scenario's steps, from the settings page's form or the API's JSON alike.

One validator for both (`read_steps`), with French messages keyed by field
(`steps.<n>.offset_days`, `steps.<n>.channel`, `steps.<n>.template`, or `steps` for the
whole list), so the page shows each next to its field and the API answers 422 with them.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from app.errors import ValidationFailed
from app.law.reminder_scenario import CHANNELS, TEMPLATES, ScenarioStep, rank

MIN_OFFSET, MAX_OFFSET = -60, 365  # two months before the due date, a year after it
MAX_STEPS = 12
STEP_FIELDS = ("offset_days", "channel", "template")
_KEY = re.compile(r"^steps\.(\d{1,2})\.(offset_days|channel|template|remove)$")


def day_label(offset: int) -> str:
    """J-5, J, J+3: how the page and the messages name a step's day."""
    return "J" if offset == 0 else f"J{offset:+d}"


def form_rows(data: Mapping[str, Any]) -> list[dict[str, str]]:
    """The page's rows (`steps.<n>.<field>`) in their order; a row ticked "retirer", or left
    blank (the spare row to add a step), is no step."""
    rows: dict[int, dict[str, str]] = {}
    for key, value in data.items():
        match = _KEY.match(key)
        if match:
            rows.setdefault(int(match.group(1)), {})[match.group(2)] = str(value).strip()
    kept = [rows[n] for n in sorted(rows)
            if not rows[n].get("remove") and rows[n].get("offset_days", "") != ""]
    return [{name: row.get(name, "") for name in STEP_FIELDS} for row in kept]


def _offset(value: Any, errors: dict[str, str], key: str) -> int | None:
    text = str(value).strip().replace("J", "").replace("j", "") if value is not None else ""
    if isinstance(value, bool) or not re.fullmatch(r"[+-]?\d{1,4}", text):
        errors[key] = "Nombre de jours attendu, par exemple -5 (avant l'échéance) ou 15."
        return None
    offset = int(text)
    if not MIN_OFFSET <= offset <= MAX_OFFSET:
        errors[key] = f"Entre {MIN_OFFSET} et +{MAX_OFFSET} jours de l'échéance."
        return None
    return offset


def read_steps(rows: Sequence[Mapping[str, Any]]) -> list[ScenarioStep]:
    """The steps in their order; ValidationFailed with every error at once."""
    errors: dict[str, str] = {}
    if not rows:
        errors["steps"] = ("Un scénario compte au moins une étape (pour ne plus relancer un "
                           "débiteur, choisissez « Aucune relance automatique » sur sa page).")
    elif len(rows) > MAX_STEPS:
        errors["steps"] = f"{MAX_STEPS} étapes au plus."
    steps: list[ScenarioStep] = []
    read: list[tuple[int, str]] = []  # (offset, template) of the rows read so far
    for n, row in enumerate(rows):
        if not isinstance(row, Mapping):
            errors[f"steps.{n}"] = "Étape invalide : {offset_days, channel, template} attendu."
            continue
        offset = _offset(row.get("offset_days"), errors, f"steps.{n}.offset_days")
        channel, template = str(row.get("channel", "")), str(row.get("template", ""))
        if channel not in CHANNELS:
            errors[f"steps.{n}.channel"] = "Canal invalide : e-mail ou courrier."
        if template not in TEMPLATES:
            errors[f"steps.{n}.template"] = ("Modèle invalide : prévenance, relance 1, 2, 3 ou "
                                             "mise en demeure.")
        if offset is None:
            continue
        _check_order(read, offset, template, n, errors)
        read.append((offset, template))
        if channel in CHANNELS and template in TEMPLATES:
            steps.append(ScenarioStep(offset, channel, template))
    if errors:
        raise ValidationFailed(errors)
    return steps


def _check_order(read: list[tuple[int, str]], offset: int, template: str, n: int,
                 errors: dict[str, str]) -> None:
    """Each step comes after the one before it, one a day, and never steps down a level."""
    if any(offset == seen for seen, _ in read):
        errors[f"steps.{n}.offset_days"] = (f"Deux étapes au même jour ({day_label(offset)}) : "
                                            "une seule par jour.")
        return
    if not read:
        return
    before, before_template = read[-1]
    if offset < before:
        errors[f"steps.{n}.offset_days"] = (f"Les étapes se suivent dans le temps : celle-ci doit "
                                            f"venir après {day_label(before)}.")
    elif template in TEMPLATES and before_template in TEMPLATES \
            and rank(template) < rank(before_template):
        errors.setdefault(f"steps.{n}.template",
                          f"« {TEMPLATES[template][0]} » ne peut pas suivre "
                          f"« {TEMPLATES[before_template][0]} » : une relance ne redescend pas "
                          "d'un niveau.")


def as_rows(steps: Sequence[ScenarioStep]) -> list[dict[str, Any]]:
    return [{"offset_days": s.offset_days, "channel": s.channel, "template": s.template}
            for s in steps]


def as_labels(steps: Sequence[ScenarioStep]) -> list[str]:
    """The steps in French, as the audit trail shows them: "J+3 Relance 1 (E-mail)"."""
    return [f"{day_label(s.offset_days)} {TEMPLATES[s.template][0]} ({CHANNELS[s.channel]})"
            for s in steps]
