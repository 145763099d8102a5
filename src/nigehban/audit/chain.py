"""The hash chain: each event's hash covers its content and the previous event's hash.

``hash_n = SHA-256(hash_{n-1} || canonical JSON of (seq, tenant, name, at, actor, data))`` with
``hash_0``'s predecessor :data:`GENESIS`. Editing, inserting, removing or reordering any event
changes every later hash, which :func:`verify` detects and reports by sequence number. Each tenant
has its own chain so tenants can publish theirs independently. (Signed checkpoints come later.)
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

import orjson

from nigehban.audit.events import EventValue
from nigehban.model.codec import format_time

GENESIS = "0" * 64


@dataclass(frozen=True, slots=True)
class ChainedEvent:
    tenant: str
    seq: int
    name: str
    at: datetime
    actor: str
    data: dict[str, EventValue]
    prev_hash: str
    hash: str


def event_hash(
    prev_hash: str,
    tenant: str,
    seq: int,
    name: str,
    at: datetime,
    actor: str,
    data: dict[str, EventValue],
) -> str:
    body = orjson.dumps(
        {
            "seq": seq,
            "tenant": tenant,
            "name": name,
            "at": format_time(at),
            "actor": actor,
            "data": data,
        },
        option=orjson.OPT_SORT_KEYS,
    )
    return hashlib.sha256(prev_hash.encode("ascii") + b"\n" + body).hexdigest()


@dataclass(frozen=True, slots=True)
class ChainBreak:
    seq: int
    problem: str


def verify(events: Iterable[ChainedEvent], head: tuple[int, str] | None = None) -> list[ChainBreak]:
    """Every break in a tenant's chain, in order; an empty list means the chain is intact.

    ``head`` is the recorded (sequence, hash) of the last event: with it, removing events from
    the end is detected too.
    """
    breaks: list[ChainBreak] = []
    prev = GENESIS
    expected_seq = 1
    for event in events:
        if event.seq != expected_seq:
            breaks.append(ChainBreak(event.seq, f"expected sequence {expected_seq}"))
        if event.prev_hash != prev:
            breaks.append(ChainBreak(event.seq, "does not link to the previous event"))
        recomputed = event_hash(
            event.prev_hash, event.tenant, event.seq, event.name, event.at, event.actor, event.data
        )
        if recomputed != event.hash:
            breaks.append(ChainBreak(event.seq, "content does not match its hash"))
        prev = event.hash
        expected_seq = event.seq + 1
    if head is not None and (expected_seq - 1, prev) != (head[0], head[1] if head[0] else GENESIS):
        breaks.append(
            ChainBreak(expected_seq - 1, f"chain ends before the recorded head {head[0]}")
        )
    return breaks
