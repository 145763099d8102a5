"""Every error Nigehban raises on purpose, in one hierarchy.

::

    NigehbanError                 base; carries a short, already-truncated message
    ├── ConfigError               a setting or config file is wrong          (exit 2)
    ├── UsageError                a caller passed a bad argument             (exit 2)
    ├── InputError                bad input data: names the source and field (exit 1)
    │   ├── PayloadError          a payload cannot be read or parsed
    │   │   ├── UnknownFormatError    no adapter recognises the shape
    │   │   └── AmbiguousFormatError  more than one adapter claims the shape
    │   └── ValidationError       a value has the wrong type, size or form
    ├── NotFoundError             the referenced thing does not exist        (exit 1)
    ├── ConflictError             the change contradicts stored state        (exit 1)
    ├── AuthError                 missing, unknown or revoked credentials    (exit 1)
    │   └── SignatureError        a webhook signature is missing or wrong
    ├── HeldError                 a legal hold forbids purge or erasure     (exit 1)
    └── DependencyError           an external dependency is unavailable      (exit 3)

Messages never carry whole posts or personal identifiers: values are passed through
:func:`nigehban.privacy.masking.preview` before they are formatted into a message.
The CLI maps these classes to exit codes in ``cli/exit_codes.py``; the API maps them to
one JSON error shape in ``api/errors.py``.
"""

from __future__ import annotations


class NigehbanError(Exception):
    """Base of every deliberate error. ``message`` is safe to show and to log."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class ConfigError(NigehbanError):
    """A setting or configuration file holds a bad value."""

    def __init__(self, setting: str, problem: str) -> None:
        super().__init__(f"setting {setting}: {problem}")
        self.setting = setting
        self.problem = problem


class UsageError(NigehbanError):
    """A caller asked for something that cannot be done as asked."""


class InputError(NigehbanError):
    """Bad input data; ``source`` names the file, line or request it came from."""

    def __init__(self, source: str, problem: str) -> None:
        super().__init__(f"{source}: {problem}" if source else problem)
        self.source = source
        self.problem = problem


class PayloadError(InputError):
    """A payload cannot be read, decoded or parsed."""


class UnknownFormatError(PayloadError):
    """No adapter recognises the payload's shape."""


class AmbiguousFormatError(PayloadError):
    """More than one adapter recognises the payload's shape; Nigehban refuses to guess."""

    def __init__(self, source: str, candidates: list[str]) -> None:
        names = ", ".join(sorted(candidates))
        super().__init__(
            source,
            f"ambiguous payload: it matches the formats {names}; pass --format to choose one",
        )
        self.candidates = sorted(candidates)


class ValidationError(InputError):
    """A field has the wrong type, size or form; ``field`` is its dotted path."""

    def __init__(self, source: str, field: str, problem: str) -> None:
        super().__init__(source, f"field {field!s}: {problem}")
        self.field = field
        self.detail = problem


class NotFoundError(NigehbanError):
    """The referenced object does not exist (for this tenant)."""

    def __init__(self, what: str, key: str) -> None:
        super().__init__(f"{what} not found: {key}")
        self.what = what
        self.key = key


class ConflictError(NigehbanError):
    """The requested change contradicts stored state (e.g. a duplicate name)."""


class AuthError(NigehbanError):
    """Missing, unknown or revoked credentials."""


class SignatureError(AuthError):
    """A webhook's signature or secret token is missing, malformed or wrong."""


class HeldError(NigehbanError):
    """A legal hold forbids purging or erasing the named data."""

    def __init__(self, subject: str, hold_id: int) -> None:
        super().__init__(f"{subject} is under legal hold #{hold_id}; release the hold first")
        self.subject = subject
        self.hold_id = hold_id


class DependencyError(NigehbanError):
    """An external dependency (database server, file system) is unavailable."""
