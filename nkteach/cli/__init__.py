"""The instructor command line: ``nkteach <command>`` (``python -m nkteach`` works too).

One module per command group, each with ``register(subparsers)`` adding its parsers and setting
``func=callable(args) -> exit code`` (0 ok, 1 a check failed; raise :class:`UsageError` for bad
input). ``COMMAND_MODULES`` lists them, in the order ``nkteach --help`` shows them:

- :mod:`.data`: datasets, info, cite
- :mod:`.lessons`: lessons, check, new-lesson
- :mod:`.editions`: student-build, release-answers
- :mod:`.links`: links
- :mod:`.classroom`: progress, submit, gradebook
- :mod:`.audit`: audit (the course audit, :mod:`nkteach.audit`)
- :mod:`.export`: export-html (a lesson as one offline HTML file, :mod:`nkteach.editions.export`)

Exit codes: 0 success, 1 a check failed, 2 bad input (the message names it and what is allowed).
Library code the commands share with the site and the bench lives in the library
(:mod:`nkteach.editions`); ``lesson_links``, ``DEFAULT_REPO`` and ``TEMPLATE`` stay importable
from here for old callers.
"""
from __future__ import annotations

import argparse
import importlib
import sys

from ..editions.links import DEFAULT_REPO, lesson_links
from ..editions.scaffold import TEMPLATE
from .common import UsageError, describe

__all__ = ["COMMAND_MODULES", "DEFAULT_REPO", "TEMPLATE", "UsageError", "build_parser", "lesson_links",
           "main"]

COMMAND_MODULES: list[str] = [".data", ".lessons", ".editions", ".links", ".classroom", ".audit", ".export"]


def build_parser() -> argparse.ArgumentParser:
    """The ``nkteach`` parser with every command module's sub-commands."""
    from .. import __version__

    p = argparse.ArgumentParser(prog="nkteach", description="nkteach for instructors: datasets, "
                                "lessons, student copies and links.",
                                epilog="Run 'nkteach COMMAND --help' for details.")
    p.add_argument("--version", action="version", version=f"nkteach {__version__}")
    sub = p.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True
    for module in COMMAND_MODULES:
        importlib.import_module(module, __name__).register(sub)
    return p


def main(argv=None) -> int:
    """Run ``nkteach`` with ``argv`` (default: the command line); return the exit code."""
    from ..validation import NkteachError

    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except BrokenPipeError:   # e.g. `nkteach datasets | head`
        return 0
    except (UsageError, NkteachError, ValueError, KeyError, OSError, UnicodeError) as e:
        # bad input, never a bug report: name the file and the problem, exit 2 (usage)
        print(f"nkteach {args.command}: error: {describe(e)}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
