"""X API v2 responses: ``{data, includes, errors, meta}``, error bodies and DM events.

``data`` is one object (lookup by id) or a list (search, timelines, multi-id lookup) of tweets,
of users (user lookup) or of DM events. The objects it refers to come once each in
``includes``: ``users`` (authors, by ``author_id``), ``tweets`` (the tweets referenced by
``referenced_tweets``, a pinned tweet), ``media`` (joined by ``attachments.media_keys``),
``places`` and ``polls`` (not content items; not read). A filtered-stream delivery adds
``matching_rules`` (the consumer's own rules; not read). Every included tweet and user becomes an
item of its own; a tweet that is both in ``data`` and in ``includes`` gives the same item twice,
which :meth:`ParseResult.unique_items` folds.

Tweets:

- ``referenced_tweets`` ``retweeted`` makes a pure share: the carrier has no text (its
  ``RT @user: …`` text is X's cut rendering of the original), entities, links or media, and one
  ``share`` origin (the ``quoted`` reference X also lists on a retweet of a quote belongs to the
  original); ``quoted`` is a ``quote`` origin, ``replied_to`` a ``reply`` origin. Referenced
  tweets are linked by id and emitted only when ``includes.tweets`` carries them;
- without ``referenced_tweets`` (default fields) a ``RT @…`` text is kept as given: the payload
  does not say it is a retweet;
- the text is ``note_tweet.text`` for a long post, else ``text``, as given (``&amp;`` escaped);
  ``entities`` ``urls`` / ``mentions`` / ``hashtags`` / ``cashtags`` count code points (a URL's
  value and link are its ``expanded_url``, a mention's value the user ``id`` when given);
  ``annotations`` are X's guesses, not markup, and are not read;
- the URL is ``https://x.com/<username>/status/<id>`` when the author's username is in the
  payload, else ``https://x.com/i/status/<id>``; ``lang`` is the language hint.

Media: ``type`` ``photo`` / ``video`` / ``animated_gif``, ``url`` (photos) else
``preview_image_url`` (a video's still), ``width``, ``height``, ``duration_ms``. A media key a
tweet names but ``includes.media`` lacks is referenced, not emitted.

DM events (``data[]`` with ``event_type``, from ``/2/dm_events``): ``MessageCreate`` is a private
post, authored by ``sender_id``, in the container ``dm_conversation_id`` when given; a tweet it
shares (``referenced_tweets``, without a type) is a ``quote`` origin, as the message has its own
text. Other events (``ParticipantsJoin``, ``ParticipantsLeave``) are skipped.

Errors: X answers 200 with ``errors[]`` for ids it cannot return, next to ``data`` when some
could be (partial response) or alone. A ``…/problems/resource-not-found`` error for
``resource_type: tweet`` is a deleted (or protected) tweet: a :class:`Tombstone` of that id
(``resource_id``, else ``value``). Every other error, and a problem body without ``data`` (a 429
stream ``ConnectionException``, a 401), is a :class:`PlatformError` whose code is
``connection_issue`` when given, else the last path segment of the problem ``type``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, ClassVar

from nigehban.errors import ValidationError
from nigehban.ingest.base import ParseContext, ParseResult, PlatformError, Reader, Skip, Tombstone
from nigehban.ingest.x_common import (
    Entities,
    account_ref,
    account_url,
    media_kind,
    media_ref,
    or_none,
    ordered_origins,
    post_ref,
    post_url,
)
from nigehban.model.items import Account, Media, Origin, Post
from nigehban.model.refs import ItemRef, Platform, Relation, Surface
from nigehban.privacy.masking import preview

TOP_LEVEL = frozenset({"data", "includes", "errors", "meta", "matching_rules"})
NOT_FOUND = "resource-not-found"
DELETED_REASON = "not found on X (deleted or protected)"
MESSAGE_CREATE = "MessageCreate"

_PROBLEMS = "/problems/"
_MESSAGE_LIMIT = 300
_RELATIONS = {"retweeted": Relation.SHARE, "quoted": Relation.QUOTE, "replied_to": Relation.REPLY}
# keys of other platforms' objects (Instagram comments, Facebook posts) that no v2 tweet, user
# or DM event has at its top level
_FOREIGN_KEYS = frozenset(
    {
        "timestamp",
        "created_time",
        "message",
        "caption",
        "media_type",
        "media_url",
        "permalink",
        "from",
        "user",
        "media",
        "like_count",
        "hidden",
        "replies",
        "parent_id",
    }
)


def _is_problem(value: object) -> bool:
    """An RFC 7807 problem as X writes it (``type`` under ``…/2/problems/`` or a 401's
    ``about:blank`` with a ``status``)."""
    if not isinstance(value, Mapping) or not isinstance(value.get("title"), str):
        return False
    kind = value.get("type")
    if not isinstance(kind, str):
        return False
    return _PROBLEMS in kind or (kind == "about:blank" and isinstance(value.get("status"), int))


def _is_object(value: object) -> bool:
    """A v2 tweet, user or DM event."""
    if not isinstance(value, Mapping) or not isinstance(value.get("id"), str):
        return False
    if _FOREIGN_KEYS.intersection(value):
        return False
    if isinstance(value.get("text"), str):
        return "username" not in value  # a tweet names its author by author_id only
    return isinstance(value.get("event_type"), str) or (
        isinstance(value.get("username"), str) and isinstance(value.get("name"), str)
    )


def _has_result_count(payload: Mapping[str, Any]) -> bool:
    meta = payload.get("meta")
    return isinstance(meta, Mapping) and "result_count" in meta


class XV2Adapter:
    """X API v2 tweets, users, DM events and error bodies."""

    name: ClassVar[str] = "x.v2"
    platform: ClassVar[Platform] = Platform.X

    def sniff(self, payload: object) -> bool:
        if not isinstance(payload, Mapping):
            return False
        if "data" not in payload and _is_problem(payload):
            return True
        if not payload or not TOP_LEVEL.issuperset(payload):
            return False
        data = payload.get("data")
        if data is None:
            errors = payload.get("errors")
            if isinstance(errors, list) and errors:
                return all(_is_problem(e) for e in errors)
            return _has_result_count(payload)
        if isinstance(data, Mapping):
            return _is_object(data)
        if isinstance(data, list):
            if not data:
                return _has_result_count(payload)
            return all(_is_object(d) for d in data)
        return False

    def parse(self, payload: Any, ctx: ParseContext) -> ParseResult:
        root = Reader(payload, "", ctx.source)
        return _Response(root, ctx).parse()


class _Response:
    """One v2 response: usernames from every user object first, then the items."""

    def __init__(self, root: Reader, ctx: ParseContext) -> None:
        self.root = root
        self.ctx = ctx
        self.result = ParseResult()
        self.includes = root.opt_obj("includes")
        self.usernames: dict[str, str] = {}

    def parse(self) -> ParseResult:
        if "data" not in self.root.data and _is_problem(self.root.data):
            self.result.errors.append(_platform_error(self.root, "$"))
        data = self._data()
        included_users = list(self.includes.objs("users")) if self.includes else []
        for user in included_users:
            self._remember(user)
        for element in data:
            if _is_user(element):
                self._remember(element)
        for element in data:
            if element.has("event_type"):
                self._dm_event(element)
            elif _is_user(element):
                self.result.add(self._account(element))
            else:
                self.result.add(self._tweet(element))
        if self.includes is not None:
            for tweet in self.includes.objs("tweets"):
                self.result.add(self._tweet(tweet))
            for user in included_users:
                self.result.add(self._account(user))
            for media in self.includes.objs("media"):
                self.result.add(self._media(media))
        for error in self.root.objs("errors"):
            self._error(error)
        return self.result

    def _data(self) -> Sequence[Reader]:
        raw = self.root.raw("data")
        if raw is None:
            return ()
        if isinstance(raw, list):
            return list(self.root.objs("data"))
        return [self.root.obj("data")]

    def _remember(self, user: Reader) -> None:
        self.usernames[user.str("id")] = user.str("username")

    # -- items ----------------------------------------------------------------------------------

    def _tweet(self, t: Reader) -> Post:
        ref = post_ref(t, self.ctx, t.str("id"))
        author_id = t.opt_str("author_id")
        author = account_ref(t, self.ctx, author_id) if author_id else None
        created = t.time("created_at")
        url = post_url(ref.scoped_id, self.usernames.get(author_id or ""))
        origins = self._origins(t, typed=True)
        shared = [o for o in origins if o.relation is Relation.SHARE]
        if shared:
            return Post(
                ref=ref,
                surface=Surface.PUBLIC,
                author=author,
                origins=(shared[0],),
                created_at=created,
                url=url,
            )
        note = t.opt_obj("note_tweet")
        source = note if note is not None and note.has("text") else t
        text = source.str("text")
        found = _entities(source, text)
        return Post(
            ref=ref,
            surface=Surface.PUBLIC,
            text=text,
            entities=found.entities(),
            author=author,
            origins=origins,
            media=self._media_refs(t),
            links=found.links(),
            created_at=created,
            url=url,
            lang_hint=t.opt_str("lang"),
        )

    def _dm_event(self, e: Reader) -> None:
        kind = e.str("event_type")
        if kind != MESSAGE_CREATE:
            self.result.skipped.append(Skip(e.path, f"DM event {kind}, no content"))
            return
        sender = e.opt_str("sender_id")
        text = e.opt_str("text")
        found = _entities(e, text) if text is not None else None
        self.result.add(
            Post(
                ref=post_ref(e, self.ctx, e.str("id")),
                surface=Surface.PRIVATE,
                text=text,
                entities=found.entities() if found else (),
                author=account_ref(e, self.ctx, sender) if sender else None,
                container=e.opt_str("dm_conversation_id"),
                origins=self._origins(e, typed=False),
                media=self._media_refs(e),
                links=found.links() if found else (),
                created_at=e.time("created_at"),
            )
        )

    def _origins(self, t: Reader, *, typed: bool) -> tuple[Origin, ...]:
        origins: list[Origin] = []
        for r in t.objs("referenced_tweets"):
            kind = r.opt_str("type")
            if kind is None and not typed:
                relation = Relation.QUOTE
            elif kind is not None and kind in _RELATIONS:
                relation = _RELATIONS[kind]
            else:
                raise ValidationError(
                    r.source,
                    r.at("type"),
                    f"unknown reference {preview(kind)} (retweeted, quoted, replied_to)",
                )
            origins.append(Origin(relation, post_ref(r, self.ctx, r.str("id"))))
        return ordered_origins(origins)

    def _media_refs(self, t: Reader) -> tuple[ItemRef, ...]:
        attachments = t.opt_obj("attachments")
        if attachments is None:
            return ()
        refs: list[ItemRef] = []
        for i, key in enumerate(attachments.list("media_keys")):
            if not isinstance(key, str):
                where = f"{attachments.at('media_keys')}[{i}]"
                raise ValidationError(t.source, where, f"expected a media key, got {preview(key)}")
            refs.append(media_ref(attachments, self.ctx, key))
        return tuple(dict.fromkeys(refs))

    def _account(self, u: Reader) -> Account:
        handle = u.str("username")
        return Account(
            ref=account_ref(u, self.ctx, u.str("id")),
            handle=handle,
            display_name=or_none(u.opt_str("name")),
            bio=or_none(u.opt_str("description")),
            avatar_url=u.opt_str("profile_image_url"),
            verified=u.opt_bool("verified"),
            created_at=u.time("created_at"),
            url=account_url(handle),
        )

    def _media(self, m: Reader) -> Media:
        millis = m.opt_int("duration_ms")
        return Media(
            ref=media_ref(m, self.ctx, m.str("media_key")),
            media_kind=media_kind(m),
            url=m.opt_str("url") or m.opt_str("preview_image_url"),
            width=m.opt_int("width"),
            height=m.opt_int("height"),
            duration_s=millis / 1000 if millis is not None else None,
        )

    # -- errors ---------------------------------------------------------------------------------

    def _error(self, e: Reader) -> None:
        kind = e.opt_str("type") or ""
        if (
            kind.rstrip("/").rsplit("/", 1)[-1] == NOT_FOUND
            and e.opt_str("resource_type") == "tweet"
        ):
            tweet_id = e.opt_str("resource_id") or e.str("value")
            ref = post_ref(e, self.ctx, tweet_id)
            self.result.tombstones.append(Tombstone(ref, None, DELETED_REASON))
            return
        self.result.errors.append(_platform_error(e, e.path))


def _is_user(element: Reader) -> bool:
    return not element.has("text") and not element.has("note_tweet") and element.has("username")


def _entities(t: Reader, text: str) -> Entities:
    found = Entities.of(text)
    block = t.opt_obj("entities")
    if block is None:
        return found
    for e in block.objs("urls"):
        found.add(e, "start", "url", _span(e), e.opt_str("expanded_url"))
    for e in block.objs("mentions"):
        found.add(e, "start", "mention", _span(e), e.opt_str("id"))
    for e in block.objs("hashtags"):
        found.add(e, "start", "hashtag", _span(e))
    for e in block.objs("cashtags"):
        found.add(e, "start", "cashtag", _span(e))
    return found


def _span(e: Reader) -> tuple[int, int]:
    return e.int("start"), e.int("end")


def _platform_error(e: Reader, where: str) -> PlatformError:
    kind = e.opt_str("type")
    code = e.opt_str("connection_issue") or (kind.rstrip("/").rsplit("/", 1)[-1] if kind else None)
    if not code:
        code = e.opt_id("code") or "unknown"
    title, detail = e.opt_str("title"), e.opt_str("detail") or e.opt_str("message")
    message = ": ".join(part for part in (title, detail) if part) or "no message"
    if len(message) > _MESSAGE_LIMIT:
        message = message[: _MESSAGE_LIMIT - 1] + "…"
    return PlatformError(where, code, message)
