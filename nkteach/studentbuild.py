"""Student copies of the lessons: no solutions, answer keys or instructor notes — and no risk.

For each lesson: cells tagged ``solution`` or ``instructor`` are dropped; exercise calls are
sealed with :func:`nkteach.sealing.seal_source` (answers, explanations and per-option hints
become ciphertext that only a right answer opens; ``written()`` loses its rubric and model
answer; with ``reveal=False`` the key that lets a student reveal the answer after three tries
is left out); every output, execution count and cell metadata, and the notebook's widget state,
are cleared, except the link of a written task's answer cell; notebook metadata keeps only the
kernel, the language and the lesson's public description. The ``# NBVAL_CHECK_OUTPUT`` marker
is removed too, since its committed output (often the answer to an exercise) is gone.

Safety (nothing a user types can destroy work):

* the copies are written into a temporary folder beside the target and moved into place only
  when every notebook succeeded; a failed build leaves nothing behind;
* an existing non-empty target is replaced only with ``force`` *and* only if a previous
  student build made it (it holds ``MARKER``, a file the build writes);
* whatever the flags, these are refused as a target: the current folder and its parents
  (``.``, ``..``), the home folder, the repository root, any folder holding a ``.git``, and
  any folder that contains (or is) a folder of source lessons;
* besides notebooks only the images the lessons reference (``ASSET_SUFFIXES``, relative paths
  inside the lessons' folder) and the course pages beside them (``*.md``: syllabus, glossary,
  readings — not those marked ``audience: instructor``) are copied; every other file is skipped
  and reported.
"""
from __future__ import annotations

import copy
import json
import os
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from .lessoncheck import CHECK_OUTPUT_MARKER as _MARKER_LINE, SOLUTION_TAGS
from .notebooks import ASSET_SUFFIXES, NotebookError, cell_source, cell_tags, lesson_files
from .notebooks import for_instructors, read_notebook, referenced_assets
from .validation import InvalidArgumentError

__all__ = ["DROP_TAGS", "MARKER", "student_notebook", "build", "BuildReport", "StudentBuildError",
           "refuse_reason", "ASSET_SUFFIXES", "NotebookError"]

DROP_TAGS = SOLUTION_TAGS
MARKER = ".nkteach-student-build"   # written into every student build folder (JSON)
# Tags that change how nbval runs a cell, or link a written answer, are kept; the rest goes.
_KEEP_TAGS = frozenset({"nbval-skip", "nbval-ignore-output", "raises-exception",
                        "nbval-raises-exception", "source-criticism", "written-answer"})
_KEEP_NB_META = ("kernelspec", "language_info")
_KEEP_LESSON_META = ("lesson", "title", "time_minutes", "objectives", "datasets", "prerequisites")


class StudentBuildError(InvalidArgumentError):
    """A student build that cannot (or must not) be done; the message says why and what to do."""


@dataclass
class BuildReport:
    """What a build wrote (notebooks, assets) and what it skipped (path → reason)."""

    outdir: Path
    notebooks: list[Path] = field(default_factory=list)
    assets: list[Path] = field(default_factory=list)
    skipped: dict[str, str] = field(default_factory=dict)

    def __iter__(self):            # old callers iterated over the written notebooks
        return iter(self.notebooks)

    def __len__(self) -> int:
        return len(self.notebooks)


def student_notebook(nb: dict, name: str = "<notebook>", *, reveal: bool = True) -> dict:
    """Return the student version of notebook JSON ``nb`` (the input is not modified)."""
    from .sealing import seal_source

    out = copy.deepcopy(nb)
    meta = out.get("metadata", {})
    lesson = meta.get("nkteach") or {}
    new_meta = {k: meta[k] for k in _KEEP_NB_META if k in meta}
    if lesson:
        new_meta["nkteach"] = {k: lesson[k] for k in _KEEP_LESSON_META if k in lesson}
        new_meta["nkteach"]["edition"] = "student"
        new_meta["nkteach"]["reveal"] = reveal
    out["metadata"] = new_meta
    cells = []
    for i, cell in enumerate(out.get("cells", [])):
        tags = cell_tags(cell)
        if tags & DROP_TAGS:
            continue
        keep = sorted(tags & _KEEP_TAGS)
        link = (cell.get("metadata", {}).get("nkteach") or {}).get("written")
        cell["metadata"] = {"tags": keep} if keep else {}
        if link is not None and "written-answer" in tags:
            cell["metadata"]["nkteach"] = {"written": link}
        if cell.get("cell_type") == "code":
            src = cell_source(cell)
            try:
                src = seal_source(src, reveal=reveal)
            except (ValueError, SyntaxError) as e:
                raise StudentBuildError(f"{name}, cell {i}: cannot seal the exercise: {e}") from None
            lines = [ln for ln in src.split("\n") if ln.strip() != _MARKER_LINE]
            cell["source"] = "\n".join(lines)
            cell["outputs"] = []
            cell["execution_count"] = None
        cells.append(cell)
    out["cells"] = cells
    return out


# ---------------------------------------------------------------- where a build may go

def _repo_root(start: Path) -> Path | None:
    for d in (start, *start.parents):
        if (d / ".git").exists():
            return d
    return None


