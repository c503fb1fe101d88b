"""Table rows rendered once for their values, shared by every page and member that shows them.

After a colleague's change, a list page is rendered again (app/web/page_cache.py keeps pages
at the creditor's revision), yet all its rows but the changed one are the same as before. A
row's HTML is a pure function of the values it shows and the day, so it is kept under exactly
those values (app/kept.py): a changed row has other values, hence another key, and there is
nothing to invalidate. Rows hold no user's own value (no CSRF token, no address).
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable
from typing import Any

from jinja2 import Environment
from markupsafe import Markup

from app.kept import KeptValues

MAX_ENTRIES = 50_000


class KeptRows(KeptValues):
    """Rows of one template (`row` in its context), kept under `values(row)` and the shared
    context (hashable: the day, whether the viewer may write…). `constants`, the same for
    every row of every page (labels), are in the context but not in the key."""

    def __init__(self, template: str, values: Callable[[Any], Hashable],
                 constants: dict[str, Any] | None = None, max_entries: int = MAX_ENTRIES) -> None:
        super().__init__(max_entries)
        self.template = template
        self.values = values
        self.constants = constants or {}

    def render(self, env: Environment, rows: Iterable[Any], **shared: Hashable) -> list[Markup]:
        common = tuple(sorted(shared.items()))
        return [self.get((common, self.values(row)), lambda row=row: self._render(env, row, shared))
                for row in rows]

    def _render(self, env: Environment, row: Any, shared: dict[str, Hashable]) -> Markup:
        template = env.get_template(self.template)
        return Markup(template.render(row=row, **self.constants, **shared))
