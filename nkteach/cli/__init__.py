"""The instructor command line: ``nkteach <command>`` (``python -m nkteach`` works too).

Commands: datasets, info, cite, lessons, check, new-lesson, student-build, links.
Exit codes: 0 success, 1 a check failed, 2 bad input (the message names it and what is allowed).
"""
from __future__ import annotations

import argparse
import importlib
import json
import re
import subprocess
import sys
import textwrap
import uuid
from pathlib import Path
from urllib.parse import quote, urlparse

__all__ = ["main", "build_parser", "lesson_links", "DEFAULT_REPO"]

DEFAULT_REPO = "https://github.com/nkteach/nkteach"
_PKG = Path(__file__).resolve().parent
TEMPLATE = _PKG / "templates" / "lesson.ipynb"
SANITIZE = _PKG / "templates" / "nbval_sanitize.cfg"


# Modules that add subcommands: each exposes register(subparsers), which adds its parsers and
# sets func=callable(args) -> exit code (0 ok, 1 a check failed; raise UsageError for bad input).
COMMAND_MODULES: list[str] = [".cli_class"]   # progress, submit, gradebook


class UsageError(Exception):
    """Bad input from the command line: printed as 'nkteach <cmd>: error: ...', exit 2."""


def _lessons_dir() -> Path:
    """./lessons when run in a checkout, else the lessons next to the (editable) package."""
    for d in (Path.cwd() / "lessons", _PKG.parent / "lessons"):
        if d.is_dir():
            return d
    raise UsageError("no lessons folder found (looked for ./lessons and "
                     f"{_PKG.parent / 'lessons'}); run nkteach from a checkout of the repository "
                     "or pass lesson paths")


def _lesson_paths(paths):
    from .lessoncheck import lesson_files

    try:
        return lesson_files(paths, None if paths else _lessons_dir())
    except (FileNotFoundError, ValueError) as e:
        raise UsageError(str(e)) from None


# ---------------------------------------------------------------- data commands

def cmd_datasets(args) -> int:
    from .data import _resources

    rows = []
    for name, r in _resources().items():
        meta = r.get("nkteach", {})
        kind = "geojson" if r.get("format") == "geojson" else f"{meta.get('rows', '?')} rows"
        rows.append((name, kind, r.get("title", "")))
    w0 = max(len(r[0]) for r in rows) if rows else 4
    w1 = max(len(r[1]) for r in rows) if rows else 4
    print(f"{'name':<{w0}}  {'size':<{w1}}  title")
    for name, kind, title in rows:
        print(f"{name:<{w0}}  {kind:<{w1}}  {title}")
    print(f"\n{len(rows)} datasets. Details: nkteach info NAME; citation: nkteach cite NAME")
    return 0


def _dataset_call(fn, *a, **kw):
    from .data import UnknownDatasetError

    try:
        return fn(*a, **kw)
    except UnknownDatasetError as e:
        raise UsageError(str(e)) from None


def cmd_info(args) -> int:
    from .data import info

    print(_dataset_call(info, args.name)._repr_markdown_())
    return 0


def cmd_cite(args) -> int:
    from .data import cite

    print(_dataset_call(cite, args.name, style="bibtex" if args.bibtex else "text"))
    return 0


# ---------------------------------------------------------------- lessons

def cmd_lessons(args) -> int:
    from .lessoncheck import lesson_info

    for p in _lesson_paths(args.paths):
        i = lesson_info(p)
        num = f"{i['number']:02d}" if isinstance(i["number"], int) else "??"
        mins = f"{i['time_minutes']} min" if i["time_minutes"] else "time not given"
        print(f"{num}  {i['title'] or '(no title)'}  [{mins}]  {p.name}")
        for o in i["objectives"] or ["(no objectives listed)"]:
            print(textwrap.fill(o, width=96, initial_indent="    - ", subsequent_indent="      "))
        print()
    from .notebooks import course_pages

    folders = [Path(p) for p in args.paths if Path(p).is_dir()] if args.paths else [_lessons_dir()]
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
    from .lessoncheck import check_notebook

    files = _lesson_paths(args.paths)
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


def _slug(title: str) -> str:
    import unicodedata

    s = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "-", s).strip("-")[:48].strip("-")


