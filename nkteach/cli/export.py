"""``nkteach export-html``: a lesson as one HTML file that works offline, its explorers live
(:mod:`nkteach.editions.export`)."""
from __future__ import annotations

from ..validation import NkteachError
from .common import UsageError, arg, command, with_flag

__all__ = ["FLAGS", "cmd_export_html", "register"]

FLAGS = {"force": "--force", "run": "--run"}


def cmd_export_html(args) -> int:
    """``nkteach export-html LESSON.ipynb [-o OUT.html] [--run] [--force] [--frozen]``."""
    from ..editions.export import export_lesson

    if args.timeout is not None and args.timeout < 1:
        raise UsageError(f"--timeout must be a whole number of seconds >= 1, got {args.timeout}")
    try:
        done = export_lesson(args.notebook, args.output, run=args.run, force=args.force,
                             live=not args.frozen, timeout=args.timeout or 600)
    except NkteachError as e:
        raise with_flag(e, FLAGS) from None
    c = done.counts
    live = ", ".join(sorted(set(done.live))) or "none"
    frozen = ", ".join(sorted(set(done.frozen))) or "none"
    print(f"wrote {done.path}")
    print(f"{c['charts']} charts, {c['live']} live explorers ({live}), {c['frozen']} explorers with their "
          f"first view only ({frozen}). The file holds everything it needs (plotly.js, the explorers' "
          "states): open it in a browser from disk, without a kernel or the internet (a map's base "
          "tiles load only when online).")
    return 0


def register(sub) -> None:
    """Add export-html to the ``nkteach`` sub-command parser."""
    command(sub, "export-html", cmd_export_html, help="export a lesson as one offline HTML file",
            description="Export LESSON.ipynb (its saved outputs, or run it first with --run) as one "
                        "HTML file that works opened from disk, with no kernel and no internet: "
                        "charts are drawn, and every explorer that has a live version responds to "
                        "its controls; the others show their first view. The notebook is exported "
                        "as it is: to give students a page without solutions, export a student "
                        "copy (nkteach student-build).",
            arguments=[
                arg("notebook", metavar="LESSON.ipynb", help="the lesson notebook"),
                arg("-o", "--output", metavar="OUT.html",
                    help="the HTML file to write (default: the lesson's name with .html, beside it)"),
                arg("--run", action="store_true",
                    help="run the notebook first in a fresh kernel (its folder as working folder)"),
                arg("--force", action="store_true", help="replace OUT.html if it exists (never "
                    "through a symbolic link)"),
                arg("--frozen", action="store_true",
                    help="keep every explorer's first view (no live explorers)"),
                arg("--timeout", type=int, metavar="SECONDS",
                    help="with --run: the longest a cell may run (default 600)"),
            ])
