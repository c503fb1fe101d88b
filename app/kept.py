"""Values kept under a key that holds everything they are computed from, in this process.

Nothing to invalidate: a change to what a value depends on makes another key. Bounded in
entries, least recently used out first. Used for what the law makes of a file
(services/law_view_keep.py) and for parts of pages (web/kept_rows.py, web/kept_sections.py).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

T = TypeVar("T")


class KeptValues:
    def __init__(self, max_entries: int) -> None:
        self.max_entries = max_entries
        self._values: OrderedDict[Hashable, Any] = OrderedDict()
        self._lock = threading.Lock()  # pages render in worker threads
        self.computed = 0

    def get(self, key: Hashable, compute: Callable[[], T]) -> T:
        """The value kept under `key`, else `compute()`'s, kept (computed outside the lock)."""
        with self._lock:
            if key in self._values:
                self._values.move_to_end(key)
                return self._values[key]  # type: ignore[no-any-return]
        value = compute()
        with self._lock:
            self.computed += 1
            self._values[key] = value
            while len(self._values) > self.max_entries:
                self._values.popitem(last=False)
        return value

    def clear(self) -> None:
        with self._lock:
            self._values.clear()

    def __len__(self) -> int:
        return len(self._values)
