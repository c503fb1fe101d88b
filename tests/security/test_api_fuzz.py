"""Schemathesis against the app's own OpenAPI schema: whatever is sent, never a 5xx.

The database holds creditor A's full file (so small ids hit real objects) and requests carry
the bearer token of A's owner. Every operation of the schema is fuzzed, bounded to a dozen
examples with no deadline (the machine is shared); every operation that answered 5xx is
reported with the smallest request hypothesis found. (The operations are walked here rather
than with `schemathesis.pytest.from_fixture`, whose lazy loader does not run on pytest 9.)
"""

from __future__ import annotations

from collections import Counter

import schemathesis
from fastapi import FastAPI
from hypothesis import HealthCheck, Phase, given, settings
from sqlmodel import Session

from app.config import Settings
from app.models import User
from app.services import accounts
from app.services.context import Actor
from tests.security import rich_file

EXAMPLES = 12


def fuzz(operation, headers: dict[str, str], statuses: Counter[int]) -> None:  # type: ignore[no-untyped-def]
    @given(case=operation.as_strategy())
    @settings(max_examples=EXAMPLES, deadline=None, database=None, derandomize=True,
              phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck))
    def run(case) -> None:  # type: ignore[no-untyped-def]
        try:
            response = case.call(headers=headers)
        except Exception as exc:  # the test client re-raises what the app let escape: a 500
            raise AssertionError(f"{exc!r}: {case.as_curl_command()}") from exc
        statuses[response.status_code] += 1
        assert response.status_code < 500, (
            f"{response.status_code}: {case.as_curl_command()}\n{response.text[:300]}")

    run()


def test_the_json_api_never_answers_with_a_server_error(
        app: FastAPI, session: Session, owner: Actor, settings: Settings) -> None:
    rich_file.build(session, owner, settings)
    user = session.get(User, owner.user_id)
    assert user is not None
    bearer = {"Authorization": f"Bearer {accounts.issue_api_token(session, user)}"}
    schema = schemathesis.openapi.from_asgi("/api/openapi.json", app, headers=bearer)
    failures, fuzzed, statuses = [], 0, Counter[int]()
    for result in schema.get_all_operations():
        operation = result.ok()
        try:
            fuzz(operation, bearer, statuses)
        except AssertionError as exc:
            failures.append(f"{operation.label}: {exc}")
        fuzzed += 1
    assert fuzzed >= 20
    assert sum(n for status, n in statuses.items() if status < 300) >= 20, statuses  # signed in
    assert not failures, "\n\n".join(failures)
