"""The server's access log, with the request paths masked.

A request path carries identifiers — ``GET /v1/items/whatsapp/account/923001234567`` names a
phone number — and a query string can carry a secret (Meta's ``hub.verify_token``) or a
name searched for. :class:`MaskingFilter` rewrites each access-log record before it is
written: query values are kept only for the parameters that page or filter by a fixed
vocabulary (:data:`PLAIN_PARAMETERS`), other values become ``…``, and the path is masked and
cut as every log line is (:func:`nigehban.privacy.masking.redact`: six or more digits keep
only their edges). :func:`log_config` is uvicorn's logging configuration with the filter on
its access handler.
"""

from __future__ import annotations

import copy
import logging
from typing import Any
from urllib.parse import parse_qsl, quote

from nigehban.privacy.masking import redact

PLAIN_PARAMETERS = frozenset(
    {"limit", "offset", "before", "after", "entry", "jurisdiction", "policy", "format", "lang",
     "history", "hub.mode"}
)  # fmt: skip
"""Query parameters whose values are paging positions or names from a fixed list: shown."""

PATH_CHARS = 200
"""Characters of a masked path written to the log."""

_PATH_ARGUMENT = 2
"""Where uvicorn's access record holds the path: (client, method, path, version, status)."""


def mask_path(path_with_query: str) -> str:
    """``/v1/items/x/account/972987654321?hub.verify_token=s3cret&limit=5`` ->
    ``/v1/items/x/account/97…21?hub.verify_token=…&limit=5``."""
    path, _, query = path_with_query.partition("?")
    if query:
        pairs = parse_qsl(query, keep_blank_values=True)
        shown = "&".join(
            f"{quote(key[:40], safe='.')}="
            + (quote(value[:40]) if key in PLAIN_PARAMETERS else "…")
            for key, value in pairs
        )
        path = f"{path}?{shown}"
    return redact(path, PATH_CHARS)


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
