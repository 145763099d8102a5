"""Mutations of JSON-like documents for property tests: a value replaced by a hostile one, a
key dropped, or (where ``added_keys`` are given) an unknown key added."""

from __future__ import annotations

import copy
from collections.abc import Iterator, Sequence
from typing import Any

from hypothesis import strategies as st

PathKey = tuple[str | int, ...]


def json_paths(node: object, prefix: PathKey = ()) -> Iterator[PathKey]:
    """The path of every value under ``node`` (dict keys and list indexes), ``node`` itself
    excluded."""
    if prefix:
        yield prefix
    if isinstance(node, dict):
        for key, value in node.items():
            yield from json_paths(value, (*prefix, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from json_paths(value, (*prefix, index))


def mutate(
    draw: st.DrawFn, document: object, hostile: Sequence[object], added_keys: Sequence[str] = ()
) -> object:
    """A copy of ``document`` with one to three mutations. Drawn values are copied, so a
    mutation never changes ``hostile`` itself (Hypothesis replays draws)."""
    document = copy.deepcopy(document)
    for _ in range(draw(st.integers(1, 3))):
        paths = list(json_paths(document))
        if not paths:
            break
        *parents, last = draw(st.sampled_from(paths))
        holder: Any = document
        for key in parents:
            holder = holder[key]
        actions = ["replace"]
        if isinstance(holder, dict):
            actions += ["drop", *(["add"] if added_keys else [])]
        action = draw(st.sampled_from(actions))
        value = copy.deepcopy(draw(st.sampled_from(hostile)))
        if action == "drop":
            holder.pop(last, None)
        elif action == "add":
            holder[draw(st.sampled_from(added_keys))] = value
        else:
            holder[last] = value
    return document
