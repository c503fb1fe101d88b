"""Every endpoint of the app, read from `app.routes`, and how to call it in a test.

Nothing here names a route: endpoints added later are enumerated the same way. A path's
`{…_id}` parameters are filled from a map of object ids ("debtor" for `{debtor_id}`), other
parameters from `SAMPLE_PARAMS`; request bodies are built from the OpenAPI schema.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fastapi import FastAPI
from sqlalchemy.engine import Engine
from sqlmodel import SQLModel

from app.web.errors import API_PAGES

PARAM_RE = re.compile(r"{(\w+)(?::\w+)?}")
STATE_CHANGING = ("POST", "PUT", "PATCH", "DELETE")
# Open to anyone: the login form, the health check, static files and the API's token endpoint.
PUBLIC_PATHS = {"/login", "/health", "/health/ready", "/api/v1/auth/token"}
PUBLIC_PREFIXES = ("/static",)
# The signed-in user's own session, not the creditor's data: any member may do these.
SESSION_ROUTES = {"/login", "/logout", "/switch-creditor", "/api/v1/auth/token",
                  "/account/password", "/account/sessions/revoke", "/account/tokens/revoke"}
# Pure calculators: POST for the body, but they store nothing.
CALCULATOR_RE = re.compile(r"^(/api/v1)?/calc(ulators?)?(/|$)")
SAMPLE_PARAMS = {"token": "wrong-token-0000", "path": "css/app.css", "filename": "x.pdf",
                 "part": "pdf", "page": "1", "name": "retards", "fmt": "csv"}  # name, fmt: exports
# Tables that change on every request or login, not data a route could leak or alter.
VOLATILE_TABLES = {"usersession", "apitoken", "loginattempt"}
# Fields that pass the forms' validation for most resources (a write that should have been
# refused would then really write something, and the snapshot would show it).
WRITE_FORM = {
    "legal_name": "Écrit par erreur", "kind": "company", "country": "FR", "number": "F-X-999",
    "issue_date": "2026-01-05", "due_date": "2026-02-04", "amount_ht": "100.00",
    "amount_tva": "20.00", "amount_ttc": "120.00", "date": "2026-03-01", "amount": "10.00",
    "reference": "X", "title": "Écrit par erreur", "reason": "erreur", "direction": "up",
    "creditor_id": "1", "city": "Nantes", "email": "x@example.test", "sent_on": "2026-03-01",
}
# GET routes that answer 422 without their query (a search needs its words)
REQUIRED_QUERY = {"/api/v1/evidence/search": "q=facture"}
MINIMAL_PDF = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
               b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
               b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\n"
               b"trailer<</Root 1 0 R>>\n%%EOF\n")


@dataclass(frozen=True)
class Endpoint:
    method: str
    path: str
    name: str

    @property
    def is_api(self) -> bool:
        return self.path.startswith("/api/") and self.path not in API_PAGES

    @property
    def params(self) -> list[str]:
        return PARAM_RE.findall(self.path)

    @property
    def id_params(self) -> list[str]:
        return [p for p in self.params if p.endswith("_id")]

    @property
    def is_public(self) -> bool:
        return self.path in PUBLIC_PATHS or self.path.startswith(PUBLIC_PREFIXES)

    @property
    def is_calendar_feed(self) -> bool:
        """A feed authenticated by a secret in its URL (calendar apps send no cookie)."""
        return "/calendar/" in self.path or self.path.endswith(".ics")

    @property
    def changes_state(self) -> bool:
        return self.method in STATE_CHANGING

    @property
    def is_session_route(self) -> bool:
        return self.path in SESSION_ROUTES

    @property
    def is_calculator(self) -> bool:
        return bool(CALCULATOR_RE.match(self.path))

    def url(self, ids: Mapping[str, int | str], default_id: int | str | None = None) -> str:
        """The path with each `{x_id}` replaced by ids["x"] (or default_id)."""

        def value(match: re.Match[str]) -> str:
            param = match.group(1)
            if param.endswith("_id"):
                stem = param[:-3]
                for key in (stem, stem.replace("_", "")):
                    if key in ids:
                        return str(ids[key])
                if default_id is not None:
                    return str(default_id)
                raise KeyError(f"{self}: no object id for {{{param}}}: add it to the fixture")
            return SAMPLE_PARAMS.get(param, "x")

        query = REQUIRED_QUERY.get(self.path)
        return PARAM_RE.sub(value, self.path) + (f"?{query}" if query else "")

    def __str__(self) -> str:
        return f"{self.method} {self.path}"


def _route_contexts(app: FastAPI) -> Iterator[Any]:
    """Routes with their full paths, whichever way this FastAPI version stores included routers."""
    try:
        from fastapi.routing import iter_route_contexts
    except ImportError:  # FastAPI before lazily included routers: app.routes is already flat
        yield from app.routes
        return
    yield from iter_route_contexts(app.routes)


def endpoints(app: FastAPI) -> list[Endpoint]:
    """One Endpoint per (method, path) of every route and mount; HEAD/OPTIONS left out."""
    found: list[Endpoint] = []
    for route in _route_contexts(app):
        path = route.path
        methods = route.methods
        if methods is None:  # a Mount (static files): served under its prefix
            found.append(Endpoint("GET", path + "/{path}", route.name or ""))
            continue
        for method in sorted(set(methods) - {"HEAD", "OPTIONS"}):
            found.append(Endpoint(method, path, route.name or ""))
    return found


# ------------------------------------------------------------------ request bodies


def _resolve(schema: Mapping[str, Any], spec: Mapping[str, Any]) -> Mapping[str, Any]:
    while "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[-1]
        schema = spec["components"]["schemas"][name]
    return schema


def example(schema: Mapping[str, Any], spec: Mapping[str, Any]) -> Any:
    """A value valid for a JSON schema (types, formats, enums, bounds), for a request body."""
    schema = _resolve(schema, spec)
    for key in ("anyOf", "oneOf"):
        if key in schema:
            options = [s for s in schema[key] if _resolve(s, spec).get("type") != "null"]
            return example(options[0] if options else schema[key][0], spec)
    if "allOf" in schema:
        return example(schema["allOf"][0], spec)
    if "const" in schema:
        return schema["const"]
    if "default" in schema:
        return schema["default"]
    if "enum" in schema:
        return schema["enum"][0]
    kind = schema.get("type")
    if kind == "object" or "properties" in schema:
        return {name: example(prop, spec) for name, prop in schema.get("properties", {}).items()}
    if kind == "array":
        return [example(schema["items"], spec)] if "items" in schema else []
    if kind == "integer":
        return max(int(schema.get("minimum", 1)), 1)
    if kind == "number":
        return max(float(schema.get("minimum", 10)), 10.0)
    if kind == "boolean":
        return False
    if kind == "null":
        return None
    return _string(schema)


def _string(schema: Mapping[str, Any]) -> str:
    fmt = schema.get("format", "")
    if fmt == "date":
        return "2026-03-01"
    if fmt == "date-time":
        return "2026-03-01T10:00:00+00:00"
    if fmt == "email":
        return "x@example.test"
    if fmt == "binary":
        return "x"
    size = max(int(schema.get("minLength", 1)), 1)
    return ("x" * size)[: int(schema.get("maxLength", size))]


@dataclass(frozen=True)
class Body:
    json: Any = None
    data: dict[str, str] | None = None
    files: dict[str, tuple[str, bytes, str]] | None = None

    def kwargs(self) -> dict[str, Any]:
        return {k: v for k, v in (("json", self.json), ("data", self.data),
                                  ("files", self.files)) if v is not None}


def api_body(spec: Mapping[str, Any], endpoint: Endpoint) -> Body:
    """A valid body for an API operation; a one-file multipart when it reads the stream itself."""
    operation = spec["paths"].get(endpoint.path, {}).get(endpoint.method.lower(), {})
    content = operation.get("requestBody", {}).get("content", {})
    if "application/json" in content:
        return Body(json=example(content["application/json"]["schema"], spec))
    for form_type in ("multipart/form-data", "application/x-www-form-urlencoded"):
        if form_type in content:
            schema = _resolve(content[form_type]["schema"], spec)
            data, files = {}, {}
            for name, prop in schema.get("properties", {}).items():
                prop = _resolve(prop, spec)
                if prop.get("format") == "binary" or "contentMediaType" in prop:
                    files[name] = ("erreur.pdf", MINIMAL_PDF, "application/pdf")
                else:
                    data[name] = str(example(prop, spec)).lower() \
                        if isinstance(example(prop, spec), bool) else str(example(prop, spec))
            return Body(data=data, files=files or None)
    if endpoint.method in ("POST", "PUT", "PATCH"):
        return Body(data={"title": "Écrit par erreur"},
                    files={"file": ("erreur.pdf", MINIMAL_PDF, "application/pdf")})
    return Body()


def page_body(endpoint: Endpoint, csrf: str | None) -> Body:
    """A plain form (with a file, for routes that stream uploads) and the CSRF token if given."""
    data = dict(WRITE_FORM)
    if csrf is not None:
        data["csrf_token"] = csrf
    return Body(data=data, files={"file": ("erreur.pdf", MINIMAL_PDF, "application/pdf")})


# ------------------------------------------------------------------ "nothing written"


def snapshot(engine: Engine, files_dir: Path) -> dict[str, Any]:
    """Every row of every data table, and every stored file: compared before and after."""
    tables: dict[str, Any] = {}
    with engine.connect() as connection:
        for table in SQLModel.metadata.sorted_tables:
            if table.name in VOLATILE_TABLES:
                continue
            rows = connection.execute(table.select()).all()
            tables[table.name] = sorted(repr(tuple(row)) for row in rows)
    stored = sorted(str(p.relative_to(files_dir)) for p in files_dir.rglob("*")
                    if p.is_file() and ".tmp" not in p.relative_to(files_dir).parts)
    return {"tables": tables, "files": stored}


def changed(before: Mapping[str, Any], after: Mapping[str, Any]) -> list[str]:
    """Names of the tables (and 'files') that differ."""
    names = [name for name in before["tables"] if before["tables"][name] != after["tables"].get(name)]
    if before["files"] != after["files"]:
        names.append("files")
    return names
