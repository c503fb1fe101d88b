"""Table rows rendered once for their values, shared by every page and member that shows them.

After a colleague's change, a list page is rendered again (app/web/page_cache.py keeps pages
at the creditor's revision), yet all its rows but the changed one are the same as before. A
row's HTML is a pure function of the values it shows and the day, so it is kept under exactly
those values: a changed row has other values, hence another key, and there is nothing to
invalidate. Rows hold no user's own value (no CSRF token, no address). Bounded in entries,
least recently used out first; each process keeps its own.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterable
from typing import Any

from jinja2 import Environment
from markupsafe import Markup

MAX_ENTRIES = 50_000


class KeptRows:
    """Rows of one template (`row` in its context), kept under `values(row)` and the shared
    context (hashable: the day, whether the viewer may write…). `constants`, the same for
    every row of every page (labels), are in the context but not in the key."""

    def __init__(self, template: str, values: Callable[[Any], Hashable],
                 constants: dict[str, Any] | None = None, max_entries: int = MAX_ENTRIES) -> None:
        self.template = template
        self.values = values
        self.constants = constants or {}
        self.max_entries = max_entries
        self._rows: OrderedDict[Hashable, Markup] = OrderedDict()
        self._lock = threading.Lock()  # pages render in worker threads
        self.rendered = 0

    def render(self, env: Environment, rows: Iterable[Any], **shared: Hashable) -> list[Markup]:
        common = tuple(sorted(shared.items()))
        html = []
        for row in rows:
            key = (common, self.values(row))
            with self._lock:
                kept = self._rows.get(key)
                if kept is not None:
                    self._rows.move_to_end(key)
            if kept is None:
                template = env.get_template(self.template)
                kept = Markup(template.render(row=row, **self.constants, **shared))
                self._keep(key, kept)
            html.append(kept)
        return html

    def _keep(self, key: Hashable, html: Markup) -> None:
        with self._lock:
            self.rendered += 1
            self._rows[key] = html
            while len(self._rows) > self.max_entries:
                self._rows.popitem(last=False)

    def __len__(self) -> int:
        return len(self._rows)
