"""Password hashing (argon2) and random tokens. Only hashes of tokens are stored."""

from __future__ import annotations

import hashlib
import hmac
import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

MIN_PASSWORD_LENGTH = 10
_hasher = PasswordHasher()
_dummies: dict[tuple[int, int, int], str] = {}


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def dummy_hash() -> str:
    """A hash of a random password at the current cost, to check against when the e-mail is
    unknown: that answer then takes as long as a wrong password's."""
    params = (_hasher.time_cost, _hasher.memory_cost, _hasher.parallelism)
    if params not in _dummies:
        _dummies[params] = _hasher.hash(secrets.token_urlsafe(16))
    return _dummies[params]


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def new_token() -> str:
    return secrets.token_urlsafe(32)


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def same(a: str, b: str) -> bool:
    return hmac.compare_digest(a.encode(), b.encode())
