"""Files a command writes: checked before the work starts, replaced only when it is done.

An ``--output`` may name a directory that does not exist, a directory, a file that cannot be
written, or the very file being read (``classify -i posts.jsonl -o posts.jsonl``). Each is
refused before the work starts, naming the path — not after an hour's scan, and not after
the input has been emptied. The file is then written beside its place under a temporary name
and moved there once complete (:func:`replacing`), so a run that stops halfway leaves the
previous file as it was, never half of a new one.
"""

from __future__ import annotations

import contextlib
import os
import secrets
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import IO

from nigehban.errors import UsageError

SHOWN = 120
"""Characters of a path shown in an error."""


def _shown(path: Path) -> str:
    text = str(path)
    return repr(text if len(text) <= SHOWN else text[:SHOWN] + "…")


def check_output(path: Path, *, flag: str, inputs: Sequence[Path] = ()) -> None:
    """Raise :class:`UsageError` unless ``path`` can be written as a new or replaced file
    that is none of ``inputs``."""
    if path.is_dir():
        raise UsageError(f"{flag} {_shown(path)} is a directory; name a file")
    if path.exists() and not path.is_file():  # a device or a pipe: written in place
        if not os.access(path, os.W_OK):
            raise UsageError(f"{flag} {_shown(path)} is not writable")
        return
    if path.is_symlink():  # a link to a file: its target is written, the link kept
        path = Path(os.path.realpath(path))
    parent = path.parent
    if not parent.is_dir():
        raise UsageError(f"{flag} {_shown(path)}: no such directory {_shown(parent)}")
    if not os.access(parent, os.W_OK | os.X_OK):
        raise UsageError(f"{flag} {_shown(path)}: directory {_shown(parent)} is not writable")
    if path.exists() and not os.access(path, os.W_OK):
        raise UsageError(f"{flag} {_shown(path)} is not writable")
    for source in inputs:
        if _same_file(path, source):
            raise UsageError(
                f"{flag} {_shown(path)} is the input {_shown(source)}: writing it would "
                "destroy what is being read; name another file"
            )


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.samefile(b)
    except OSError:  # one of them does not exist (yet): compare where they would be
        return a.resolve() == b.resolve()


@contextlib.contextmanager
def replacing(path: Path) -> Iterator[IO[bytes]]:
    """A binary handle whose bytes become ``path`` when the block ends without an error;
    on an error the temporary file is removed and ``path`` is left as it was. A new file gets
    the mode any new file gets (0o666 less the umask); a replaced one keeps its own."""
    if path.exists() and not path.is_file():
        # a device or a pipe (``-o /dev/stdout``, a FIFO): written in place, as it cannot be
        # replaced (replacing /dev/stdout would put a regular file where the link was)
        with path.open("wb") as stream:
            yield stream
        return
    if path.is_symlink():
        # a link to a file: its target is replaced, the link kept
        path = Path(os.path.realpath(path))
    temporary = path.parent / f".{path.name[:40]}.{secrets.token_hex(6)}.partial"
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    try:
        with os.fdopen(descriptor, "wb") as handle:
            yield handle
        if path.exists():
            os.chmod(temporary, path.stat().st_mode & 0o7777)
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
