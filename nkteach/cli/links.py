"""``nkteach links``: nbgitpuller and Binder links of the lessons."""
from __future__ import annotations

from ..editions.links import DEFAULT_BRANCH, DEFAULT_REPO, check_branch, check_url, lesson_links
from ..validation import InvalidArgumentError
from .common import UsageError, lesson_paths, whole_number

__all__ = ["cmd_links", "register"]


def cmd_links(args) -> int:
    """``nkteach links --hub URL [--lesson N] [--repo URL] [--branch NAME]``: each lesson's links."""
    try:
        hub = check_url(args.hub, "--hub")
        repo = check_url(args.repo, "--repo")
        branch = check_branch(args.branch, "--branch")
    except InvalidArgumentError as e:
        raise UsageError(str(e)) from None
    files = {int(p.name[:2]): p.name for p in lesson_paths(None)}
    if args.lesson is not None:
        if args.lesson not in files:
            raise UsageError(f"no lesson {args.lesson}; available: "
                             f"{', '.join(str(n) for n in sorted(files))}")
        files = {args.lesson: files[args.lesson]}
    for n, f in sorted(files.items()):
        links = lesson_links(hub, f, repo, branch)
        print(f"Lesson {n:02d}  {f}\n  JupyterHub (nbgitpuller): {links['nbgitpuller']}\n"
              f"  Binder:                   {links['binder']}")
    return 0


def register(sub) -> None:
    """Add links to the ``nkteach`` sub-command parser."""
    s = sub.add_parser("links", help="print nbgitpuller and Binder links",
                       description="Print, for each lesson, an nbgitpuller link that opens it in "
                       "JupyterLab on your JupyterHub, and a mybinder.org link.")
    s.add_argument("--hub", required=True, help="your JupyterHub's URL, e.g. https://hub.example.edu")
    s.add_argument("--lesson", type=whole_number, help="only this lesson number")
    s.add_argument("--repo", default=DEFAULT_REPO, help=f"git repository (default: {DEFAULT_REPO})")
    s.add_argument("--branch", default=DEFAULT_BRANCH, help=f"branch to pull (default: {DEFAULT_BRANCH})")
    s.set_defaults(func=cmd_links)
