"""The server's access log, with the request paths masked.

A request path carries identifiers — ``GET /v1/items/whatsapp/account/923001234567`` names a
phone number — and a query string can carry a secret (Meta's ``hub.verify_token``) or a
name searched for. :class:`MaskingFilter` rewrites each access-log record before it is
written: query values are kept only for the parameters that page or filter by a fixed
vocabulary (:data:`PLAIN_PARAMETERS`), other values become ``…``, and the path and the values
kept are masked as every log line is (:func:`nigehban.privacy.masking.mask_identifiers`: a phone
number, written with spaces, dashes, dots or brackets or without, and six or more digits keep
only their edges) and cut. uvicorn writes the path percent-encoded (``+92 300 123 4567`` as
``%2B92%20300%20123%204567``): it is decoded before it is masked, and encoded again.
:func:`log_config` is uvicorn's logging configuration with the filter on its access handler.
"""

from __future__ import annotations

import copy
import logging
from typing import Any
from urllib.parse import parse_qsl, quote, unquote

from nigehban.privacy.masking import mask_identifiers

PLAIN_PARAMETERS = frozenset(
    {"limit", "offset", "before", "after", "entry", "jurisdiction", "policy", "format", "lang",
     "history", "hub.mode"}
)  # fmt: skip
"""Query parameters whose values are paging positions or names from a fixed list: shown."""

PATH_CHARS = 200
"""Characters of a masked path written to the log."""

_PATH_ARGUMENT = 2
"""Where uvicorn's access record holds the path: (client, method, path, version, status)."""


QUERY_CHARS = 40
"""Characters of a query parameter's name, or of a value shown, written to the log."""

_ELLIPSIS = quote("…")


def mask_path(path_with_query: str) -> str:
    """``/v1/items/x/account/972987654321?hub.verify_token=s3cret&limit=5`` ->
    ``/v1/items/x/account/97…21?hub.verify_token=…&limit=5``;
    ``/v1/items/whatsapp/account/%2B92%20300%20123%204567`` ->
    ``/v1/items/whatsapp/account/92…67``."""
    path, _, query = path_with_query.partition("?")
    shown = _masked(unquote(path), safe="/")
    if query:
        pairs = parse_qsl(query, keep_blank_values=True)
        shown += "?" + "&".join(
            f"{_masked(key, safe='.', limit=QUERY_CHARS)}="
            + (_masked(value, limit=QUERY_CHARS) if key in PLAIN_PARAMETERS else "…")
            for key, value in pairs
        )
    return shown if len(shown) <= PATH_CHARS else shown[:PATH_CHARS] + "…"


def _masked(text: str, safe: str = "/", limit: int | None = None) -> str:
    """``text`` (decoded) masked, cut at ``limit`` and percent-encoded; ``…`` stays as it is."""
    masked = mask_identifiers(text)
    if limit is not None and len(masked) > limit:
        masked = masked[:limit] + "…"
    return quote(masked, safe=safe).replace(_ELLIPSIS, "…")


class MaskingFilter(logging.Filter):
    """Mask the path of each uvicorn access record; other records pass unchanged."""

    def filter(self, record: logging.LogRecord) -> bool:
        args = record.args
        if isinstance(args, tuple) and len(args) > _PATH_ARGUMENT:
            path = args[_PATH_ARGUMENT]
            if isinstance(path, str):
                masked = mask_path(path)
                record.args = (*args[:_PATH_ARGUMENT], masked, *args[_PATH_ARGUMENT + 1 :])
        return True


def log_config() -> dict[str, Any]:
    """uvicorn's default logging configuration with :class:`MaskingFilter` on the access
    handler."""
    from uvicorn.config import LOGGING_CONFIG

    config: dict[str, Any] = copy.deepcopy(LOGGING_CONFIG)
    config.setdefault("filters", {})["mask_paths"] = {"()": f"{__name__}.MaskingFilter"}
    config["handlers"]["access"].setdefault("filters", []).append("mask_paths")
    return config