def refuse_reason(outdir: Path, lesson_dirs=()) -> str | None:
    """Why ``outdir`` must never be a student build target (None when it may be)."""
    out = outdir.resolve()
    cwd = Path.cwd().resolve()
    home = Path.home().resolve()
    if out == cwd or out in cwd.parents:
        return "it is the current folder or one of its parents"
    if out == home or out in home.parents:
        return "it is the home folder or one of its parents"
    if (out / ".git").exists():
        return "it holds a .git folder (a repository)"
    for d in lesson_dirs:
        d = Path(d).resolve()
        if out == d or out in d.parents:
            return f"it contains the source lessons ({d})"
        if d in out.parents:
            return f"it is inside the source lessons folder ({d})"
        root = _repo_root(d)
        if root is not None and out == root:
            return "it is the repository root"
    if out.is_dir() and any(out.glob("*/.git")):
        return "a folder inside it holds a .git folder"
    return None


def _check_target(outdir: Path, lesson_dirs, force: bool) -> bool:
    """Raise if ``outdir`` may not be written; True when an old build must be replaced."""
    why = refuse_reason(outdir, lesson_dirs)
    if why:
        raise StudentBuildError(f"refusing to write student copies into {outdir}: {why}. "
                                "Choose a new folder, e.g. ./student")
    if outdir.exists() and not outdir.is_dir():
        raise StudentBuildError(f"output path {outdir} is a file, not a folder; choose a folder")
    if not outdir.exists() or not any(outdir.iterdir()):
        return False
    if not (outdir / MARKER).is_file():
        raise StudentBuildError(f"output folder {outdir} is not empty and was not made by "
                                "nkteach student-build, so it is left alone; choose a new or empty folder")
    if not force:
        raise StudentBuildError(f"output folder {outdir} holds an earlier student build; "
                                "add --force to replace it")
    return True


# ---------------------------------------------------------------- build

def _assets(files: list[Path], notebooks: dict[Path, dict]) -> tuple[dict[Path, str], dict[str, str]]:
    """(source image → relative target, skipped path → reason) for the lessons' folders."""
    wanted: dict[Path, str] = {}
    skipped: dict[str, str] = {}
    for f in files:
        base = f.parent.resolve()
        for ref in referenced_assets(notebooks[f]):
            src = (base / ref).resolve()
            if base not in src.parents:
                skipped[ref] = f"referenced by {f.name} but outside the lessons folder"
            elif not src.is_file():
                skipped[ref] = f"referenced by {f.name} but missing"
            else:
                wanted[src] = src.relative_to(base).as_posix()
    lesson_set = {f.resolve() for f in files}
    for d in sorted({f.parent.resolve() for f in files}):
        for extra in sorted(d.rglob("*")):
            if extra.is_dir() or extra in lesson_set or extra in wanted:
                continue
            rel = extra.relative_to(d).as_posix()
            if any(part.startswith(".") for part in Path(rel).parts):
                continue       # hidden files and folders (.ipynb_checkpoints, .git …)
            if extra.suffix == ".md" and extra.parent == d:
                if for_instructors(extra):
                    skipped.setdefault(rel, "a course page for instructors (audience: instructor)")
                else:
                    wanted[extra] = rel        # a course page the lessons link to
            elif extra.suffix == ".ipynb":
                skipped.setdefault(rel, "a notebook that is not one of the lessons built")
            elif extra.suffix.lower() in ASSET_SUFFIXES:
                skipped.setdefault(rel, "an image no lesson references")
            else:
                skipped.setdefault(rel, "not a notebook or a referenced image (only those are copied)")
    return wanted, skipped


def build(outdir, paths=None, *, lessons_dir: Path | None = None, force: bool = False,
          reveal: bool = True) -> BuildReport:
    """Write student copies of ``paths`` (lesson files or folders; default: ``lessons_dir``)
    into ``outdir`` and return a :class:`BuildReport`.

    ``reveal=False`` (``--no-reveal``) leaves out the key that lets a student see the answer
    after three wrong tries. See the module docstring for what is refused and copied."""
    import nbformat

    outdir = Path(outdir)
    files = lesson_files(paths, lessons_dir)
    lesson_dirs = sorted({f.parent.resolve() for f in files})
    replace = _check_target(outdir, lesson_dirs, force)
    notebooks = {f: read_notebook(f) for f in files}
    names = [f.name for f in files]
    dup = sorted({n for n in names if names.count(n) > 1})
    if dup:
        raise StudentBuildError(f"two lessons share the file name {', '.join(dup)}; build them separately")
    wanted, skipped = _assets(files, notebooks)
    parent = outdir.resolve().parent
    try:
        parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=f".{outdir.name}.building-", dir=parent))
    except OSError as e:
        raise StudentBuildError(f"cannot create the output folder {outdir}: {e.strerror} "
                                f"({e.filename or parent})") from None
    report = BuildReport(outdir, skipped=skipped)
    try:
        for f in files:
            student = nbformat.from_dict(student_notebook(notebooks[f], f.name, reveal=reveal))
            nbformat.validate(student)
            nbformat.write(student, tmp / f.name)
            report.notebooks.append(outdir / f.name)
        for src, rel in wanted.items():
            (tmp / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, tmp / rel)
            report.assets.append(outdir / rel)
        (tmp / MARKER).write_text(json.dumps({"made_by": "nkteach student-build", "reveal": reveal,
                                              "lessons": names}, indent=1) + "\n", encoding="utf-8")
        os.chmod(tmp, 0o755)           # mkdtemp makes it private; a course folder is shared
        if replace:
            old = Path(tempfile.mkdtemp(prefix=f".{outdir.name}.old-", dir=parent))
            os.replace(outdir, old / "build")
            os.replace(tmp, outdir)
            shutil.rmtree(old, ignore_errors=True)
        else:
            if outdir.exists():
                outdir.rmdir()         # empty (checked above)
            os.replace(tmp, outdir)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return report

