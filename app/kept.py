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
MISSING = object()


class ValueKey:
    """A key compared by value whose hash is worked out once: a debtor's page looks its law
    facts up six times (the law view, its five sections), and hashing them (the rate tables
    among them) each time cost more than the lookups."""

    __slots__ = ("values", "_hash")

    def __init__(self, values: tuple[Hashable, ...]) -> None:
        self.values = values
        self._hash = hash(values)

    def __hash__(self) -> int:
        return self._hash

    def __eq__(self, other: object) -> bool:
        return self is other or (isinstance(other, ValueKey) and self._hash == other._hash
                                 and self.values == other.values)


class KeptValues:
    def __init__(self, max_entries: int) -> None:
        self.max_entries = max_entries
        self._values: OrderedDict[Hashable, Any] = OrderedDict()
        self._lock = threading.Lock()  # pages render in worker threads
        self.computed = 0

    def get(self, key: Hashable, compute: Callable[[], T]) -> T:
        """The value kept under `key`, else `compute()`'s, kept (computed outside the lock)."""
        with self._lock:
            value = self._values.get(key, MISSING)
            if value is not MISSING:
                self._values.move_to_end(key)
                return value  # type: ignore[no-any-return]
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
