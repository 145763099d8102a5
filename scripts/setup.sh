#!/usr/bin/env bash
# Create the virtual environment and install Nigehban with its pinned dependencies.
# Installs the Debian packages it needs first when they are missing (python3-venv).
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON="${PYTHON:-python3}"
if ! "$PYTHON" -c 'import venv, ensurepip' >/dev/null 2>&1; then
  echo "installing python3-venv from Debian packages..." >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq && apt-get install -y -qq python3-venv
fi
# vpdq (video hashing) builds against FFmpeg's libraries; the tests make clips with ffmpeg.
if ! pkg-config --exists libavcodec libavformat libswscale libavutil 2>/dev/null \
    || ! command -v ffmpeg >/dev/null 2>&1; then
  echo "installing FFmpeg and its development libraries from Debian packages..." >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq && apt-get install -y -qq ffmpeg pkg-config \
    libavcodec-dev libavformat-dev libavutil-dev libswscale-dev libavdevice-dev
fi
# The embedding engine (nigehban.stance._e5engine) and the optional C modules of the normaliser
# and the fast tier's features and the group matcher's key filter (_fastnorm, _fastfeat,
# _keyfilter; Python otherwise) are compiled
# at install; GCC brings the OpenMP runtime the engine needs.
if ! command -v gcc >/dev/null 2>&1; then
  echo "installing gcc from Debian packages..." >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq && apt-get install -y -qq gcc
fi
"$PYTHON" -c 'import sys; sys.exit(0 if sys.version_info[:2] == (3, 11) else 1)' || {
  echo "Nigehban needs Python 3.11 (found $("$PYTHON" --version))" >&2
  exit 2
}
[ -x .venv/bin/python ] || "$PYTHON" -m venv .venv
.venv/bin/python -m pip install -q --disable-pip-version-check -r requirements.lock
.venv/bin/python -m pip install -q --disable-pip-version-check --no-deps -e .
if [ "$(uname -m)" = x86_64 ] && ! .venv/bin/python -c \
    'import importlib.util, sys; sys.exit(importlib.util.find_spec("nigehban.stance._e5engine") is None)'; then
  echo "warning: the embedding engine was not built: the stance classifier's semantic tier" \
    "will be off (see src/nigehban/stance/e5c/README.md)" >&2
fi
