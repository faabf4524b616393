"""The course secret behind the release codes (``nkteach release-answers``).

32 random bytes kept with the instructor's copy of the course, in
``<course root>/.nkteach/course-secret`` (hex text, mode 0600; the folder holds its own
``.gitignore`` containing ``*`` so git does not track it, and the repository's .gitignore lists
``.nkteach/``), or in the file named by ``$NKTEACH_COURSE_SECRET``. No edition copies it: the
asset rule never takes a hidden file or folder, and a student build refuses a target inside it.
"""
from __future__ import annotations

import os
import secrets
from pathlib import Path

from ..validation import InvalidArgumentError

__all__ = ["ENV_SECRET", "SECRET_DIR", "SECRET_FILE", "SecretError", "course_secret", "has_secret",
           "new_secret", "save_secret", "secret_path"]

ENV_SECRET = "NKTEACH_COURSE_SECRET"
SECRET_DIR = ".nkteach"
SECRET_FILE = "course-secret"
_BYTES = 32


class SecretError(InvalidArgumentError):
    """The course secret is missing, unreadable, malformed or in an unsafe place."""


def secret_path(root) -> Path:
    """Where the course secret of course folder ``root`` is (``$NKTEACH_COURSE_SECRET`` first)."""
    env = os.environ.get(ENV_SECRET)
    if env:
        return Path(env).expanduser()
    return Path(root) / SECRET_DIR / SECRET_FILE


def _refuse_symlinks(path: Path) -> None:
    for p in (path, path.parent):
        if p.is_symlink():
            raise SecretError(f"refusing to use the course secret at {path}: {p} is a symbolic link")


def _read(path: Path) -> bytes:
    _refuse_symlinks(path)
    try:
        text = path.read_text(encoding="ascii").strip()
        value = bytes.fromhex(text)
    except (UnicodeDecodeError, ValueError):
        raise SecretError(f"course secret {path} is not {_BYTES * 2} hexadecimal digits; restore it "
                          "from your backup (codes made with another secret do not open these "
                          "copies)") from None
    if len(value) != _BYTES:
        raise SecretError(f"course secret {path} holds {len(value)} bytes, expected {_BYTES}")
    return value


def course_secret(root, *, create: bool = False) -> bytes:
    """The course secret of course folder ``root`` (32 bytes).

    With ``create=True`` a missing secret is made (random bytes from :mod:`secrets`, written
    without following symbolic links, mode 0600, never replacing an existing file); without it a
    missing secret is an error that says where it was looked for."""
    path = secret_path(root)
    if path.exists() or path.is_symlink():
        return _read(path)
    if not create:
        raise SecretError(f"no course secret at {path}: a student build in reveal mode 'release' "
                          "makes it; keep it with the instructor's copy of the course")
    return save_secret(root, secrets.token_bytes(_BYTES))


def has_secret(root) -> bool:
    """True when course folder ``root`` has a course secret (or ``$NKTEACH_COURSE_SECRET`` names one)."""
    path = secret_path(root)
    return path.exists() or path.is_symlink()


def new_secret() -> bytes:
    """A fresh course secret (not saved: see :func:`save_secret`)."""
    return secrets.token_bytes(_BYTES)


def save_secret(root, value: bytes) -> bytes:
    """Save ``value`` as the course secret of ``root`` (never over an existing one: if another
    was saved meanwhile, that one is returned, and codes must come from it)."""
    if not isinstance(value, bytes) or len(value) != _BYTES:
        raise SecretError(f"a course secret is {_BYTES} bytes, got {value!r:.40}")
    path = secret_path(root)
    folder = path.parent
    if folder.is_symlink():
        raise SecretError(f"refusing to write the course secret: {folder} is a symbolic link")
    made_folder = not folder.exists()
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    if made_folder and folder.name == SECRET_DIR:
        ignore = folder / ".gitignore"
        fd = os.open(ignore, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o644)
        with os.fdopen(fd, "w", encoding="ascii") as f:
            f.write("# the course secret stays out of git (nkteach)\n*\n")
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o600)
    except FileExistsError:        # made by another process meanwhile: use that one
        return _read(path)
    with os.fdopen(fd, "w", encoding="ascii") as f:
        f.write(value.hex() + "\n")
    return value
