"""The classroom loop on the command line: ``nkteach progress``, ``nkteach submit``,
``nkteach gradebook`` (registered by :func:`register`). The ``--nbgrader`` export of
``nkteach student-build`` lives with the other editions in :mod:`nkteach.cli.editions`.

Exit codes as for every nkteach command: 0 success, 1 some submissions rejected (gradebook),
2 bad input (the message names the argument, the bad value and what is allowed; no traceback).
"""
from __future__ import annotations

import sys
from pathlib import Path

from ..validation import NkteachError
from .common import arg, command, UsageError

__all__ = ["cmd_gradebook", "cmd_progress", "cmd_submit", "register"]

# Errors of these modules are bad input, shown as "nkteach CMD: error: ..." with exit 2.
_BAD_INPUT = (NkteachError, FileNotFoundError, FileExistsError, NotADirectoryError, ValueError)


def cmd_progress(args) -> int:
    """``nkteach progress [LESSON]``: the checklist of one lesson, or of every lesson with checks."""
    from nkteach.classroom.progress import find_notebook, format_text, lesson_progress, records, store_path
    from nkteach.lessonfile import lesson_key

    try:
        if args.lesson and (args.lesson.endswith(".ipynb") or Path(args.lesson).is_file()):
            blocks = [lesson_progress(notebook=Path(args.lesson))]
        else:
            rows = records()
            if args.lesson:
                keys = [lesson_key(args.lesson)]
                if find_notebook(keys[0]) is None and not any(r.get("lesson") == keys[0] for r in rows):
                    raise UsageError(f"no lesson {args.lesson!r}: no notebook NN-*.ipynb of that lesson in "
                                     f"{Path.cwd()} or ./lessons, and no checks recorded for it")
            else:
                keys = sorted({r["lesson"] for r in rows if r.get("lesson")},
                              key=lambda k: (0, int(k), "") if k.isdigit() else (1, 0, k))
            blocks = [lesson_progress(lesson=k, notebook=find_notebook(k)) for k in keys]
        path = store_path()
    except _BAD_INPUT as e:
        raise UsageError(str(e)) from None
    if not blocks:
        print(f"No checks recorded yet (progress store: {path}).")
        return 0
    print("\n\n".join(format_text(b) for b in blocks))
    print(f"\nprogress store: {path}")
    return 0


def cmd_submit(args) -> int:
    """``nkteach submit NOTEBOOK``: write the hand-in file of a saved lesson notebook."""
    from nkteach.classroom.progress import SAVE_WARNING
    from nkteach.classroom.submission import submit

    try:
        res = submit(Path(args.notebook), args.student, args.out)
    except _BAD_INPUT as e:
        raise UsageError(str(e)) from None
    c = res.content
    s = c["score"]
    words = ", ".join(f"{w['id']} {w['words']} words" for w in c["written"]) or "no written tasks"
    print(f"wrote {res.path}\n  student {c['student']}, lesson {c['lesson']['key']}: "
          f"{s['correct_or_defensible']} of {s['exercises']} exercises right or also defensible; {words}")
    print("  upload this file where your instructor asked (e.g. the course's LMS assignment)")
    if res.unsaved:
        print(f"nkteach submit: warning: {SAVE_WARNING}", file=sys.stderr)
    return 0


