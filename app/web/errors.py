"""Domain errors → French pages (or JSON under /api); never a stack trace to a user."""

from __future__ import annotations

import logging
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from sqlalchemy.exc import DataError, OperationalError
from starlette.exceptions import HTTPException as StarletteHTTPException

from app.errors import DiskFull, DomainError, Forbidden, NotFound, ValidationFailed
from app.services.login_throttle import LoginThrottled
from app.storage import DISK_FULL
from app.web.deps import CsrfFailed, LoginRequired
from app.web.headers import HSTS, STATIC_HEADERS
from app.web.htmx import is_htmx, redirect
from app.web.templating import render

log = logging.getLogger("contentieux")

MESSAGES = {
    400: "La requête est incomplète ou mal formée.",
    401: "Connectez-vous pour continuer.",
    403: "Vous n'avez pas accès à cette action.",
    404: "Cette page n'existe pas, ou elle appartient à un autre créancier.",
    405: "Cette action n'est pas possible ici.",
    413: "Le fichier est trop volumineux.",
    422: "Certaines informations sont invalides.",
    429: "Trop de tentatives : patientez quelques minutes.",
    507: DiskFull().message,
}


API_PAGES = {"/api/docs"}  # under /api/ but shown to a person: errors as pages


def is_api(request: Request) -> bool:
    return request.url.path.startswith("/api/") and request.url.path not in API_PAGES


def error_response(request: Request, status: int, message: str) -> Response:
    if is_api(request):
        return JSONResponse({"detail": message}, status_code=status)
    return render(request, "errors/error.html", {"status": status, "message": message},
                  status_code=status)


async def on_login_required(request: Request, exc: Exception) -> Response:
    if is_api(request):
        return JSONResponse({"detail": "Authentification requise."}, status_code=401,
                            headers={"WWW-Authenticate": "Bearer"})
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return redirect(request, f"/login?next={quote(target)}")


async def on_csrf(request: Request, exc: Exception) -> Response:
    return error_response(request, 403, "Jeton de sécurité (CSRF) absent ou périmé : "
                          "rechargez la page puis recommencez.")


async def on_domain_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, DomainError)
    if isinstance(exc, NotFound):
        return error_response(request, 404, MESSAGES[404] if not is_api(request) else exc.message)
    if isinstance(exc, Forbidden):
        return error_response(request, 403, exc.message)
    if isinstance(exc, LoginThrottled):
        return error_response(request, 429, exc.message)
    if isinstance(exc, DiskFull):
        return error_response(request, 507, exc.message)
    if isinstance(exc, ValidationFailed) and is_api(request):
        return api_validation_response(exc.errors)
    return error_response(request, 422 if isinstance(exc, ValidationFailed) else 409, exc.message)


def api_validation_response(errors: dict[str, str]) -> JSONResponse:
    detail = [{"loc": ["body", field], "msg": message, "type": "value_error"}
              for field, message in errors.items()]
    return JSONResponse({"detail": detail}, status_code=422)


async def on_request_validation(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    if is_api(request):
        detail = [{"loc": list(e.get("loc", ())), "msg": str(e.get("msg", "")),
                   "type": str(e.get("type", ""))} for e in exc.errors()]
        return JSONResponse({"detail": detail}, status_code=422)
    if any(e.get("loc", ("",))[0] == "path" for e in exc.errors()):
        return error_response(request, 404, MESSAGES[404])  # /debtors/abc is no page
    return error_response(request, 422, MESSAGES[422])


async def on_http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, StarletteHTTPException)
    message = exc.detail if isinstance(exc.detail, str) and exc.status_code not in MESSAGES \
        else MESSAGES.get(exc.status_code, "Erreur.")
    if is_api(request) and isinstance(exc.detail, str):
        message = exc.detail
    return error_response(request, exc.status_code, message)


async def on_overflow(request: Request, exc: Exception) -> Response:
    """A number too large for the database (SQLite: OverflowError past 64 bits; PostgreSQL:
    DataError past its 32-bit integer ids): no such object in the path, else an invalid
    field; never a 500."""
    limit = 2**31 - 1
    if any(str(v).lstrip("-").isascii() and str(v).lstrip("-").isdigit()
           and len(str(v)) < 4000 and abs(int(v)) > limit for v in request.path_params.values()):
        return error_response(request, 404, MESSAGES[404])
    return error_response(request, 422, "Un nombre envoyé est trop grand.")


def disk_full(exc: BaseException | None) -> bool:
    """A full disk anywhere in the chain: an OSError ENOSPC/EDQUOT, or SQLite's own words."""
    seen = 0
    while exc is not None and seen < 20:
        if isinstance(exc, OSError) and exc.errno in DISK_FULL:
            return True
        if "database or disk is full" in str(exc):
            return True
        exc, seen = exc.__cause__ or exc.__context__, seen + 1
    return False


async def on_unexpected(request: Request, exc: Exception) -> Response:
    if disk_full(exc):
        log.error("Disk full on %s %s: %s", request.method, request.url.path, exc)
        return with_security_headers(request, error_response(request, 507, MESSAGES[507]))
    log.exception("Unhandled error on %s %s", request.method, request.url.path)
    message = ("Une erreur inattendue s'est produite ; rien n'a été perdu de ce qui était "
               "enregistré. Réessayez, et si elle revient, signalez l'heure et la page à "
               "votre administrateur.")
    if is_htmx(request):
        return with_security_headers(request, Response(message, status_code=500))
    return with_security_headers(request, error_response(request, 500, message))


async def on_system_error(request: Request, exc: Exception) -> Response:
    """OS and database errors: a full disk is a 507, anything else the unexpected 500."""
    return await on_unexpected(request, exc)


def with_security_headers(request: Request, response: Response) -> Response:
    """The 500 handler runs outside the middleware stack: it adds the headers itself."""
    extra = STATIC_HEADERS + ([HSTS] if request.url.scheme == "https" else [])
    for name, value in extra:
        response.headers[name.decode()] = value.decode()
    return response


def install(app: FastAPI) -> None:
    app.add_exception_handler(LoginRequired, on_login_required)
    app.add_exception_handler(CsrfFailed, on_csrf)
    app.add_exception_handler(DomainError, on_domain_error)
    app.add_exception_handler(RequestValidationError, on_request_validation)
    app.add_exception_handler(StarletteHTTPException, on_http_error)
    app.add_exception_handler(OverflowError, on_overflow)
    app.add_exception_handler(DataError, on_overflow)
    app.add_exception_handler(OSError, on_system_error)
    app.add_exception_handler(OperationalError, on_system_error)
    app.add_exception_handler(Exception, on_unexpected)
