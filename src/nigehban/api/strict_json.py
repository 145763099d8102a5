"""Request bodies read as strict JSON.

FastAPI parses a JSON body with :func:`json.loads`, which accepts a lone surrogate escape
(``"\\ud83d"`` cut from its pair, ``"\\udc00"``). Such a string cannot be written as UTF-8:
stored in PostgreSQL or echoed in a response it failed the request with a 500. Every route
reads its body through :class:`StrictJSONRoute` instead: ``orjson`` refuses those escapes,
and the refusal is the usual 422 naming the position and the problem. (Routes that take a
platform payload read the raw body with :func:`~nigehban.ingest.sources.decode_json`, which
reads a lone surrogate as U+FFFD, as ``nigehban ingest`` does.)
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any

import orjson
from fastapi import Request, Response
from fastapi.routing import APIRoute


class StrictJSONRequest(Request):
    async def json(self) -> Any:
        if not hasattr(self, "_json"):
            # orjson.JSONDecodeError is a json.JSONDecodeError: FastAPI answers it with a 422
            self._json = orjson.loads(await self.body())
        return self._json


class StrictJSONRoute(APIRoute):
    """An :class:`~fastapi.routing.APIRoute` whose handler reads a :class:`StrictJSONRequest`."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def strict(request: Request) -> Response:
            return await handler(StrictJSONRequest(request.scope, request.receive))

        return strict
