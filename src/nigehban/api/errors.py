"""One JSON error shape for every failure the API reports, produced in one place.

Every error response reads ``{"error": {"type": "<class name>", "message": "<safe message>"}}``
(a refused ingest adds ``"report"``). :func:`error_response` maps Nigehban's error hierarchy to
status codes; the handlers installed by :func:`install_error_handlers` route everything else —
FastAPI's request validation, Starlette's 404 and 405, unexpected exceptions — into the same
shape. Status decisions (most specific class first):

* 413 :class:`BodyTooLargeError`: the body is over ``max_body_bytes``.
* 403 :class:`~nigehban.errors.SignatureError`: a webhook signature or token is missing or
  wrong. 401 is kept for API keys, the one scheme a caller can answer (``WWW-Authenticate``).
* 401 :class:`~nigehban.errors.AuthError`: missing, unknown or revoked API key.
* 422 :class:`~nigehban.errors.InputError` (``PayloadError``, ``UnknownFormatError``,
  ``AmbiguousFormatError``, ``ValidationError``) and FastAPI's request validation: bad JSON,
  bad UTF-8, unknown or ambiguous format, a field of the wrong type or size.
* 400 :class:`~nigehban.errors.UsageError`: a request that cannot be done as asked.
* 404 :class:`~nigehban.errors.NotFoundError` and unknown routes; 405 for a wrong method.
* 409 :class:`~nigehban.errors.ConflictError` and :class:`~nigehban.errors.HeldError`.
* 503 :class:`~nigehban.errors.ConfigError` (the server lacks a setting the route needs, such
  as a webhook secret: the route is refused) and :class:`~nigehban.errors.DependencyError`
  (the database is unavailable).
* 500 anything else: logged by type only, answered with a generic message.

Messages are the errors' own ``message`` (already truncated and masked at the source); values
the API adds itself (paths, query values) go through :func:`~nigehban.privacy.masking.preview`.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from nigehban.errors import (
    AuthError,
    ConfigError,
    ConflictError,
    DependencyError,
    HeldError,
    InputError,
    NigehbanError,
    NotFoundError,
    PayloadError,
    SignatureError,
    UsageError,
)
from nigehban.privacy.masking import preview

log = logging.getLogger("nigehban.api")

WWW_AUTHENTICATE = 'Bearer realm="nigehban"'


class BodyTooLargeError(PayloadError):
    """A request body over ``max_body_bytes``: by its Content-Length, or as it streamed in."""

    def __init__(self, limit: int, declared: int | None = None) -> None:
        size = f"{declared} bytes" if declared is not None else "more bytes"
        super().__init__(
            "request body",
            f"{size} is over the limit of {limit} bytes (setting max_body_bytes)",
        )
        self.limit = limit


# Most specific first: the first class an error is an instance of decides its status.
STATUS: tuple[tuple[type[NigehbanError], int], ...] = (
    (BodyTooLargeError, 413),
    (SignatureError, 403),
    (AuthError, 401),
    (InputError, 422),
    (UsageError, 400),
    (NotFoundError, 404),
    (ConflictError, 409),
    (HeldError, 409),
    (ConfigError, 503),
    (DependencyError, 503),
)

_HTTP_TYPES = {404: "NotFoundError", 405: "MethodNotAllowedError"}


def status_for(exc: NigehbanError) -> int:
    """The HTTP status of a Nigehban error (500 for a class not in :data:`STATUS`)."""
    for cls, status in STATUS:
        if isinstance(exc, cls):
            return status
    return 500


def shaped(
    status: int,
    type_name: str,
    message: str,
    headers: Mapping[str, str] | None = None,
    extra: Mapping[str, object] | None = None,
) -> JSONResponse:
    """The one error shape, as a response."""
    body: dict[str, object] = {"error": {"type": type_name, "message": message}}
    if extra:
        body.update(extra)
    return JSONResponse(body, status_code=status, headers=dict(headers or {}))


def error_response(exc: NigehbanError, extra: Mapping[str, object] | None = None) -> JSONResponse:
    """The response for a Nigehban error: its status, its class name, its safe message."""
    status = status_for(exc)
    headers = {"WWW-Authenticate": WWW_AUTHENTICATE} if status == 401 else None
    return shaped(status, type(exc).__name__, exc.message, headers, extra)


def validation_message(exc: RequestValidationError) -> str:
    """``query.history: Input should be a valid boolean (got 'maybe')`` for the first error."""
    problems = list(exc.errors())
    if not problems:
        return "invalid request"
    first = problems[0]
    if first.get("type") == "json_invalid":  # loc is ("body", character position)
        position = first.get("loc", ("body", "?"))[-1]
        problem = first.get("ctx", {}).get("error", "not JSON")
        return f"body: invalid JSON at character {position}: {preview(str(problem))}"
    where = ".".join(str(p) for p in first.get("loc", ())) or "request"
    message = f"{where}: {first.get('msg', 'invalid')}"
    if "input" in first and first["input"] is not None and first.get("type") != "missing":
        message += f" (got {preview(first['input'])})"
    if len(problems) > 1:
        message += f" (and {len(problems) - 1} more)"
    return message


def to_response(request: Request, exc: Exception) -> JSONResponse:
    """The response for any exception a request raised: the one place errors become JSON."""
    if isinstance(exc, NigehbanError):
        response = error_response(exc)
        if response.status_code >= 500:
            log.warning("%s: %s", type(exc).__name__, exc.message)
        return response
    if isinstance(exc, RequestValidationError):
        return shaped(422, "ValidationError", validation_message(exc))
    if isinstance(exc, StarletteHTTPException):
        where = f"{request.method} {preview(request.url.path)}"
        if exc.status_code == 404:
            message = f"no such route: {where}"
        elif exc.status_code == 405:
            message = f"method not allowed: {where}"
        else:
            message = preview(str(exc.detail))
        type_name = _HTTP_TYPES.get(exc.status_code, "HTTPError")
        return shaped(exc.status_code, type_name, message, exc.headers)
    # Only the type is logged: messages of foreign exceptions (SQL parameters…) may carry content.
    log.error("unexpected %s while serving %s", type(exc).__name__, preview(request.url.path))
    return shaped(500, "InternalError", "internal error; the server log names the failure type")


async def _handle(request: Request, exc: Exception) -> JSONResponse:
    return to_response(request, exc)


def install_error_handlers(app: FastAPI) -> None:
    """Route every error of ``app`` into the one shape."""
    for cls in (NigehbanError, RequestValidationError, StarletteHTTPException, Exception):
        app.add_exception_handler(cls, _handle)
