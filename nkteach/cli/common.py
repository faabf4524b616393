"""What every command module of the CLI shares: the usage error, finding the lessons, the
one-line description of an error, and turning a library error into a message that names the
command line's own options."""
from __future__ import annotations

import argparse
from pathlib import Path

__all__ = ["PKG", "UsageError", "lessons_dir", "lesson_paths", "whole_number", "describe", "with_flag",
           "arg", "command", "PATHS"]

PKG = Path(__file__).resolve().parent.parent


class UsageError(Exception):
    """Bad input from the command line: printed as 'nkteach <cmd>: error: ...', exit 2."""


def lessons_dir() -> Path:
    """./lessons when run in a checkout, else the lessons next to the (editable) package."""
    for d in (Path.cwd() / "lessons", PKG.parent / "lessons"):
        if d.is_dir():
            return d
    raise UsageError("no lessons folder found (looked for ./lessons and "
                     f"{PKG.parent / 'lessons'}); run nkteach from a checkout of the repository "
                     "or pass lesson paths")


def lesson_paths(paths) -> list[Path]:
    """The lesson files named by ``paths`` (files or folders; none: the lessons folder)."""
    from ..lessoncheck import lesson_files

    try:
        return lesson_files(paths, None if paths else lessons_dir())
    except (FileNotFoundError, ValueError) as e:
        raise UsageError(str(e)) from None


def whole_number(s: str) -> int:
    """argparse type: a whole number, with a clear message otherwise."""
    try:
        return int(s)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {s!r}") from None


def arg(*names: str, **options) -> tuple[tuple[str, ...], dict]:
    """One command-line argument for :func:`command`: the names and options of
    ``ArgumentParser.add_argument``."""
    return names, options


PATHS = arg("paths", nargs="*", help="lesson files or folders (default: ./lessons)")


def command(sub, name: str, func, *, help: str, description: str, arguments=()) -> argparse.ArgumentParser:
    """Add sub-command ``name`` (with its ``help`` line, ``description`` and ``arguments``, each
    made by :func:`arg`) to ``sub``; running it calls ``func(args)``."""
    parser = sub.add_parser(name, help=help, description=description)
    for names, options in arguments:
        parser.add_argument(*names, **options)
    parser.set_defaults(func=func)
    return parser


def with_flag(error: Exception, flags: dict[str, str]) -> UsageError:
    """A library error as a usage error: when it says which keyword would allow the operation
    (``error.needs``, e.g. "force"), the message names the command line's option for it."""
    needs = getattr(error, "needs", None)
    if needs in flags:
        return UsageError(f"{error} (add {flags[needs]})")
    return UsageError(str(error))


def describe(e: BaseException) -> str:
    """One line naming the file and the problem (OSError carries the file name)."""
    if isinstance(e, OSError):
        where = e.filename or ""
        why = {FileNotFoundError: "no such file or folder", IsADirectoryError: "is a folder, not a file",
               NotADirectoryError: "a path component is a file, not a folder",
               PermissionError: "permission denied (read-only?)"}.get(type(e), e.strerror or str(e))
        return f"{where}: {why}" if where else why
    if isinstance(e, UnicodeDecodeError):
        return f"not UTF-8 text ({e.reason} at byte {e.start})"
    return str(e)
