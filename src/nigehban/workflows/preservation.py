"""What a purge or an erasure must keep, and why: a legal hold, or a violating decision in force.

A legal hold preserves its subject and what the subject is made of, so the hold is asked of
every item whose hold would cover the one about to go:

- the item itself;
- for a media item, the posts that carry it (in any revision);
- for an account, the posts it wrote (the account is evidence for them);
- for any of those posts, the posts that share or quote it, up a chain of shares (a pure share
  shows nothing but what it shares: preserving the share alone would preserve an empty
  reference);
- the containers of any of those posts (the Telegram channel or group, the Facebook page or
  group, the WhatsApp group it was said in, in any revision): a hold on a container — a
  preservation order on a whole channel — keeps every post said in it, with what a hold on
  each of those posts keeps;
- the accounts that wrote any of those posts: a hold on an account (a preservation order on
  it, EU 2021/784 Art. 6, Pakistan's Removal and Blocking of Unlawful Online Content Rules
  2021) keeps everything the account wrote, with the media, shares and quotes of it, for as
  long as the hold is in force.

Links of every revision count, as an edit that drops an image does not free it. A violating
decision in force keeps the item it is on, the media that item carries and the account that
wrote it (EU 2021/784 Art. 6: the content removed and the related data).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from nigehban.errors import NigehbanError
from nigehban.model.refs import ItemKind, ItemRef
from nigehban.store.store import Session

SHARE_CHAIN_LIMIT = 64
"""How many shares or quotes up from a post a hold is looked for (a chain longer is cut)."""


@dataclass(frozen=True, slots=True)
class Keep:
    """Why an item is kept: the legal hold ``hold`` in force, or, with no hold, a violating
    decision in force. ``on`` says what the hold is on: ``item`` (the item itself), ``post`` (a
    post that carries the item, shares or quotes it, or that the account wrote), ``container``
    (the channel, group or page the item, or such a post, was said in) or ``account`` (an
    account that wrote the item, or wrote such a post)."""

    hold: int | None = None
    on: str | None = None

    @property
    def why(self) -> str:
        """``held`` or ``preserved``."""
        return "held" if self.hold is not None else "preserved"

    @property
    def for_account(self) -> bool:
        """Kept only because of a hold on an account, not on the item, a post or a container."""
        return self.on == "account"

    @property
    def for_container(self) -> bool:
        """Kept only because of a hold on a container, not on the item or on a post."""
        return self.on == "container"


def kept(s: Session, refs: Sequence[ItemRef]) -> dict[str, Keep]:
    """Which of ``refs`` a purge or an erasure must keep, and why (see the module docstring).
    A hold on the item itself is named before one on a post, one on a post before one on a
    container, and one on a container before one on an account."""
    direct = s.items.referrers(
        [r.key for r in refs if r.kind in (ItemKind.MEDIA, ItemKind.ACCOUNT)], ("media", "author")
    )
    users = {r.key: {r.key} if r.kind is ItemKind.POST else direct.get(r.key, set()) for r in refs}
    sharers = _sharers(s, set().union(*users.values()))
    covering = {key: _up(posts, sharers) for key, posts in users.items()}
    posts = set().union(*covering.values())
    authors = s.items.linked(sorted(posts), ("author",))
    containers = s.items.linked(sorted(posts), ("container",))
    subjects = {r.key for r in refs} | posts | set().union(*authors.values())
    held = s.holds.active([ItemRef.stored(s.tenant, key) for key in sorted(subjects)])
    held_containers = s.holds.active_on_containers(sorted(set().union(*containers.values())))
    # a violating decision preserves what it is on, that item's media and its author: the
    # direct links only
    direct_posts = set().union(*direct.values())
    violating = s.decisions.violating(
        [*refs, *(ItemRef.stored(s.tenant, key) for key in sorted(direct_posts))]
    )
    out: dict[str, Keep] = {}
    for ref in refs:
        on_posts = sorted(covering[ref.key] - {ref.key})
        on_accounts = sorted(set().union(*(authors.get(p, set()) for p in covering[ref.key])))
        on_containers = sorted(set().union(*(containers.get(p, set()) for p in covering[ref.key])))
        on_post = _first(held, on_posts)
        on_container = _first(held_containers, on_containers)
        on_account = _first(held, [a for a in on_accounts if a != ref.key])
        if ref.key in held:
            out[ref.key] = Keep(held[ref.key], "item")
        elif on_post is not None:
            out[ref.key] = Keep(on_post, "post")
        elif on_container is not None:
            out[ref.key] = Keep(on_container, "container")
        elif on_account is not None:
            out[ref.key] = Keep(on_account, "account")
        elif ref.key in violating or direct.get(ref.key, set()) & violating:
            out[ref.key] = Keep()
    return out


def kept_keys(s: Session, keys: Sequence[str]) -> dict[str, Keep]:
    """:func:`kept` for item keys as a quarantine records them; keys that are not items'
    (``sha256:…`` subjects of files matched on their own) are kept by nothing."""
    refs = []
    for key in keys:
        try:
            refs.append(ItemRef.stored(s.tenant, key))
        except NigehbanError:
            continue
    return kept(s, refs)


def _sharers(s: Session, posts: set[str]) -> dict[str, set[str]]:
    """For ``posts`` and every post up their chains of shares and quotes, the posts that share
    or quote it (in any revision)."""
    found: dict[str, set[str]] = {}
    asked: set[str] = set()
    frontier = posts
    for _ in range(SHARE_CHAIN_LIMIT):
        if not frontier:
            break
        asked |= frontier
        up = s.items.referrers(sorted(frontier), ("share", "quote"))
        found.update(up)
        frontier = set().union(*up.values()) - asked
    return found


def _up(posts: Iterable[str], sharers: dict[str, set[str]]) -> set[str]:
    """``posts`` and every post that shares or quotes one of them, up the chain."""
    seen = set(posts)
    todo = list(seen)
    while todo:
        for key in sharers.get(todo.pop(), ()):
            if key not in seen:
                seen.add(key)
                todo.append(key)
    return seen


def _first(held: dict[str, int], keys: Sequence[str]) -> int | None:
    return next((held[k] for k in keys if k in held), None)
