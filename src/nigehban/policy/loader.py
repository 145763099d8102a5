"""Loading policy files: validation with ``file:line`` errors, contradictions refused, hot reload.

:func:`load_policy` parses one YAML file into a :class:`~nigehban.policy.model.Policy`. Every
problem is raised as :class:`~nigehban.errors.InputError` located at the offending key:
``pk.yaml:41: categories.glorification.thresholds.remvoe: unknown key 'remvoe'; did you mean
'remove'?``. Beyond types and unknown keys, the loader refuses rules that contradict each other
or the invariants the engine enforces anyway (thresholds out of order, a rule acting on a
protected category, a ground cited on a surface it excludes, Regulation (EU) 2021/784 on
private messages, a removal resting on a group mention alone), so a policy that loads means
what it says.

:class:`PolicyHolder` keeps the policies of a directory in force: a reload that finds any file
invalid raises and leaves the previous set in place.
"""

from __future__ import annotations

import logging
import re
import threading
import types
from collections.abc import Mapping
from importlib import resources
from pathlib import Path
from typing import Annotated, Any, Union, get_args, get_origin

from pydantic import BaseModel
from pydantic import ValidationError as PydanticValidationError

from nigehban.errors import ConfigError, InputError, NotFoundError
from nigehban.policy.checks import check_policy, suggest
from nigehban.policy.model import SCHEMA_VERSION, Policy
from nigehban.privacy.masking import preview
from nigehban.yamldoc import PathKey, YamlDoc, load_yaml

log = logging.getLogger(__name__)

_QUOTED = re.compile(r"'([^']*)'")


def default_policy_dir() -> Path:
    """The policies shipped in the package (``platform-tos``, ``pk``, ``eu``)."""
    return Path(str(resources.files("nigehban.policy") / "data"))


def load_policy(path: Path) -> Policy:
    """Load and validate one policy file; raises :class:`InputError` at ``file:line``."""
    doc = load_yaml(path)
    return parse_policy(doc)


def parse_policy(doc: YamlDoc) -> Policy:
    """Validate an already parsed YAML document."""
    if not isinstance(doc.data, dict):
        raise doc.error((), "a policy file is a mapping with schema_version, name, grounds, …")
    version = doc.data.get("schema_version")
    if isinstance(version, bool) or version != SCHEMA_VERSION:  # true == 1 in Python
        raise doc.error(
            ("schema_version",),
            f"{preview(version)} is not a supported schema_version "
            f"(this release reads {SCHEMA_VERSION})",
        )
    try:
        policy = Policy.model_validate(doc.data)
    except PydanticValidationError as exc:
        raise _first_error(doc, exc) from None
    check_policy(doc, policy)
    return policy


def load_policies(directory: Path | None = None) -> dict[str, Policy]:
    """Every ``*.yaml`` policy of ``directory`` (default: the shipped ones), by name."""
    directory = directory or default_policy_dir()
    if not directory.is_dir():
        raise ConfigError("policy_dir", f"{preview(str(directory))}: the directory does not exist")
    files = sorted(directory.glob("*.yaml"))
    if not files:
        raise ConfigError("policy_dir", f"{preview(str(directory))}: no policy files (*.yaml)")
    found: dict[str, Policy] = {}
    origin: dict[str, str] = {}
    for path in files:
        doc = load_yaml(path)
        policy = parse_policy(doc)
        if policy.name in found:
            raise doc.error(
                ("name",), f"policy name {policy.name!r} is already used by {origin[policy.name]}"
            )
        found[policy.name] = policy
        origin[policy.name] = path.name
    return dict(sorted(found.items()))


def find_policy(policies: Mapping[str, Policy], name: str) -> Policy:
    """The policy called ``name``; :class:`NotFoundError` lists the known names otherwise."""
    try:
        return policies[name]
    except KeyError:
        known = ", ".join(sorted(policies)) or "none"
        raise NotFoundError("policy", f"{preview(name)} (known policies: {known})") from None