def cmd_gradebook(args) -> int:
    """``nkteach gradebook FOLDER``: grades CSV and HTML report from a folder of hand-ins."""
    from nkteach.classroom.gradebook import (item_analysis, lesson_summary, lesson_versions, read_folder,
                                             write_outputs)
    from nkteach.classroom.identity import read_roster
    from nkteach.classroom.lms import write_lms
    from nkteach.lessonfile import lesson_files
    from .common import lessons_dir as _lessons_dir

    out = Path(args.out)
    report = Path(args.report) if args.report else out.with_suffix(".html")
    if out.suffix.lower() != ".csv":
        raise UsageError(f"--out must name a .csv file, got {args.out!r}")
    if report.resolve() == out.resolve():
        raise UsageError(f"--report {report} is the same file as --out")
    lms_out = Path(args.lms_out) if args.lms_out else out.with_name(f"{out.stem}-{args.format}-import.csv")
    if args.format != "csv" and lms_out.resolve() in (out.resolve(), report.resolve()):
        raise UsageError(f"--lms-out {lms_out} is the same file as --out or --report")
    try:
        lessons = None
        if not args.no_lessons:
            if args.lessons:
                paths = lesson_files(args.lessons)
            else:
                try:
                    paths = lesson_files(None, _lessons_dir())
                except UsageError:
                    paths = []
            lessons = lesson_versions(paths) if paths else None
        roster = read_roster(args.roster) if args.roster else (
            read_roster(args.canvas_export) if args.canvas_export else None)
        fo = read_folder(Path(args.folder), lessons, roster=roster)
        write_outputs(fo, out, report)
        lms = write_lms(fo, args.format, lms_out, canvas_export=args.canvas_export, moodle_id=args.moodle_id)
    except _BAD_INPUT as e:
        raise UsageError(str(e)) from None
    students = sorted({h.identity.key for h in fo.accepted})
    print(f"read {fo.files} submission files from {fo.root}: {len(fo.accepted)} accepted "
          f"({len(fo.flagged)} flagged), {len(fo.rejected)} rejected; {len(students)} students")
    if not fo.regraded:
        print("  not re-graded: no course lessons (outcomes as written in the files, which students "
              "can write themselves)")
    for r in fo.rejected:
        print(f"  rejected {r.file}: {r.reason}")
    for h in fo.flagged:
        print(f"  flagged {h.file}: " + "; ".join(h.flags))
    for k in fo.lessons:
        print("  " + lesson_summary(k, fo.titles.get(k, ""), item_analysis(fo, k)))
    print(f"wrote {out} and {report}")
    if lms is not None:
        print(f"wrote {lms_out} ({args.format} import, {lms.filled} grades)")
        for name in lms.unmatched:
            print(f"  not in the {args.format} file (no matching student): {name}")
    return 1 if fo.rejected else 0


def register(sub) -> None:
    """Add progress, submit and gradebook to the ``nkteach`` sub-command parser."""
    command(sub, "progress", cmd_progress, help="show your progress in a lesson (from the progress store)",
            description="Print the checklist of a lesson: each checked exercise as correct, "
                        "also defensible, not yet or not attempted, and the written tasks with their word "
                        "counts (read from the saved notebook). Without LESSON: every lesson with checks.",
            arguments=[
                arg("lesson", nargs="?", help="a lesson number (e.g. 5) or a lesson notebook (.ipynb)"),
            ])
    command(sub, "submit", cmd_submit, help="write your hand-in file for a lesson",
            description="Write one submission file (JSON, see docs/submissions.md) with your "
                        "checked answers from the progress store and the written answers of the SAVED "
                        "notebook. Save the notebook first (Ctrl+S). Given the course lessons, the gradebook "
                        "checks every answer in it again; it takes your name from where the file is handed "
                        "in (your folder or the LMS), not from the file.",
            arguments=[
                arg("notebook", help="the lesson notebook, e.g. 05-international-structure.ipynb"),
                arg("--student", help="your name or user name (default: the JupyterHub user, else "
                    "the computer's user)"),
                arg("--out", help="folder to write into (default: the notebook's folder)"),
            ])
    command(sub, "gradebook", cmd_gradebook, help="grades and item analysis from a folder of submissions",
            description="Read every submission file (*.json) under FOLDER (a folder per student, "
                        "or a Canvas or Moodle 'download all submissions' folder), check every recorded "
                        "answer again against the course lessons and recount the written words; write one "
                        "row per student (grades CSV) and an HTML report: per exercise the share right at "
                        "the first attempt and the most chosen wrong answer; flagged and rejected files with "
                        "the reason. Exits 1 when some files were rejected.",
            arguments=[
                arg("folder", help="folder holding the students' submission files"),
                arg("--out", default="grades.csv", help="grades CSV to write (default: grades.csv)"),
                arg("--report", help="HTML report to write (default: the --out name with .html)"),
                arg("--lessons", nargs="+", metavar="PATH", help="the course's lesson notebooks or "
                    "folders; their versions are the current ones (default: ./lessons when present)"),
                arg("--no-lessons", action="store_true", help="take each lesson's current version "
                    "from the submissions (the one most of them carry)"),
                arg("--roster", metavar="CSV", help="the course's students (columns: Student or Full name, "
                    "and any of ID, SIS User ID, SIS Login ID, Username, Email address); students who "
                    "handed in nothing get a row"),
                arg("--format", choices=("csv", "canvas", "moodle"), default="csv",
                    help="also write an LMS import file: canvas (needs --canvas-export) or moodle"),
                arg("--canvas-export", metavar="CSV", help="the gradebook exported from Canvas; written "
                    "back with one column per lesson (also used as the roster)"),
                arg("--moodle-id", default="Email address",
                    choices=("Email address", "Username", "ID number"),
                    help="the Moodle identifier column, taken from the roster (default: Email address)"),
                arg("--lms-out", metavar="CSV", help="the LMS import file to write (default: "
                    "<out>-canvas-import.csv or <out>-moodle-import.csv)"),
            ])
