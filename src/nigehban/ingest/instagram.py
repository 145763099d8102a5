"""Instagram: the Graph API's objects and the webhooks, two formats of one platform.

``instagram.graph`` (:mod:`nigehban.ingest.instagram_graph`) reads what the Graph API (and the
deprecated Basic Display API) returns: media, comments, stories, conversation messages, pages of
them and multi-id objects. ``instagram.webhook`` (:mod:`nigehban.ingest.instagram_webhook`)
reads ``object: instagram`` webhook bodies: comment notifications in ``changes[]`` and
Messenger-style direct messages in ``messaging[]``. Both modules document their quirks; this
module is where the registry finds the two adapters.
"""

from __future__ import annotations

from nigehban.ingest.instagram_graph import InstagramGraphAdapter
from nigehban.ingest.instagram_webhook import InstagramWebhookAdapter

__all__ = ["InstagramGraphAdapter", "InstagramWebhookAdapter"]
