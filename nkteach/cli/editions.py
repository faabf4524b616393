"""``nkteach student-build`` (student copies, or the nbgrader course) and
``nkteach release-answers`` (a lesson's release code)."""
from __future__ import annotations

from pathlib import Path

from ..validation import NkteachError
from .common import PATHS, arg, command, UsageError, lesson_paths, lessons_dir, with_flag

__all__ = ["FLAGS", "REVEAL_MESSAGES", "cmd_student_build", "cmd_release_answers", "register"]

FLAGS = {"force": "--force"}
REVEAL_MESSAGES = {
    "release": ("a right answer opens its explanation; every other answer and explanation opens "
                "only with the lesson's release code, which you give out when you choose "
                "(nkteach release-answers N). A student can still find a choice, an order or a "
                "number by trying answers until one is right"),
    "after-tries": ("THE ANSWERS ARE IN THE FILES: each copy holds the key that reveals an answer "
                    "after three wrong tries, so anyone who reads a file's code can open every "
                    "answer now. Use this for self-study, not for graded work"),
    "never": ("no answer can be revealed: only a right answer opens its explanation. A student "
              "can still find a choice, an order or a number by trying answers until one is right"),
}


def _course_root(args, files) -> Path:
    if getattr(args, "course", None):
        return Path(args.course)
    return files[0].parent.resolve().parent if files else lessons_dir().resolve().parent


def _nbgrader(args) -> int:
    from ..editions.nbgrader import export_course

    try:
        written = export_course(args.outdir, lesson_paths(args.paths), force=args.force,
                                graded_classify=args.nbgrader_classify)
    except NkteachError as e:
        raise with_flag(e, FLAGS) from None
    except (FileNotFoundError, FileExistsError, NotADirectoryError, ValueError) as e:
        raise UsageError(str(e)) from None
    for w in written:
        print(f"wrote {w}")
    classify = ("classify groups graded (one point per statement; their answers ship with nkteach)"
                if args.nbgrader_classify else "classify groups are practice without points")
    print(f"nbgrader course in {args.outdir} ({classify}): next, in that folder run "
          "'nbgrader generate_assignment LESSON' for each lesson (see docs/instructor-classroom.md)")
    return 0


def cmd_student_build(args) -> int:
    """``nkteach student-build OUTDIR [PATH...]``: student copies (or, with --nbgrader, an
    nbgrader course) of the lessons."""
    from ..editions.secret import secret_path
    from ..editions.student import build

    if args.no_reveal:
        if args.reveal not in (None, "never"):
            raise UsageError(f"--no-reveal means --reveal never; it cannot go with --reveal {args.reveal}")
        args.reveal = "never"
    reveal = args.reveal or "release"
    if args.nbgrader_classify and not args.nbgrader:
        raise UsageError("--nbgrader-classify only applies with --nbgrader")
    if args.nbgrader:
        return _nbgrader(args)
    files = lesson_paths(args.paths)
    root = _course_root(args, files)
    try:
        report = build(args.outdir, files, force=args.force, reveal=reveal, course_root=root)
    except NkteachError as e:
        raise with_flag(e, FLAGS) from None
    for w in report.notebooks:
        print(f"wrote {w}")
    for a in report.assets:
        print(f"copied {a}")
    for path, why in report.skipped.items():
        print(f"skipped {path}: {why}")
    print(f"{len(report.notebooks)} student lessons in {args.outdir} (solutions, instructor notes and "
          f"outputs removed; answers and explanations sealed; reveal mode {reveal}: "
          f"{REVEAL_MESSAGES[reveal]}).")
    if reveal == "release":
        print(f"The course secret behind the release codes is {secret_path(root)}: it is not in the "
              "copies; keep it, and a backup, with your copy of the course (a new secret makes new "
              "codes that do not open these copies).")
    print(f"A rebuild with --force replaces {args.outdir} only while nothing in it was changed or added.")
    return 0


def cmd_release_answers(args) -> int:
    """``nkteach release-answers LESSON [--course DIR]``: print the lesson's release code."""
    from ..editions.secret import course_secret
    from ..sealing import release_code

    text = str(args.lesson)
    number = None
    if text.isdigit():
        number = int(text)
    elif text.endswith(".ipynb") and Path(text).name[:2].isdigit():
        number = int(Path(text).name[:2])
    if number is None or not 1 <= number <= 99:
        raise UsageError(f"LESSON must be a lesson number 1-99 or a lesson file NN-name.ipynb, got {text!r}")
    root = Path(args.course) if args.course else lessons_dir().resolve().parent
    try:
        code = release_code(course_secret(root), number)
    except NkteachError as e:
        raise UsageError(str(e)) from None
    print(f"Lesson {number} release code: {code}")
    print(f"Students type it into ex.unlock(\"{code}\") in the lesson, or into the progress panel or "
          f"the site's exercise forms, to open every explanation of lesson {number}. Anyone who has "
          "the code can open them: give it out when you release the answers.")
    return 0


def register(sub) -> None:
    """Add student-build and release-answers to the ``nkteach`` sub-command parser."""
    command(sub, "student-build", cmd_student_build, help="write student copies without solutions",
            description="Copy lessons into OUTDIR without solution/instructor cells, "
                        "with exercise answers sealed, outputs cleared and metadata scrubbed. The "
                        "build records every file it writes (SHA-256) so that --force never "
                        "replaces a student's work.",
            arguments=[
                arg("outdir", help="output folder (must be empty unless --force)"),
                PATHS,
                arg("--force", action="store_true",
                    help="replace OUTDIR if an earlier student build made it and nothing in it was "
                    "changed or added since (never any other folder)"),
                arg("--reveal", choices=("release", "after-tries", "never"), default=None,
                    help="release (default): answers open with the lesson's release code "
                    "(nkteach release-answers); after-tries: the key that reveals an answer after "
                    "three wrong tries is in the file (self-study: the answers are in the file); "
                    "never: no answer can be revealed"),
                arg("--no-reveal", action="store_true", help="the same as --reveal never"),
                arg("--course", metavar="DIR", help="the course folder whose .nkteach/course-secret "
                    "makes the release codes (default: the folder above the lessons' folder)"),
                arg("--nbgrader", action="store_true", help="write OUTDIR as an nbgrader course "
                    "(source/<lesson>/<lesson>.ipynb with graded cells; needs nkteach[grading])"),
                arg("--nbgrader-classify", action="store_true", help="with --nbgrader: give classify "
                    "groups points (default: practice without points, since their answers ship "
                    "with nkteach)"),
            ])
    command(sub, "release-answers", cmd_release_answers, help="print a lesson's release code",
            description="Print the release code of LESSON: typed into ex.unlock(...), "
                        "the progress panel or the site's exercise forms, it opens every explanation "
                        "of that lesson in student copies built in reveal mode release. The code comes "
                        "from the course secret (.nkteach/course-secret, or $NKTEACH_COURSE_SECRET).",
            arguments=[
                arg("lesson", help="lesson number (e.g. 3) or lesson file (03-name.ipynb)"),
                arg("--course", metavar="DIR", help="the course folder holding .nkteach/course-secret "
                    "(default: the folder above the lessons' folder)"),
            ])
