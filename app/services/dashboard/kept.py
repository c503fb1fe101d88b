"""The dashboard's figures kept per creditor revision, date and "today" (app/revisions.py).

Every change to what a creditor's pages show bumps its revision; the figures that depend on
the day alone (alerts, stages) are keyed by "today". So figures kept at a key stay right while
the key holds. One per application (the page cache's neighbour), bounded, least recently used
out first; sync routes run in worker threads, hence the lock.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from datetime import date
from typing import Any, TypeVar

from app.services.dashboard.board import Portfolio

MAX_BOARDS = 256
T = TypeVar("T")
_CREATING = threading.Lock()


class KeptBoards:
    def __init__(self, max_boards: int = MAX_BOARDS) -> None:
        self.max_boards = max_boards
        self._boards: OrderedDict[tuple[int, int, date, date], Portfolio] = OrderedDict()
        self._lock = threading.Lock()
        # What was made from a kept board (the API's JSON, the page's body), by board and name
        self._made: OrderedDict[tuple[int, str], tuple[Portfolio, Any]] = OrderedDict()

    def made(self, board: Portfolio, name: str, make: Callable[[], T]) -> T:
        """`make()` once per board object: the entry holds the board, so its id stays its."""
        key = (id(board), name)
        with self._lock:
            entry = self._made.get(key)
            if entry is not None and entry[0] is board:
                self._made.move_to_end(key)
                return entry[1]  # type: ignore[no-any-return]
        value = make()
        with self._lock:
            self._made[key] = (board, value)
            while len(self._made) > self.max_boards:
                self._made.popitem(last=False)
        return value

    def get(self, creditor_id: int, revision: int, as_of: date, today: date) -> Portfolio | None:
        with self._lock:
            key = (creditor_id, revision, as_of, today)
            board = self._boards.get(key)
            if board is not None:
                self._boards.move_to_end(key)
            return board

    def put(self, creditor_id: int, revision: int, as_of: date, today: date,
            board: Portfolio) -> None:
        with self._lock:
            self._boards[(creditor_id, revision, as_of, today)] = board
            self._boards.move_to_end((creditor_id, revision, as_of, today))
            while len(self._boards) > self.max_boards:
                self._boards.popitem(last=False)

    def __len__(self) -> int:
        return len(self._boards)


def of_app(state: Any) -> KeptBoards:
    """The application's kept figures (`state`: app.state), created on first use."""
    with _CREATING:
        if not hasattr(state, "dashboard_boards"):
            state.dashboard_boards = KeptBoards()
        return state.dashboard_boards  # type: ignore[no-any-return]
