"""The one Jinja configuration of pages and printed documents: templates/, autoescaped,
strict about undefined names, with the French formatting filters."""

from __future__ import annotations

from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from app.formatting import FILTERS

TEMPLATES_DIR = Path(__file__).resolve().parents[1] / "templates"


def strict_environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES_DIR),
        autoescape=select_autoescape(["html", "xml"]),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=False,  # templates ship with the app: no stat() of each file per render
    )
    env.filters.update(FILTERS)
    return env
