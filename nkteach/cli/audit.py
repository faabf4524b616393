"""The ``nkteach audit`` command (the library is :mod:`nkteach.audit`): ``register(subparsers)``
adds it to the nkteach CLI, ``run(args)`` runs it; ``python -m nkteach.audit`` runs :func:`main`.

Exit codes: 0 every rule passes, 1 a rule failed, 2 bad input (the message names it).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..validation import NkteachError
from ..audit.report import report_markdown, run_audit, summary_text
from ..audit.rules import RULES
from ..audit.writer import write_times

__all__ = ["HELP", "register", "run", "build_parser", "main"]

HELP = "check balance and consistency of the lessons and course pages (docs/audit.md)"


def _add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "root",
        nargs="?",
        default=".",
        help="the course's root folder (holding lessons/, README.md, site/); default: .",
    )
    p.add_argument("--report", metavar="FILE.md", help="also write the Markdown (MyST) report to FILE.md")
    p.add_argument(
        "--rule",
        action="append",
        metavar="NAME",
        choices=list(RULES),
        help="run only this rule (repeatable); default: every rule",
    )
    p.add_argument(
        "--write-times",
        action="store_true",
        help="first write the computed class/homework minutes into every lesson's metadata and "
        "first cell and into the syllabus weeks",
    )
    p.add_argument("--rules", action="store_true", help="list the rules with their documentation and exit")
    p.add_argument(
        "--limit",
        type=int,
        default=None,
        metavar="N",
        help="print at most N findings per rule (the report has them all)",
    )


def register(subparsers) -> None:
    """Add ``audit`` to the nkteach CLI's subparsers (sets ``func=run``)."""
    p = subparsers.add_parser(
        "audit",
        help=HELP,
        description=HELP.capitalize() + ". Exit 0: every rule passes; 1: a rule failed; 2: bad input.",
    )
    _add_arguments(p)
    p.set_defaults(func=run)


def _fail(msg: str) -> int:
    print(f"nkteach audit: error: {msg}", file=sys.stderr)
    return 2


def run(args) -> int:
    """Run the audit for parsed ``args``; returns the exit code (0, 1 or 2)."""
    if args.rules:
        for name, fn in RULES.items():
            print(f"{name}\n    " + " ".join((fn.__doc__ or "").split()) + "\n")
        return 0
    if args.limit is not None and args.limit < 0:
        return _fail(f"--limit must be 0 or more, got {args.limit}")
    root = Path(args.root)
    if not root.is_dir():
        return _fail(
            f"root={args.root!r}: no such folder; give the course's root folder (the one holding lessons/)"
        )
    if args.report:
        rp = Path(args.report)
        if rp.suffix != ".md":
            return _fail(f"--report {args.report!r}: the report is Markdown; give a file name ending in .md")
        if rp.is_symlink() or rp.is_dir():
            return _fail(
                f"--report {args.report!r}: is a {'symbolic link' if rp.is_symlink() else 'folder'}; "
                "give a regular file"
            )
        if not rp.parent.is_dir():
            return _fail(f"--report {args.report!r}: folder {str(rp.parent)!r} does not exist")
    try:
        if args.write_times:
            for p in write_times(root):
                print(f"wrote times: {p}")
        res = run_audit(root, args.rule)
        print(summary_text(res, limit=args.limit))
        if args.report:
            Path(args.report).write_text(report_markdown(res), encoding="utf-8")
            print(f"report: {args.report}")
    except BrokenPipeError:  # e.g. `nkteach audit | head`
        raise
    except (NkteachError, OSError, UnicodeError) as e:
        return _fail(str(e))
    return 0 if res.ok else 1


def build_parser() -> argparse.ArgumentParser:
    """The stand-alone ``nkteach audit`` argument parser (the options :func:`register` adds too)."""
    p = argparse.ArgumentParser(prog="nkteach audit", description=HELP.capitalize() + ".")
    _add_arguments(p)
    return p


def main(argv=None) -> int:
    """Run ``nkteach audit`` with ``argv``; return the exit code (2 for bad arguments)."""
    try:
        args = build_parser().parse_args(argv)
    except SystemExit as e:  # argparse: 2 for bad arguments, 0 for --help
        return int(e.code or 0)
    try:
        return run(args)
    except BrokenPipeError:
        return 0
