"""Instagram Graph API objects: media, comments, stories and conversation messages.

Shapes recognised (``instagram.graph``), each made of *nodes* — objects with an ``id``:

- one node: an IG Media (``media_type`` ``IMAGE|VIDEO|CAROUSEL_ALBUM``, ``caption``,
  ``media_url``, ``thumbnail_url``, ``permalink``, ``timestamp``, ``owner{id}``, ``username``,
  ``children{data[]}``, ``media_product_type`` ``FEED|STORY|REELS|AD``), an IG Comment
  (``text``, ``timestamp``, ``from{id, username}`` or ``user{id}`` + ``username``,
  ``media{id}``, ``parent_id``, ``replies{data[]}``), a conversation message (``created_time``,
  ``from{id, username}``, ``message``, ``story{reply_to|mention{link, id}}``,
  ``attachments{data[]}``), or an IG User queried for ``business_discovery`` (another account and
  its ``media{data[]}``), ``mentioned_media`` or ``mentioned_comment``;
- a page ``{data: [nodes], paging}`` (user media, tags, hashtag search, comment replies);
- a multi-id object ``{"<id>": node, …}`` (``?ids=``), every key the id of its node.

Basic Display API media (deprecated, still in archives) has the same media fields.

Instagram and Facebook Graph objects look alike (pages, multi-id objects); they are told apart
by fields only Instagram uses: ``media_type`` in upper case, ``media_product_type``, ``ig_id``,
an ISO ``timestamp`` (Facebook says ``created_time``), a ``permalink`` on instagram.com, the
``business_discovery`` / ``mentioned_*`` edges, and for messages a ``from.username``, a
``story`` object or an id starting ``aWdf`` (base64 of ``ig_``; Facebook message ids start
``m_``). An object with a ``platform`` key is Nigehban's own record, never Instagram's.

Items:

- media → a public :class:`Post` (id = media id, text = ``caption``, which the API omits when
  empty; url = ``permalink``; author = ``owner.id``, or the ``business_discovery`` account whose
  media it is) and one :class:`Media` per picture or video: the media id itself for ``IMAGE`` /
  ``VIDEO`` (url ``media_url``, else ``thumbnail_url``), each child's id for a carousel. A
  carousel without ``children`` gives its ``media_url`` — the cover, whose kind the payload does
  not say — as a :class:`Media` of kind ``other`` under the carousel's id. A media object known
  only by ids (hashtag search) gives what it says: a post without text and, when ``media_type``
  is given, a media item without a URL. Stories are media with ``media_product_type: STORY``.
- comment → a public post replying to ``parent_id``, else to the enclosing comment (``replies``),
  else to ``media.id``; a comment without any of these has no origin.
- message → a private post (DMs are always emitted as private; whether they are stored is the
  ingest workflow's decision); a reply to a story is a ``REPLY`` to the story's media id and a
  story mention a ``SHARE`` of it; the story becomes a post of its own with the ``link`` as a
  media item of kind ``other`` (stories expire, the link is all there is).

An :class:`Account` is emitted when the payload says more than its id (``username``, ``name``,
``biography``, ``profile_picture_url``); an account known only by id is linked as the author,
like an origin known only by id. A ``username`` without a user id (comments, media read without
``owner``) names no account: identity is the user id, so such posts have no author.

Instagram gives no entity offsets: hashtags and @mentions stay in the text and ``entities`` is
left empty rather than computed. Counts (``like_count``, ``comments_count``), ``ig_id``,
``shortcode`` and ``hidden`` are not content and are not kept.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from typing import Any, ClassVar

from nigehban.errors import ValidationError
from nigehban.ingest.base import ParseContext, ParseResult, Reader
from nigehban.model.items import Account, Media, MediaKind, Origin, Post
from nigehban.model.refs import ItemKind, ItemRef, Platform, Relation, Surface
from nigehban.privacy.masking import preview

PLATFORM = Platform.INSTAGRAM

_MEDIA_TYPES: dict[str, MediaKind | None] = {
    "IMAGE": MediaKind.IMAGE,
    "VIDEO": MediaKind.VIDEO,
    "CAROUSEL_ALBUM": None,
}
_EDGES = ("business_discovery", "mentioned_media", "mentioned_comment")
_COMMENT_KEYS = ("text", "parent_id", "replies", "from", "user", "hidden")
_MEDIA_CONTENT_KEYS = (
    "caption",
    "media_url",
    "thumbnail_url",
    "permalink",
    "timestamp",
    "children",
)
_NODE_KEYS = ("id", *_EDGES, *_COMMENT_KEYS, *_MEDIA_CONTENT_KEYS, "media_type", "created_time")
_PAGE_KEYS = frozenset({"data", "paging"})
_IG_TIME = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[+-]\d{4}")
_IG_PERMALINKS = ("https://www.instagram.com/", "https://instagram.com/")
_IG_MESSAGE_ID_PREFIX = "aWdf"  # base64 of "ig_"


# -- recognising the shape ----------------------------------------------------------------------


def _has_id(obj: Mapping[str, Any]) -> bool:
    value = obj.get("id")
    if isinstance(value, bool):
        return False
    return (isinstance(value, str) and value != "") or isinstance(value, int)


def _is_message(obj: Mapping[str, Any]) -> bool:
    sender = obj.get("from")
    story = obj.get("story")
    return (
        (isinstance(sender, Mapping) and isinstance(sender.get("username"), str))
        or (isinstance(story, Mapping) and ("reply_to" in story or "mention" in story))
        or str(obj["id"]).startswith(_IG_MESSAGE_ID_PREFIX)
    )


def is_node(obj: object) -> bool:
    """True for one Instagram Graph node (media, comment, message or an edge query)."""
    if not isinstance(obj, Mapping) or not _has_id(obj) or "platform" in obj:
        return False
    if any(isinstance(obj.get(edge), Mapping) for edge in _EDGES):
        return True
    if "created_time" in obj:
        return _is_message(obj)
    timestamp = obj.get("timestamp")
    permalink = obj.get("permalink")
    media_type = obj.get("media_type")
    return (
        (isinstance(media_type, str) and media_type in _MEDIA_TYPES)
        or isinstance(obj.get("media_product_type"), str)
        or "ig_id" in obj
        or (isinstance(timestamp, str) and _IG_TIME.fullmatch(timestamp) is not None)
        or (isinstance(permalink, str) and permalink.startswith(_IG_PERMALINKS))
    )


def is_graph_payload(payload: object) -> bool:
    """A node, a non-empty page of nodes, or a non-empty multi-id object of nodes."""
    if not isinstance(payload, Mapping) or not payload:
        return False
    if "data" in payload:
        data = payload["data"]
        return (
            set(payload) <= _PAGE_KEYS
            and isinstance(data, list)
            and bool(data)
            and all(is_node(node) for node in data)
        )
    if "id" in payload:
        return is_node(payload)
    return all(is_node(node) and str(node["id"]) == key for key, node in payload.items())


# -- items shared with the webhook adapter ------------------------------------------------------


def ref(r: Reader, ctx: ParseContext, kind: ItemKind, scoped_id: str) -> ItemRef:
    return r.ref(ctx, PLATFORM, kind, scoped_id)


def author(
    r: Reader,
    ctx: ParseContext,
    out: ParseResult,
    handle: str | None = None,
    display_name: str | None = None,
    bio: str | None = None,
    avatar_url: str | None = None,
) -> ItemRef:
    """The account ``r.id`` as an author; emitted as an item when more than its id is known."""
    account = ref(r, ctx, ItemKind.ACCOUNT, r.id("id"))
    if any(v is not None for v in (handle, display_name, bio, avatar_url)):
        out.add(Account(account, handle, display_name, bio, avatar_url))
    return account


def url_media_id(url: str) -> str:
    """Identity of a media item known only by URL (as for Facebook): ``url:`` + SHA-256."""
    return "url:" + hashlib.sha256(url.encode("utf-8")).hexdigest()[:40]


def story(r: Reader, ctx: ParseContext, out: ParseResult, link_key: str) -> ItemRef:
    """A story a message replies to or mentions: ``{id, link|url}`` → a post with its media."""
    story_id = r.id("id")
    post = ref(r, ctx, ItemKind.POST, story_id)
    link = r.opt_str(link_key)
    media: tuple[ItemRef, ...] = ()
    if link:
        media_ref = ref(r, ctx, ItemKind.MEDIA, story_id)
        out.add(Media(media_ref, MediaKind.OTHER, url=link))
        media = (media_ref,)
    out.add(Post(post, Surface.PUBLIC, media=media))
    return post


def comment(
    r: Reader, ctx: ParseContext, out: ParseResult, parent: ItemRef | None = None
) -> ItemRef:
    """An IG Comment (Graph object or webhook ``comments`` value) and its nested replies."""
    post = ref(r, ctx, ItemKind.POST, r.id("id"))
    by: ItemRef | None = None
    sender = r.opt_obj("from")
    user = r.opt_obj("user")
    if sender is not None:
        by = author(sender, ctx, out, handle=sender.opt_str("username") or r.opt_str("username"))
    elif user is not None:
        by = author(user, ctx, out, handle=r.opt_str("username"))
    origins: tuple[Origin, ...] = ()
    parent_id = r.opt_id("parent_id")
    on_media = r.opt_obj("media")
    if parent_id is not None:
        origins = (Origin(Relation.REPLY, ref(r, ctx, ItemKind.POST, parent_id)),)
    elif parent is not None:
        origins = (Origin(Relation.REPLY, parent),)
    elif on_media is not None:
        origins = (Origin(Relation.REPLY, ref(on_media, ctx, ItemKind.POST, on_media.id("id"))),)
    if on_media is not None and any(on_media.has(k) for k in _MEDIA_CONTENT_KEYS):
        media(on_media, ctx, out)
    out.add(
        Post(
            post,
            Surface.PUBLIC,
            text=r.opt_str("text") or None,
            author=by,
            origins=origins,
            created_at=r.time("timestamp"),
        )
    )
    replies = r.opt_obj("replies")
    if replies is not None:
        for reply in replies.objs("data"):
            comment(reply, ctx, out, parent=post)
    return post


# -- media ----------------------------------------------------------------------------------------


def _media_type(r: Reader) -> tuple[bool, MediaKind | None]:
    """(given, kind): kind is ``None`` for a carousel."""
    value = r.opt_str("media_type")
    if value is None:
        return False, None
    if value not in _MEDIA_TYPES:
        raise ValidationError(
            r.source,
            f"{r.path}.media_type" if r.path else "media_type",
            f"expected IMAGE, VIDEO or CAROUSEL_ALBUM, got {preview(value)}",
        )
    return True, _MEDIA_TYPES[value]


def _picture(r: Reader, ctx: ParseContext, out: ParseResult, kind: MediaKind) -> ItemRef:
    media_ref = ref(r, ctx, ItemKind.MEDIA, r.id("id"))
    out.add(Media(media_ref, kind, url=r.opt_str("media_url") or r.opt_str("thumbnail_url")))
    return media_ref


def _pictures(r: Reader, ctx: ParseContext, out: ParseResult) -> tuple[ItemRef, ...]:
    given, kind = _media_type(r)
    if kind is not None:
        return (_picture(r, ctx, out, kind),)
    children = r.opt_obj("children")
    if given and children is not None:
        found: list[ItemRef] = []
        for child in children.objs("data"):
            child_given, child_kind = _media_type(child)
            if child_given and child_kind is None:
                raise ValidationError(
                    child.source, f"{child.path}.media_type", "a carousel cannot hold a carousel"
                )
            found.append(_picture(child, ctx, out, child_kind or MediaKind.OTHER))
        return tuple(found)
    if r.has("media_url") or r.has("thumbnail_url"):
        return (_picture(r, ctx, out, MediaKind.OTHER),)
    return ()


def media(r: Reader, ctx: ParseContext, out: ParseResult, owner: ItemRef | None = None) -> ItemRef:
    """An IG Media object: a public post and its pictures/videos."""
    post = ref(r, ctx, ItemKind.POST, r.id("id"))
    given_owner = r.opt_obj("owner")
    by = owner
    if given_owner is not None:
        by = author(given_owner, ctx, out, handle=r.opt_str("username"))
    pictures = _pictures(r, ctx, out)
    out.add(
        Post(
            post,
            Surface.PUBLIC,
            text=r.opt_str("caption") or None,
            author=by,
            media=pictures,
            created_at=r.time("timestamp"),
            url=r.opt_str("permalink"),
        )
    )
    return post


# -- messages and edge queries -----------------------------------------------------------------


def _attachment(a: Reader, ctx: ParseContext, out: ParseResult) -> ItemRef | None:
    """A Graph message attachment: ``image_data`` / ``video_data`` / ``file_url``."""
    image = a.opt_obj("image_data")
    video = a.opt_obj("video_data")
    kind, url = MediaKind.DOCUMENT, a.opt_str("file_url")
    width = height = None
    if image is not None:
        kind, url = MediaKind.IMAGE, image.opt_str("url")
        width, height = image.opt_int("width"), image.opt_int("height")
    elif video is not None:
        kind, url = MediaKind.VIDEO, video.opt_str("url")
    given_id = a.opt_id("id")
    if given_id is None and url is None:
        return None
    media_ref = ref(a, ctx, ItemKind.MEDIA, given_id or url_media_id(url or ""))
    out.add(
        Media(
            media_ref,
            kind,
            url=url,
            mime_type=a.opt_str("mime_type"),
            file_name=a.opt_str("name"),
            size_bytes=a.opt_int("size"),
            width=width,
            height=height,
        )
    )
    return media_ref


def message(r: Reader, ctx: ParseContext, out: ParseResult) -> ItemRef:
    """An Instagram conversation message read through the Graph API: always private."""
    post = ref(r, ctx, ItemKind.POST, r.id("id"))
    sender = r.opt_obj("from")
    by = None if sender is None else author(sender, ctx, out, handle=sender.opt_str("username"))
    origins: list[Origin] = []
    about = r.opt_obj("story")
    if about is not None:
        reply_to = about.opt_obj("reply_to")
        mention = about.opt_obj("mention")
        if reply_to is not None:
            origins.append(Origin(Relation.REPLY, story(reply_to, ctx, out, "link")))
        if mention is not None:
            origins.append(Origin(Relation.SHARE, story(mention, ctx, out, "link")))
    pictures: list[ItemRef] = []
    attachments = r.opt_obj("attachments")
    if attachments is not None:
        for a in attachments.objs("data"):
            found = _attachment(a, ctx, out)
            if found is not None:
                pictures.append(found)
    links: list[str] = []
    shares = r.opt_obj("shares")
    if shares is not None:
        for share in shares.objs("data"):
            link = share.opt_str("link")
            if link:
                links.append(link)
    out.add(
        Post(
            post,
            Surface.PRIVATE,
            text=r.opt_str("message") or None,
            author=by,
            origins=tuple(origins),
            media=tuple(pictures),
            links=tuple(links),
            created_at=r.time("created_time"),
        )
    )
    return post


def _edges(r: Reader, ctx: ParseContext, out: ParseResult) -> None:
    """An IG User read for ``business_discovery`` / ``mentioned_media`` / ``mentioned_comment``.

    The outer ``id`` is the business account asking; it is not content and is not emitted.
    """
    found = r.opt_obj("business_discovery")
    if found is not None:
        owner = author(
            found,
            ctx,
            out,
            handle=found.opt_str("username"),
            display_name=found.opt_str("name"),
            bio=found.opt_str("biography"),
            avatar_url=found.opt_str("profile_picture_url"),
        )
        page = found.opt_obj("media")
        if page is not None:
            for node in page.objs("data"):
                media(node, ctx, out, owner=owner)
    mentioned = r.opt_obj("mentioned_media")
    if mentioned is not None:
        media(mentioned, ctx, out)
    mentioned = r.opt_obj("mentioned_comment")
    if mentioned is not None:
        comment(mentioned, ctx, out)


def _node(r: Reader, ctx: ParseContext, out: ParseResult) -> None:
    if any(r.has(edge) for edge in _EDGES):
        _edges(r, ctx, out)
    elif "created_time" in r.data:
        message(r, ctx, out)
    elif any(key in r.data for key in _COMMENT_KEYS) or isinstance(r.raw("media"), Mapping):
        comment(r, ctx, out)
    else:
        media(r, ctx, out)


class InstagramGraphAdapter:
    """``instagram.graph``: Instagram Graph (and Basic Display) API objects, pages, multi-ids."""

    name: ClassVar[str] = "instagram.graph"
    platform: ClassVar[Platform] = PLATFORM

    def sniff(self, payload: object) -> bool:
        return is_graph_payload(payload)

    def parse(self, payload: Any, ctx: ParseContext) -> ParseResult:
        out = ParseResult()
        root = Reader(payload, "", ctx.source)
        if "data" in root.data:
            for node in root.objs("data"):
                _node(node, ctx, out)
        elif any(key in root.data for key in _NODE_KEYS):
            _node(root, ctx, out)
        elif not root.data:
            raise ValidationError(
                ctx.source, "$", "is empty (expected an Instagram object, page or multi-id object)"
            )
        else:
            for key in root.data:
                node = root.obj(key)
                if node.id("id") != key:
                    raise ValidationError(
                        ctx.source,
                        f"{key}.id",
                        f"{preview(node.id('id'))} does not match its key {preview(key)}",
                    )
                _node(node, ctx, out)
        return out
