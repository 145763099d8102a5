"""The REST API: a thin FastAPI face over the library, versioned under ``/v1``.

:func:`create_app` builds the application from one :class:`~nigehban.settings.Settings` and one
:class:`~nigehban.store.store.Store`; nothing is read at import time. Modules, one concept each:
``errors`` (the one JSON error shape), ``auth`` (API keys), ``limits`` (request body cap),
``health``, ``items`` and ``webhooks`` (routes), ``signatures`` (pure webhook checks).
"""

from nigehban.api.app import create_app

__all__ = ["create_app"]
