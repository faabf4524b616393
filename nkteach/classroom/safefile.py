"""Writing files without following symbolic links, and atomically.

Every file the classroom loop writes (the progress store, a hand-in, the grades CSV, the report,
the LMS files) goes through here: a target that is a symbolic link is refused with a message
naming it, and whole files are written to a fresh temporary file in the same folder (created
with ``O_CREAT | O_EXCL | O_NOFOLLOW``, so a planted link at that name cannot redirect it) and
then moved over the target with :func:`os.replace`, so a reader never sees half a file.
"""
from __future__ import annotations

import os
import secrets
from pathlib import Path

from ..validation import InvalidArgumentError

__all__ = ["SymlinkError", "refuse_symlink", "write_atomic", "open_append_nofollow"]

_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)


class SymlinkError(InvalidArgumentError):
    """A path that nkteach would write is a symbolic link (nkteach never writes through one)."""


def refuse_symlink(path, what: str) -> Path:
    """``path`` unless it is a symbolic link (then :class:`SymlinkError` naming ``what``)."""
    p = Path(path)
    if p.is_symlink():
        raise SymlinkError(f"{what} {p} is a symbolic link (to {os.readlink(p)}); nkteach never writes "
                           "through a link: remove the link or choose another path")
    return p


def write_atomic(path, data: str | bytes, *, what: str = "file", mode: int = 0o644) -> Path:
    """Write ``data`` to ``path`` in one step: a new temporary file beside it, then os.replace.
    Refuses a symlinked target. OSError propagates (the caller names the argument)."""
    p = refuse_symlink(path, what)
    raw = data.encode("utf-8") if isinstance(data, str) else data
    tmp = p.with_name(f".{p.name}.{secrets.token_hex(6)}.part")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW, mode)
    try:
        view = memoryview(raw)
        while view:
            view = view[os.write(fd, view):]
        os.fsync(fd)
    except BaseException:
        os.close(fd)
        os.unlink(tmp)       # our own temporary file, never anything else
        raise
    os.close(fd)
    try:
        refuse_symlink(p, what)   # planted between the check and now?
        os.replace(tmp, p)
    except BaseException:
        os.unlink(tmp)
        raise
    return p


def open_append_nofollow(path, *, what: str, mode: int = 0o600) -> int:
    """A descriptor for appending to ``path`` (created if missing); a symbolic link is refused
    (``O_NOFOLLOW``: even one planted after a check)."""
    p = refuse_symlink(path, what)
    try:
        return os.open(p, os.O_RDWR | os.O_APPEND | os.O_CREAT | _NOFOLLOW, mode)
    except OSError as e:
        if p.is_symlink():
            raise SymlinkError(f"{what} {p} is a symbolic link; nkteach never writes through "
                               "a link") from None
        raise e
