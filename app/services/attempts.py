"""Which attempt of a background job this is, and by whom: kept on the job's own row."""

from __future__ import annotations

from dataclasses import dataclass

MAX_ATTEMPTS = 3  # a job that fails this many times stops, its error shown to the user
GAVE_UP = ("Interrompu {n} fois (serveur arrêté ou tâche trop lourde) : abandonné. "
           "Relancez-le, et si cela recommence, signalez-le.")


@dataclass(frozen=True)
class Attempt:
    number: int  # 1 for the first run
    worker: str  # host:pid of the process running it

    def after(self, recorded: int) -> Attempt:
        """This attempt, counted after the `recorded` ones the row remembers (a server
        stopped mid-job leaves its attempt there, not in its lost in-memory queue)."""
        return Attempt(max(self.number, recorded + 1), self.worker)

    @property
    def last(self) -> bool:
        return self.number >= MAX_ATTEMPTS

    @property
    def exhausted(self) -> bool:
        return self.number > MAX_ATTEMPTS
