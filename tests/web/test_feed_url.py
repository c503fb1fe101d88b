"""The calendar feed's address on the pages is the route's own, behind a path prefix too."""

from __future__ import annotations

from starlette.requests import Request

from app.main import create_app
from app.web.routes.alerts import feed_url


def request_at(app: object, root_path: str) -> Request:
    return Request({"type": "http", "method": "GET", "path": f"{root_path}/alerts",
                    "root_path": root_path, "query_string": b"", "scheme": "https",
                    "server": ("contentieux.example", 443), "headers": [], "app": app,
                    "router": app.router})  # type: ignore[attr-defined]


def test_the_feed_address_is_the_one_url_for_gives(settings: object) -> None:
    app = create_app(settings)  # type: ignore[arg-type]
    token = "AbC-123_xyz" * 3
    for root_path in ("", "/contentieux"):
        request = request_at(app, root_path)
        assert feed_url(request, token) == str(request.url_for("calendar_feed", token=token))
    assert feed_url(request_at(app, "/contentieux"), token) == \
        f"https://contentieux.example/contentieux/calendar/{token}.ics"
