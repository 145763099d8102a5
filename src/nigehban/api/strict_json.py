"""Request bodies read as strict JSON.

FastAPI parses a JSON body with :func:`json.loads`, which accepts a lone surrogate escape
(``"\\ud83d"`` cut from its pair, ``"\\udc00"``). Such a string cannot be written as UTF-8:
stored in PostgreSQL or echoed in a response it failed the request with a 500. Every route
reads its body through :class:`StrictJSONRoute` instead: ``orjson`` refuses those escapes,
and the refusal is the usual 422 naming the position and the problem. Integers are read
exactly (:mod:`nigehban.exactjson`): one over 64 bits reaches the route as itself, never as a
float (``1.2e+29``) that the route would name instead of the value sent. A byte-order mark at
the very start of the body is dropped, as ``nigehban ingest`` and ``nigehban classify`` drop
one at the start of a file. (Routes that take a
platform payload read the raw body with :func:`~nigehban.ingest.sources.decode_json`, which
reads a lone surrogate as U+FFFD, as ``nigehban ingest`` does.)

A route that takes a JSON document refuses a body sent as another media type
(``Content-Type: text/plain``) with a 422 that names the type and asks for JSON; FastAPI would
otherwise hand the raw bytes to the model and answer "Input should be a valid dictionary".
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any

from fastapi import Request, Response
from fastapi.routing import APIRoute

from nigehban import exactjson
from nigehban.errors import ValidationError
from nigehban.ingest.sources import drop_bom
from nigehban.privacy.masking import preview


def is_json(media: str) -> bool:
    """``application/json``, ``application/problem+json`` …, parameters aside."""
    kind = media.split(";", 1)[0].strip().lower()
    return kind == "application/json" or (
        kind.startswith("application/") and kind.endswith("+json")
    )


class StrictJSONRequest(Request):
    async def json(self) -> Any:
        if not hasattr(self, "_json"):
            # orjson.JSONDecodeError is a json.JSONDecodeError: FastAPI answers it with a 422;
            # an integer over 64 bits is read exactly, so a route can name it, not a float
            self._json = exactjson.loads(drop_bom(await self.body()))
        return self._json


class StrictJSONRoute(APIRoute):
    """An :class:`~fastapi.routing.APIRoute` whose handler reads a :class:`StrictJSONRequest`."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()
        takes_json = self.body_field is not None

        async def strict(request: Request) -> Response:
            if takes_json:
                media = request.headers.get("content-type", "")
                if media and not is_json(media):
                    raise ValidationError(
                        "body",
                        "Content-Type",
                        f"{preview(media, 60)} is not JSON; send the body as application/json",
                    )
            strict_request = StrictJSONRequest(request.scope, request.receive)
            if takes_json:
                # Read the body here, where an error from ``receive`` (the body cap's
                # BodyTooLargeError, as a streamed body passes max_body_bytes) reaches the
                # app's handlers as itself: FastAPI would turn it into a 400 "There was an
                # error parsing the body". The body is cached on the request for the handler.
                await strict_request.body()
            return await handler(strict_request)

        return strict
