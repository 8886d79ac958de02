"""The development secret key: generated once per installation, never taken from the source.

Plain Python (no Django), because the settings call it before Django is set up.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

MIN_LENGTH = 50


def load_or_create_secret_key(path: Path) -> str:
    """The key stored at `path`; on first use a new random one, written with mode 0600.

    The file appears complete or not at all: the key is written to a private temporary file that
    is then hard-linked into place, which fails if another process (a second worker starting at
    the same moment) got there first; both then use the winner's key.
    """
    existing = _read(path)
    if existing is not None:
        return existing
    path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(64)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        os.fchmod(fd, 0o600)
        os.write(fd, key.encode() + b"\n")
        os.fsync(fd)
    finally:
        os.close(fd)
    try:
        os.link(temporary, path)
    except FileExistsError:
        pass
    finally:
        temporary.unlink(missing_ok=True)
    stored = _read(path)
    if stored is None:
        raise RuntimeError(f"{path} holds no usable secret key; delete it to have a new one generated.")
    return stored


def _read(path: Path) -> str | None:
    try:
        key = path.read_text().strip()
    except FileNotFoundError:
        return None
    return key if len(key) >= MIN_LENGTH else None
