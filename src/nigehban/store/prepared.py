"""Items in the form the store writes them, computed without a database.

Preparing an item — its codec dict, content hash, stored JSON body, links and the keyed digests
its audit event needs — is pure and is most of the per-item work of a save. Doing it apart from
the write lets ingest prepare one batch in a worker process while the main process stores the
previous one. :class:`PreparedItem` holds only strings, numbers and times, so it crosses a
process boundary cheaply.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import orjson

from nigehban.audit.digests import Digester
from nigehban.model.codec import ITEM_SCHEMA_VERSION, content_hash_of, item_to_dict
from nigehban.model.items import Item, Post
from nigehban.model.refs import ContainerRef


@dataclass(frozen=True, slots=True)
class PreparedItem:
    tenant: str
    key: str
    platform: str
    kind: str
    surface: str | None
    author_key: str | None
    edited_at: datetime | None
    content_hash: str
    body: str
    links: tuple[tuple[str, str], ...]
    subject: str
    content: str


def prepare(item: Item, digester: Digester) -> PreparedItem:
    data = item_to_dict(item)
    digest = content_hash_of(data)
    key = item.ref.key
    is_post = isinstance(item, Post)
    return PreparedItem(
        tenant=item.ref.tenant,
        key=key,
        platform=data["platform"],
        kind=data["kind"],
        surface=data["surface"] if is_post else None,
        author_key=data.get("author") if is_post else None,
        edited_at=item.edited_at,
        content_hash=digest,
        body=encode_body(data),
        links=_links(item),
        subject=digester.digest(key),
        content=digester.digest(digest),
    )


def encode_body(data: dict[str, Any]) -> str:
    """The stored form of a revision: the codec dict plus its ``schema_version``."""
    return orjson.dumps({**data, "schema_version": ITEM_SCHEMA_VERSION}).decode()


def _links(item: Item) -> tuple[tuple[str, str], ...]:
    if not isinstance(item, Post):
        return ()
    out = [(o.relation.value, o.ref.key) for o in item.origins]
    out.extend(("media", m.key) for m in item.media)
    if item.author is not None:
        out.append(("author", item.author.key))
    container = ContainerRef.of(item.ref.platform, item.container)
    if container is not None:  # what a hold on the channel, group or page finds it by
        out.append(("container", container.key))
    return tuple(out)