class PolicyHolder:
    """The policies of a directory, reloadable; an invalid reload keeps the previous set."""

    def __init__(self, directory: Path | None = None) -> None:
        self._directory = directory
        self._lock = threading.Lock()
        self._policies = load_policies(directory)

    @property
    def policies(self) -> Mapping[str, Policy]:
        return types.MappingProxyType(self._policies)

    def names(self) -> list[str]:
        return sorted(self._policies)

    def get(self, name: str) -> Policy:
        return find_policy(self._policies, name)

    def reload(self) -> Mapping[str, Policy]:
        """Load the files again; on any error raise it and keep the policies in force."""
        with self._lock:
            fresh = load_policies(self._directory)
            before = {n: p.digest for n, p in self._policies.items()}
            after = {n: p.digest for n, p in fresh.items()}
            changed = {n for n in before.keys() | after.keys() if before.get(n) != after.get(n)}
            self._policies = fresh
        if changed:
            log.info("policies reloaded: %s changed", ", ".join(sorted(changed)))
        return self.policies


# -- pydantic errors as file:line messages ----------------------------------------------------


def _first_error(doc: YamlDoc, exc: PydanticValidationError) -> InputError:
    # The first problem in the file, but a missing key last: it is often a misspelt one.
    located: list[tuple[bool, int, int, PathKey, str]] = []
    for index, error in enumerate(exc.errors()):
        loc = tuple(p for p in error["loc"] if isinstance(p, str | int))
        key_error = bool(loc) and loc[-1] == "[key]"
        key = loc[:-1] if key_error else loc
        problem = _describe(error, key, key_error)
        located.append((error["type"] == "missing", doc.line_of(key), index, key, problem))
    *_, key, problem = min(located)
    return doc.error(key, problem)


def _describe(error: Mapping[str, Any], key: PathKey, key_error: bool) -> str:
    kind = str(error.get("type", ""))
    given = error.get("input")
    if kind == "extra_forbidden":
        name = str(key[-1])
        known = _known_keys(key[:-1])
        return f"unknown key {name!r}" + suggest(name, known)
    if kind == "missing":
        return "required key is missing"
    expected = error.get("ctx", {}).get("expected") if error.get("ctx") else None
    if kind in ("enum", "literal_error") and isinstance(expected, str):
        choices = _QUOTED.findall(expected)
        what = "key" if key_error else "value"
        return (
            f"{preview(given)} is not a valid {what} (expected one of {', '.join(choices)})"
            + suggest(str(given), choices)
        )
    message = str(error.get("msg", "invalid value")).removeprefix("Value error, ")
    if kind in ("string_type", "str_type") and isinstance(given, int | float):
        message += " (write it in quotes)"
    if isinstance(given, str | int | float | bool) or given is None:
        return f"{preview(given)}: {message}"
    return message


def _known_keys(loc: PathKey) -> list[str]:
    """The keys a mapping at ``loc`` may hold, from the policy model's fields."""
    current: Any = Policy
    for part in loc:
        current = _unwrap(current)
        if isinstance(current, type) and issubclass(current, BaseModel):
            field = current.model_fields.get(part) if isinstance(part, str) else None
            if field is None:
                return []
            current = field.annotation
            continue
        origin = get_origin(current)
        if origin is dict:
            current = get_args(current)[1]
        elif origin in (tuple, list):
            current = get_args(current)[0]
        else:
            return []
    current = _unwrap(current)
    if isinstance(current, type) and issubclass(current, BaseModel):
        return list(current.model_fields)
    return []


def _unwrap(annotation: Any) -> Any:
    while True:
        origin = get_origin(annotation)
        if origin is Annotated:
            annotation = get_args(annotation)[0]
        elif origin in (Union, types.UnionType):
            args = [a for a in get_args(annotation) if a is not type(None)]
            annotation = args[0]
        else:
            return annotation