def cmd_new_lesson(args) -> int:
    from .lessoncheck import LESSON_GLOB

    title = args.title.strip()
    slug = _slug(title)
    if not slug:
        raise UsageError(f"title {args.title!r} has no letters or digits to make a file name from")
    outdir = Path(args.dir) if args.dir else Path.cwd() / "lessons"
    existing = sorted(outdir.glob(LESSON_GLOB)) if outdir.is_dir() else []
    taken = {int(p.name[:2]): p for p in existing}
    if args.number is None:
        number = max(taken, default=0) + 1
    else:
        number = args.number
    if not 1 <= number <= 99:
        raise UsageError(f"--number must be between 1 and 99, got {number}")
    if number in taken:
        raise UsageError(f"lesson {number:02d} already exists: {taken[number]}; "
                         f"free numbers include {max(taken) + 1:02d}")
    target = outdir / f"{number:02d}-{slug}.ipynb"
    text = TEMPLATE.read_text(encoding="utf-8")
    nb = json.loads(text)
    fill = {"{{NUMBER}}": str(number), "{{NN}}": f"{number:02d}", "{{TITLE}}": title}

    def sub(s: str) -> str:
        for k, v in fill.items():
            s = s.replace(k, v)
        return s

    for c in nb["cells"]:
        src = c["source"] if isinstance(c["source"], str) else "".join(c["source"])
        c["source"] = sub(src)
        c["id"] = uuid.uuid4().hex[:8]   # fresh ids: lessons made from the template must not share them
        link = c.get("metadata", {}).get("nkteach", {})
        if "written" in link:            # a written task's answer cell names the task's id
            link["written"] = sub(link["written"])
    nb["metadata"]["nkteach"].update(lesson=number, title=title)
    outdir.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps(nb, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {target}\nnext: fill in the TODOs, then run: nkteach check {target}")
    return 0


def cmd_student_build(args) -> int:
    from .studentbuild import build

    if args.nbgrader:   # the nbgrader course layout (nkteach.cli_class)
        from .cli_class import cmd_nbgrader
        return cmd_nbgrader(args)
    report = build(args.outdir, _lesson_paths(args.paths), force=args.force, reveal=not args.no_reveal)
    for w in report.notebooks:
        print(f"wrote {w}")
    for a in report.assets:
        print(f"copied {a}")
    for path, why in report.skipped.items():
        print(f"skipped {path}: {why}")
    reveal = ("students cannot reveal answers" if args.no_reveal
              else "students may reveal an answer after three wrong tries")
    print(f"{len(report.notebooks)} student lessons in {args.outdir} (solutions, instructor notes and "
          f"outputs removed; answers and explanations sealed; {reveal})")
    return 0


# ---------------------------------------------------------------- links

def _check_url(value: str, option: str) -> str:
    u = urlparse(value)
    if u.scheme not in ("http", "https") or not u.netloc:
        raise UsageError(f"{option} must be an http(s) URL such as https://hub.example.edu, "
                         f"got {value!r}")
    return value.rstrip("/")


def lesson_links(hub: str, lesson_file: str, repo: str = DEFAULT_REPO, branch: str = "main") -> dict:
    """nbgitpuller link (opens the lesson in JupyterLab on ``hub``) and Binder link for a lesson."""
    repo = repo.rstrip("/")
    name = repo.rsplit("/", 1)[-1].removesuffix(".git")
    urlpath = f"lab/tree/{name}/lessons/{lesson_file}"
    puller = (f"{hub.rstrip('/')}/hub/user-redirect/git-pull?repo={quote(repo, safe='')}"
              f"&urlpath={quote(urlpath, safe='')}&branch={quote(branch, safe='')}")
    u = urlparse(repo)
    labpath = quote(f"lessons/{lesson_file}", safe="")
    if u.netloc == "github.com":
        spec = f"gh/{u.path.strip('/').removesuffix('.git')}/{quote(branch, safe='')}"
    else:
        spec = f"git/{quote(repo, safe='')}/{quote(branch, safe='')}"
    return {"nbgitpuller": puller, "binder": f"https://mybinder.org/v2/{spec}?labpath={labpath}"}


def cmd_links(args) -> int:
    hub = _check_url(args.hub, "--hub")
    repo = _check_url(args.repo, "--repo")
    if not re.fullmatch(r"[A-Za-z0-9._/-]+", args.branch):
        raise UsageError(f"--branch {args.branch!r} is not a valid branch name "
                         "(letters, digits, '.', '_', '-', '/')")
    files = {int(p.name[:2]): p.name for p in _lesson_paths(None)}
    if args.lesson is not None:
        if args.lesson not in files:
            raise UsageError(f"no lesson {args.lesson}; available: "
                             f"{', '.join(str(n) for n in sorted(files))}")
        files = {args.lesson: files[args.lesson]}
    for n, f in sorted(files.items()):
        links = lesson_links(hub, f, repo, args.branch)
        print(f"Lesson {n:02d}  {f}\n  JupyterHub (nbgitpuller): {links['nbgitpuller']}\n"
              f"  Binder:                   {links['binder']}")
    return 0


# ---------------------------------------------------------------- parser

def _whole_number(s: str) -> int:
    try:
        n = int(s)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {s!r}") from None
    return n


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="nkteach", description="nkteach for instructors: datasets, lessons, "
                "student copies and links.", epilog="Run 'nkteach COMMAND --help' for details.")
    from . import __version__
    p.add_argument("--version", action="version", version=f"nkteach {__version__}")
    sub = p.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True

    s = sub.add_parser("datasets", help="list every dataset", description="List every dataset "
                       "with its size and title.")
    s.set_defaults(func=cmd_datasets)

    s = sub.add_parser("info", help="describe a dataset", description="Describe a dataset: "
                       "source, licence, caveats and codebook (Markdown).")
    s.add_argument("name", help="dataset name (see: nkteach datasets)")
    s.set_defaults(func=cmd_info)

    s = sub.add_parser("cite", help="print a dataset's citation", description="Print the "
                       "citation of a dataset, as text or BibTeX.")
    s.add_argument("name", help="dataset name (see: nkteach datasets)")
    s.add_argument("--bibtex", action="store_true", help="print BibTeX instead of text")
    s.set_defaults(func=cmd_cite)

    s = sub.add_parser("lessons", help="list the lessons", description="List each lesson's "
                       "title, estimated time and learning objectives.")
    s.add_argument("paths", nargs="*", help="lesson files or folders (default: ./lessons)")
    s.set_defaults(func=cmd_lessons)

    s = sub.add_parser("check", help="check lessons' structure and run them under nbval",
                       description="Check each lesson against the house style (objectives, "
                       "≥ 4 exercises, a text summary with every chart and map, references, "
                       "cleared outputs, code cells ≤ 10 lines) and run it with pytest "
                       "--nbval-lax. Exits 1 if anything fails.")
    s.add_argument("paths", nargs="*", help="lesson files or folders (default: ./lessons)")
    s.add_argument("--no-run", action="store_true", help="structure checks only; do not run nbval")
    s.set_defaults(func=cmd_check)

    s = sub.add_parser("new-lesson", help="scaffold a lesson from the template",
                       description="Create lessons/NN-slug.ipynb from the house-style template.")
    s.add_argument("title", help="the lesson's title, e.g. 'Energy and alliances'")
    s.add_argument("--number", type=_whole_number, help="lesson number 1-99 (default: next free)")
    s.add_argument("--dir", help="folder to write into (default: ./lessons)")
    s.set_defaults(func=cmd_new_lesson)

    s = sub.add_parser("student-build", help="write student copies without solutions",
                       description="Copy lessons into OUTDIR without solution/instructor cells, "
                       "with exercise answers sealed, outputs cleared and metadata scrubbed.")
    s.add_argument("outdir", help="output folder (must be empty unless --force)")
    s.add_argument("paths", nargs="*", help="lesson files or folders (default: ./lessons)")
    s.add_argument("--force", action="store_true",
                   help="replace OUTDIR if an earlier student build made it (never any other folder)")
    s.add_argument("--no-reveal", action="store_true",
                   help="students can never reveal an answer (default: after three wrong tries)")
    s.add_argument("--nbgrader", action="store_true", help="write OUTDIR as an nbgrader course "
                   "(source/<lesson>/<lesson>.ipynb with graded cells; needs nkteach[grading])")
    s.set_defaults(func=cmd_student_build)

    s = sub.add_parser("links", help="print nbgitpuller and Binder links",
                       description="Print, for each lesson, an nbgitpuller link that opens it in "
                       "JupyterLab on your JupyterHub, and a mybinder.org link.")
    s.add_argument("--hub", required=True, help="your JupyterHub's URL, e.g. https://hub.example.edu")
    s.add_argument("--lesson", type=_whole_number, help="only this lesson number")
    s.add_argument("--repo", default=DEFAULT_REPO, help=f"git repository (default: {DEFAULT_REPO})")
    s.add_argument("--branch", default="main", help="branch to pull (default: main)")
    s.set_defaults(func=cmd_links)
    for module in COMMAND_MODULES:
        importlib.import_module(module, __package__).register(sub)
    return p


def _describe(e: BaseException) -> str:
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


def main(argv=None) -> int:
    from .validation import NkteachError

    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except BrokenPipeError:   # e.g. `nkteach datasets | head`
        return 0
    except (UsageError, NkteachError, ValueError, KeyError, OSError, UnicodeError) as e:
        # bad input, never a bug report: name the file and the problem, exit 2 (usage)
        print(f"nkteach {args.command}: error: {_describe(e)}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
