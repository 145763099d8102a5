"""The saved stance model: ``model.json`` (metadata, settings, calibration, checksums) beside
``model.npz`` (the weight arrays). No pickle anywhere: arrays are loaded with
``allow_pickle=False`` and the JSON is plain data.

Both files are written byte for byte the same by the same training run on the same platform:
JSON with sorted keys; the npz is a zip written entry by entry in sorted order with a fixed
timestamp and ``.npy`` members from :func:`numpy.lib.format.write_array`. ``model.json``
records the SHA-256 of ``model.npz``, and loading checks it.
"""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from nigehban.errors import DependencyError, InputError

FORMAT = "nigehban.stance/1"
DEFAULT_DIR = Path(__file__).parent / "data"
_EPOCH = (1980, 1, 1, 0, 0, 0)


@dataclass(frozen=True, slots=True)
class Artefact:
    meta: dict[str, Any]
    arrays: dict[str, npt.NDArray[Any]]
    source: str = "model.json"
    """Where ``meta`` was read (for errors)."""


def write_npz(path: Path, arrays: Mapping[str, npt.NDArray[Any]]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name in sorted(arrays):
            member = io.BytesIO()
            np.lib.format.write_array(
                member, np.ascontiguousarray(arrays[name]), allow_pickle=False
            )
            info = zipfile.ZipInfo(f"{name}.npy", date_time=_EPOCH)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, member.getvalue(), compresslevel=6)
    data = buffer.getvalue()
    path.write_bytes(data)
    return data


def encode_meta(meta: Mapping[str, Any]) -> bytes:
    return (json.dumps(meta, ensure_ascii=False, indent=1, sort_keys=True) + "\n").encode()


def save(directory: Path, meta: dict[str, Any], arrays: Mapping[str, npt.NDArray[Any]]) -> None:
    directory.mkdir(parents=True, exist_ok=True)
    data = write_npz(directory / "model.npz", arrays)
    meta = {**meta, "format": FORMAT, "arrays_sha256": hashlib.sha256(data).hexdigest()}
    (directory / "model.json").write_bytes(encode_meta(meta))


def load(directory: Path = DEFAULT_DIR) -> Artefact:
    meta_path, npz_path = directory / "model.json", directory / "model.npz"
    if not meta_path.is_file() or not npz_path.is_file():
        raise DependencyError(
            f"no stance model in {directory} (model.json and model.npz): run `nigehban train`"
        )
    try:
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
    except ValueError as exc:
        raise InputError(str(meta_path), f"not JSON ({exc})") from None
    if meta.get("format") != FORMAT:
        raise InputError(
            str(meta_path),
            f"format {str(meta.get('format'))[:40]!r} is not {FORMAT!r}; "
            "rebuild the model with `nigehban train`",
        )
    data = npz_path.read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    if digest != meta.get("arrays_sha256"):
        raise InputError(
            str(npz_path),
            f"SHA-256 {digest[:16]}… does not match model.json "
            f"({str(meta.get('arrays_sha256'))[:16]}…): the model files are not a pair",
        )
    with np.load(io.BytesIO(data), allow_pickle=False) as archive:
        arrays = {name: archive[name] for name in archive.files}
    return Artefact(meta, arrays, str(meta_path))


def checksum(directory: Path) -> str:
    """One SHA-256 over both files: what CI compares after rebuilding."""
    h = hashlib.sha256()
    for name in ("model.json", "model.npz"):
        h.update((directory / name).read_bytes())
    return h.hexdigest()
