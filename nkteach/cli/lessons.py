"""``nkteach lessons``, ``nkteach check``, ``nkteach new-lesson``: the lessons themselves."""
from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

from ..editions.scaffold import new_lesson
from ..validation import InvalidArgumentError
from .common import PATHS, arg, command, PKG, UsageError, lesson_paths, lessons_dir, whole_number

__all__ = ["SANITIZE", "cmd_lessons", "cmd_check", "cmd_new_lesson", "register"]

SANITIZE = PKG / "templates" / "nbval_sanitize.cfg"


def cmd_lessons(args) -> int:
    """``nkteach lessons [PATH...]``: each lesson's title, time and objectives; the course pages."""
    from ..lessoncheck import lesson_info
    from ..notebooks import course_pages

    for p in lesson_paths(args.paths):
        i = lesson_info(p)
        num = f"{i['number']:02d}" if isinstance(i["number"], int) else "??"
        mins = f"{i['time_minutes']} min" if i["time_minutes"] else "time not given"
        print(f"{num}  {i['title'] or '(no title)'}  [{mins}]  {p.name}")
        for o in i["objectives"] or ["(no objectives listed)"]:
            print(textwrap.fill(o, width=96, initial_indent="    - ", subsequent_indent="      "))
        print()
    folders = [Path(p) for p in args.paths if Path(p).is_dir()] if args.paths else [lessons_dir()]
    pages = [pg for d in folders for pg in course_pages(d)]
    if pages:
        print("Course pages:")
        for path, title in pages:
            print(f"    {title}  {path.name}")
    return 0


def _run_nbval(files: list[Path]) -> int:
    cmd = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-o", "addopts=",
           "-o", "testpaths=", "--nbval-lax", "--nbval-current-env",
           "--nbval-sanitize-with", str(SANITIZE), *map(str, files)]
    print("$ " + " ".join(cmd[2:]), flush=True)
    return subprocess.call(cmd)


def cmd_check(args) -> int:
    """``nkteach check [PATH...] [--no-run]``: house-style checks, then the lessons under nbval."""
    from ..lessonfile.check import check_notebook
    from .. import widgets  # noqa: F401  (importing it registers the explorer names the checker counts)

    files = lesson_paths(args.paths)
    reports = []
    for f in files:
        try:
            reports.append(check_notebook(f))
        except ValueError as e:
            raise UsageError(str(e)) from None
    for r in reports:
        print(r.format())
    bad = [r for r in reports if not r.ok]
    print(f"\nstructure: {len(reports) - len(bad)} of {len(reports)} lessons pass")
    nbval_rc = 0
    if not args.no_run:
        nbval_rc = _run_nbval(files)
        print(f"nbval: {'pass' if nbval_rc == 0 else f'FAILED (pytest exit code {nbval_rc})'}")
    return 1 if bad or nbval_rc else 0


def cmd_new_lesson(args) -> int:
    """``nkteach new-lesson TITLE [--number N] [--dir DIR]``: a lesson from the template."""
    outdir = Path(args.dir) if args.dir else Path.cwd() / "lessons"
    try:
        target = new_lesson(args.title, outdir, number=args.number)
    except InvalidArgumentError as e:
        raise UsageError(str(e).replace("lesson number must", "--number must")) from None
    print(f"wrote {target}\nnext: fill in the TODOs, then run: nkteach check {target}")
    return 0


def register(sub) -> None:
    """Add lessons, check and new-lesson to the ``nkteach`` sub-command parser."""
    command(sub, "lessons", cmd_lessons, help="list the lessons",
            description="List each lesson's "
                        "title, estimated time and learning objectives.",
            arguments=[
                PATHS,
            ])
    command(sub, "check", cmd_check, help="check lessons' structure and run them under nbval",
            description="Check each lesson against the house style (objectives, "
                        "≥ 4 exercises, a text summary with every chart and map, references, "
                        "cleared outputs, code cells ≤ 10 lines) and run it with pytest "
                        "--nbval-lax. Exits 1 if anything fails.",
            arguments=[
                PATHS,
                arg("--no-run", action="store_true", help="structure checks only; do not run nbval"),
            ])
    command(sub, "new-lesson", cmd_new_lesson, help="scaffold a lesson from the template",
            description="Create lessons/NN-slug.ipynb from the house-style template.",
            arguments=[
                arg("title", help="the lesson's title, e.g. 'Energy and alliances'"),
                arg("--number", type=whole_number, help="lesson number 1-99 (default: next free)"),
                arg("--dir", help="folder to write into (default: ./lessons)"),
            ])
