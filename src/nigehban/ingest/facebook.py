"""Facebook: Graph API reads (``facebook.graph``) and Page webhooks (``facebook.webhook``).

The two formats share nothing but ids and conventions (``facebook_common``); each lives in its
own module — :mod:`nigehban.ingest.facebook_graph` and :mod:`nigehban.ingest.facebook_webhook`,
whose docstrings describe the payloads, their quirks and what every field becomes. This module
is where the registry finds them.
"""

from __future__ import annotations

from nigehban.ingest.facebook_graph import FacebookGraphAdapter
from nigehban.ingest.facebook_webhook import FacebookWebhookAdapter

__all__ = ["FacebookGraphAdapter", "FacebookWebhookAdapter"]
