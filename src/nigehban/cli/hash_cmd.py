"""``nigehban hash FILE…``: the digests and perceptual hashes of media files, as JSON lines.

One line per file: ``file``, ``kind``, ``size``, ``md5``, ``sha256``, and ``pdq`` with
``quality`` for images or ``vpdq`` (canonical text form) for videos; ``--all-digests`` adds
SHA-1 and SHA-512, ``--dihedral`` the PDQ hashes of an image's rotations and flips. Images over
``--max-pixels`` (default: the ``max_image_pixels`` setting) and files over ``max_media_bytes``
are refused. Directories are walked recursively. A file that cannot be hashed is reported
on stderr and the others are still hashed; the exit code is then 1. With ``--json`` the lines
become one JSON list.
"""

from __future__ import annotations

import argparse
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from nigehban.cli.context import Context
from nigehban.cli.exit_codes import ExitCode
from nigehban.errors import InputError, UsageError
from nigehban.hashing.files import describe_path
from nigehban.hashing.media import hash_file

_EXTRA_DIGESTS = ("sha1", "sha512")


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("hash", help="digests, PDQ and vPDQ hashes of media files")
    p.add_argument("paths", nargs="+", type=Path, metavar="FILE", help="files or directories")
    p.add_argument(
        "--max-pixels",
        type=int,
        help="refuse larger images as possible decompression bombs (default: max_image_pixels)",
    )
    p.add_argument("--no-video", action="store_true", help="digests only for videos (no vPDQ)")
    p.add_argument(
        "--seconds-per-hash",
        type=float,
        default=1.0,
        help="vPDQ: hash one frame every this many seconds; 0 hashes every frame (default 1)",
    )
    p.add_argument("--all-digests", action="store_true", help="also print SHA-1 and SHA-512")
    p.add_argument(
        "--dihedral", action="store_true", help="also print the PDQ hashes of rotations and flips"
    )
    p.set_defaults(handler=hash_files)


def _files(paths: list[Path]) -> Iterator[Path]:
    """Each path, with directories replaced by their files (recursively, in name order)."""
    for path in paths:
        if not path.is_dir():
            yield path
            continue
        for root, dirs, names in os.walk(path):
            dirs.sort()
            for name in sorted(names):
                file = Path(root, name)
                if file.is_file():
                    yield file


def hash_files(ctx: Context) -> int:
    args = ctx.args
    max_pixels: int = ctx.settings.max_image_pixels if args.max_pixels is None else args.max_pixels
    if max_pixels <= 0:
        raise UsageError(f"--max-pixels must be positive, not {max_pixels}")
    if args.seconds_per_hash < 0:
        raise UsageError(f"--seconds-per-hash must not be negative, not {args.seconds_per_hash}")
    documents: list[dict[str, Any]] = []
    hashed = failed = 0
    for file in _files(args.paths):
        try:
            hashes = hash_file(
                file,
                max_pixels=max_pixels,
                video=not args.no_video,
                seconds_per_hash=args.seconds_per_hash,
                dihedral=args.dihedral,
                max_bytes=ctx.settings.max_media_bytes,
            )
        except InputError as exc:
            ctx.out.error(exc.message, type(exc).__name__)
            failed += 1
            continue
        hashed += 1
        document = hashes.to_dict(dihedral=args.dihedral)
        if not args.all_digests:
            for key in _EXTRA_DIGESTS:
                del document[key]
        if ctx.out.json_mode:
            documents.append(document)
        else:
            ctx.out.json_line(document)
    if not hashed and not failed:
        raise InputError(", ".join(describe_path(p) for p in args.paths[:3]), "no files found")
    if ctx.out.json_mode:
        ctx.out.json(documents)
    if failed:
        what = "file" if failed == 1 else "files"
        ctx.out.error(f"{failed} {what} could not be hashed")
        return ExitCode.FAILURE
    return ExitCode.OK
