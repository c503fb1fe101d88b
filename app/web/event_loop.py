"""Which event loop uvicorn serves the app on.

On SQLite, a page renders on the event loop itself (web/deps.py `on_database`), in one
callback of a few milliseconds. Under that load uvloop served some requests several rounds
after others: at 20 connections, a rendered debtors list answered at p99 in 210–400 ms with
uvloop and in 105–120 ms with asyncio's own loop, at the same throughput (tests/bench/
bench_load.py, both loops in turn, same machine). A server database renders in worker
threads, and both loops then give the same latencies: uvloop, as uvicorn picks it ("auto").
"""

from __future__ import annotations

from sqlalchemy.engine import make_url


def event_loop(database_url: str) -> str:
    """uvicorn's `loop` setting for a server on `database_url`."""
    return "asyncio" if make_url(database_url).get_backend_name() == "sqlite" else "auto"
