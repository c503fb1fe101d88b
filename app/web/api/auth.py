"""POST /api/v1/auth/token: OAuth2 password form → bearer token."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse
from fastapi.security import OAuth2PasswordRequestForm

from app.services import accounts
from app.web.api.schemas import Token
from app.web.client import client_address
from app.web.deps import SessionDep, SettingsDep
from app.web.forms import FormRoute

router = APIRouter(prefix="/api/v1/auth", tags=["auth"], route_class=FormRoute)


@router.post("/token", response_model=Token, name="api_token",
             responses={401: {"description": "Identifiants incorrects"},
                        429: {"description": "Trop d'échecs depuis cette adresse"}})
def token(request: Request, session: SessionDep, settings: SettingsDep,
          form: Annotated[OAuth2PasswordRequestForm, Depends()]) -> Token | JSONResponse:
    user = accounts.authenticate(session, form.username, form.password,
                                 client_address(request, settings.trusted_proxies))
    if user is None:
        return JSONResponse({"detail": "Adresse e-mail ou mot de passe incorrect."},
                            status_code=401, headers={"WWW-Authenticate": "Bearer"})
    return Token(access_token=accounts.issue_api_token(session, user))
