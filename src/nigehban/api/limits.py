"""The request body cap: no request body over ``max_body_bytes`` reaches a route.

An ASGI middleware, so it holds for every route that reads a body, present and future. A
``Content-Length`` over the cap is refused at once (413) without reading; a body without one
(``Transfer-Encoding: chunked``), or one that outgrows its header, is counted chunk by chunk as
the route reads it and refused (413) the moment it passes the cap — the header alone is never
trusted. A ``Content-Length`` that is not a number is refused with 400.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from nigehban.api.errors import BodyTooLargeError, error_response, shaped


class BodyLimitMiddleware:
    """Refuse request bodies over ``max_bytes`` with the API's 413 error."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = Request(scope).headers.get("content-length")
        if declared is not None:
            value = declared.strip()
            if not (value.isascii() and value.isdigit()):
                response = shaped(400, "UsageError", "Content-Length is not a number of bytes")
                await response(scope, receive, send)
                return
            size = int(value) if len(value) <= 18 else None  # None: more than any body
            if size is None or size > self.max_bytes:
                await error_response(BodyTooLargeError(self.max_bytes, size))(scope, receive, send)
                return
        await self.app(scope, self._counting(receive), send)

    def _counting(self, receive: Receive) -> Receive:
        """``receive`` that raises :class:`BodyTooLargeError` once the body passes the cap."""
        limit = self.max_bytes
        received = 0

        async def counted() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise BodyTooLargeError(limit)
            return message

        return counted
