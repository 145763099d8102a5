"""API keys: every route except health and the platform webhooks needs one.

A key is sent as ``Authorization: Bearer ngh_…`` or ``X-API-Key: ngh_…`` (the bearer header wins
when both are present). Missing, unknown and revoked keys are all refused with 401, the error
shape and ``WWW-Authenticate``; the message never says which of the last two it was, nor echoes
the token. The key's tenant is the request's tenant: a route reads and writes only that tenant.
Both headers are declared as OpenAPI security schemes, so ``/docs`` offers "Authorize".
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

from fastapi import Depends
from fastapi.security import APIKeyHeader, HTTPAuthorizationCredentials, HTTPBearer

from nigehban.errors import AuthError
from nigehban.store.keys import ApiKey
from nigehban.store.store import Store

KEY_HEADER = "X-API-Key"

bearer_scheme = HTTPBearer(
    auto_error=False,
    scheme_name="bearerKey",
    description="An API key as `Authorization: Bearer ngh_…`.",
)
header_scheme = APIKeyHeader(
    name=KEY_HEADER,
    auto_error=False,
    scheme_name="apiKeyHeader",
    description="The same API key in the `X-API-Key` header.",
)

MISSING = f"missing API key: send 'Authorization: Bearer ngh_…' or '{KEY_HEADER}: ngh_…'"
REFUSED = "unknown or revoked API key"


def token_of(bearer: HTTPAuthorizationCredentials | None, header: str | None) -> str | None:
    """The token a request offers, bearer first; None when it offers none."""
    if bearer is not None and bearer.credentials.strip():
        return bearer.credentials.strip()
    if header is not None and header.strip():
        return header.strip()
    return None


def key_dependency(store: Store) -> Callable[..., ApiKey]:
    """A FastAPI dependency that returns the request's active :class:`ApiKey` or raises 401."""

    def require_key(
        bearer: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer_scheme)],
        header: Annotated[str | None, Depends(header_scheme)],
    ) -> ApiKey:
        token = token_of(bearer, header)
        if token is None:
            raise AuthError(MISSING)
        key = store.authenticate(token)
        if key is None:
            raise AuthError(REFUSED)
        return key

    return require_key
