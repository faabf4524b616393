"""Student copies of the lessons (``nkteach student-build``): no solutions, answer keys or
instructor notes, and no risk to anyone's work.

Each lesson goes through the ``student`` recipe of :mod:`nkteach.editions.transforms`: cells
tagged ``solution`` or ``instructor`` are dropped; exercise calls are sealed (answers,
explanations and per-option hints become ciphertext that a right answer opens; ``written()``
keeps its rubric for students and loses its model answer, which only the release code opens);
every output, execution count and cell metadata, and the notebook's widget state, are cleared,
except the link of a written task's answer cell; notebook metadata keeps only the kernel, the
language and the lesson's public description; the ``# NBVAL_CHECK_OUTPUT`` marker is removed
(its committed output is gone).

Reveal modes (``reveal=``):

* ``"release"`` (default): the explanations of answers not yet found open only with the lesson's
  release code, which the instructor gives out (``nkteach release-answers N``); the code comes
  from the course secret (:mod:`nkteach.editions.secret`), which never goes into the copies;
* ``"after-tries"``: the key that reveals an answer after three wrong tries is in the file, so
  anyone who reads the file's code can open every answer (for self-study editions);
* ``"never"``: no key at all.

Safety (nothing a user types can destroy work):

* the copies are written into a temporary folder beside the target and moved into place only
  when every notebook succeeded; a failed build leaves nothing behind;
* the build records every file it wrote with its SHA-256 in ``MARKER``; an existing non-empty
  target is replaced only with ``force``, only if a previous student build made it, and only
  if nothing in it was changed or added since (otherwise the build refuses and lists the files);
* whatever the flags, these are refused as a target: the current folder and its parents, the
  home folder, the repository root, any folder holding a ``.git``, any folder that contains (or
  is inside) a folder of source lessons, and a folder inside the course secret's ``.nkteach``;
* besides notebooks only what the one asset rule (:mod:`nkteach.editions.assets`) lets travel
  to students is copied: referenced images and course pages not marked ``audience: instructor``.
"""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from ..lessonfile import lesson_files, read_notebook
from .assets import edition_assets
from .secret import SECRET_DIR, course_secret, has_secret, new_secret, save_secret
from .transforms import DROP_TAGS, Context, EditionError, apply, check_reveal  # noqa: F401  (DROP_TAGS: old studentbuild.DROP_TAGS)

__all__ = ["MADE_BY", "MARKER", "BuildReport", "StudentBuildError", "build",
           "build_changes", "lesson_number", "refuse_reason", "release_code_for", "student_notebook"]

MARKER = ".nkteach-student-build"   # written into every student build folder (JSON manifest)
MADE_BY = "nkteach student-build"


class StudentBuildError(EditionError):
    """A student build that cannot (or must not) be done; the message says why and what to do."""


@dataclass
class BuildReport:
    """What a build wrote (notebooks, assets), what it skipped (path → reason), its reveal mode
    and the manifest it recorded (relative path → SHA-256)."""

    outdir: Path
    notebooks: list[Path] = field(default_factory=list)
    assets: list[Path] = field(default_factory=list)
    skipped: dict[str, str] = field(default_factory=dict)
    reveal: str = "release"
    manifest: dict[str, str] = field(default_factory=dict)

    def __iter__(self):            # old callers iterated over the written notebooks
        return iter(self.notebooks)

    def __len__(self) -> int:
        return len(self.notebooks)


def lesson_number(nb: dict, name: str = "") -> int | None:
    """The lesson number of notebook JSON ``nb`` (metadata, else the file name's NN-)."""
    n = ((nb.get("metadata") or {}).get("nkteach") or {}).get("lesson")
    if isinstance(n, int) and not isinstance(n, bool):
        return n
    stem = Path(name).name
    return int(stem[:2]) if stem[:2].isdigit() and stem[2:3] == "-" else None


def release_code_for(secret: bytes, nb: dict, name: str) -> str:
    """The release code of lesson notebook ``nb`` under course secret ``secret``."""
    from .. import sealing

    number = lesson_number(nb, name)
    if number is None:
        raise StudentBuildError(f"{name}: no lesson number (metadata nkteach.lesson or a file name "
                                "NN-name.ipynb), so it has no release code; number it or build it "
                                "in reveal mode after-tries or never")
    return sealing.release_code(secret, number)


def student_notebook(nb: dict, name: str = "<notebook>", *, reveal=None,
                     release_code: str | None = None, recipe: str = "student") -> dict:
    """Return the student version of notebook JSON ``nb`` (the input is not modified).

    ``reveal``: ``"release"`` (needs ``release_code``), ``"after-tries"`` or ``"never"``
    (``True``/``False`` are aliases of the last two); default: ``"release"`` when a code is
    given, else ``"never"`` (no key in the file). ``recipe``: ``"student"``, or ``"site-student"``
    for the student site (sealed exercise code hidden on the page)."""
    mode = check_reveal(reveal if reveal is not None else ("release" if release_code else "never"))
    ctx = Context(name=name, edition="student", reveal=mode, release_code=release_code)
    try:
        if recipe not in ("student", "site-student"):
            raise StudentBuildError(f"recipe must be student or site-student, got {recipe!r}")
        return apply(recipe, nb, ctx)
    except EditionError as e:
        raise StudentBuildError(str(e)) from None


# ---------------------------------------------------------------- where a build may go

def _repo_root(start: Path) -> Path | None:
    for d in (start, *start.parents):
        if (d / ".git").exists():
            return d
    return None


def refuse_reason(outdir: Path, lesson_dirs=()) -> str | None:
    """Why ``outdir`` must never be a student build target (None when it may be)."""
    out = Path(outdir).resolve()
    cwd = Path.cwd().resolve()
    home = Path.home().resolve()
    if out == cwd or out in cwd.parents:
        return "it is the current folder or one of its parents"
    if out == home or out in home.parents:
        return "it is the home folder or one of its parents"
    if (out / ".git").exists():
        return "it holds a .git folder (a repository)"
    if out.name == SECRET_DIR or any(p.name == SECRET_DIR for p in out.parents):
        return f"it is inside a {SECRET_DIR} folder (where the course secret is kept)"
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


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 16), b""):
            h.update(block)
    return h.hexdigest()


def _manifest(folder: Path) -> dict[str, str]:
    out = {}
    for p in sorted(folder.rglob("*")):
        if p.is_file() and not p.is_symlink() and p.name != MARKER:
            out[p.relative_to(folder).as_posix()] = _sha256(p)
    return out


def build_changes(outdir) -> list[str]:
    """What changed in student build folder ``outdir`` since the build wrote it: ``"changed
    PATH"`` / ``"added PATH"`` lines (a file deleted since is not listed: nothing is lost)."""
    outdir = Path(outdir)
    try:
        record = json.loads((outdir / MARKER).read_text(encoding="utf-8"))
        files = record["files"]
        if not isinstance(files, dict):
            raise TypeError
    except (OSError, ValueError, KeyError, TypeError):
        return [f"unknown: {MARKER} records no file list (an older or edited build), so changes "
                "cannot be told apart from the build"]
    changes = []
    for root, dirs, names in os.walk(outdir, followlinks=False):
        base = Path(root)
        for n in sorted(dirs):
            if (base / n).is_symlink():
                changes.append(f"added {(base / n).relative_to(outdir).as_posix()} (a symbolic link)")
        for n in sorted(names):
            p = base / n
            rel = p.relative_to(outdir).as_posix()
            if rel == MARKER:
                continue
            if rel not in files:
                changes.append(f"added {rel}")
            elif p.is_symlink() or not p.is_file() or _sha256(p) != files[rel]:
                changes.append(f"changed {rel}")
    return changes


def _check_target(outdir: Path, lesson_dirs, force: bool) -> bool:
    """Raise if ``outdir`` may not be written; True when an old build must be replaced."""
    why = refuse_reason(outdir, lesson_dirs)
    if why:
        raise StudentBuildError(f"refusing to write student copies into {outdir}: {why}. "
                                "Choose a new folder, e.g. ./student")
    if outdir.is_symlink():
        raise StudentBuildError(f"refusing to write student copies into {outdir}: it is a symbolic link")
    if outdir.exists() and not outdir.is_dir():
        raise StudentBuildError(f"output path {outdir} is a file, not a folder; choose a folder")
    if not outdir.exists() or not any(outdir.iterdir()):
        return False
    if not (outdir / MARKER).is_file():
        raise StudentBuildError(f"output folder {outdir} is not empty and was not made by "
                                f"{MADE_BY}, so it is left alone; choose a new or empty folder")
    if not force:
        raise StudentBuildError(f"output folder {outdir} holds an earlier student build; replacing "
                                "it needs force", needs="force")
    changes = build_changes(outdir)
    if changes:
        shown = "\n  ".join(changes[:30]) + ("\n  …" if len(changes) > 30 else "")
        raise StudentBuildError(f"output folder {outdir} holds an earlier student build, but "
                                f"{len(changes)} file(s) in it were changed or added since (a student's "
                                f"work?), so it is left alone:\n  {shown}\nSave what you need, then "
                                "move the folder aside or choose a new one")
    return True


# ---------------------------------------------------------------- build

def _read_lessons(files: list[Path]) -> tuple[dict[Path, dict], list[str]]:
    """Each lesson file's notebook and the file names, refusing two lessons with one name."""
    notebooks = {f: read_notebook(f) for f in files}
    names = [f.name for f in files]
    dup = sorted({n for n in names if names.count(n) > 1})
    if dup:
        raise StudentBuildError(f"two lessons share the file name {', '.join(dup)}; build them separately")
    return notebooks, names


def _build_secret(mode: str, course_root, lesson_dirs) -> tuple[bytes | None, Path | None, bool]:
    """(course secret, course root, True when the secret is new and not yet saved); no secret
    unless ``mode`` is "release". A new secret is saved only once the build has succeeded."""
    if mode != "release":
        return None, None, False
    root = Path(course_root) if course_root is not None else lesson_dirs[0].parent
    unsaved = not has_secret(root)
    return (new_secret() if unsaved else course_secret(root)), root, unsaved


def _student_copies(notebooks: dict[Path, dict], secret, mode: str, recipe: str) -> dict:
    """Each lesson's student notebook, validated."""
    import nbformat

    students = {}
    for f, nb in notebooks.items():
        code = release_code_for(secret, nb, f.name) if secret is not None else None
        students[f] = nbformat.from_dict(student_notebook(nb, f.name, reveal=mode,
                                                          release_code=code, recipe=recipe))
        nbformat.validate(students[f])
    return students


def _temp_folder(outdir: Path) -> Path:
    """A new private folder beside ``outdir`` to build in."""
    parent = outdir.resolve().parent
    try:
        parent.mkdir(parents=True, exist_ok=True)
        return Path(tempfile.mkdtemp(prefix=f".{outdir.name}.building-", dir=parent))
    except OSError as e:
        raise StudentBuildError(f"cannot create the output folder {outdir}: {e.strerror} "
                                f"({e.filename or parent})") from None


def _write_copies(tmp: Path, report: BuildReport, students: dict, assets, names: list[str]) -> None:
    """Write the notebooks, the assets and the build record (``MARKER``) into ``tmp``."""
    import nbformat

    outdir = report.outdir
    for f, nb in students.items():
        nbformat.write(nb, tmp / f.name)
        report.notebooks.append(outdir / f.name)
    for src, rel in assets.wanted.items():
        (tmp / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(src, tmp / rel)
        report.assets.append(outdir / rel)
    report.manifest = _manifest(tmp)
    (tmp / MARKER).write_text(json.dumps({"made_by": MADE_BY, "reveal": report.reveal, "lessons": names,
                                          "files": report.manifest}, indent=1) + "\n", encoding="utf-8")
    os.chmod(tmp, 0o755)           # mkdtemp makes it private; a course folder is shared


def _move_into_place(tmp: Path, outdir: Path, replace: bool) -> None:
    """Put the finished build at ``outdir``, replacing an unchanged earlier build when ``replace``."""
    if not replace:
        if outdir.exists():
            outdir.rmdir()         # empty (checked before the build)
        os.replace(tmp, outdir)
        return
    late = build_changes(outdir)          # a save while the build ran
    if late:
        raise StudentBuildError(f"output folder {outdir} changed while the build ran "
                                f"({late[0]}); it is left alone")
    old = Path(tempfile.mkdtemp(prefix=f".{outdir.name}.old-", dir=tmp.parent))
    os.replace(outdir, old / "build")
    os.replace(tmp, outdir)
    shutil.rmtree(old, ignore_errors=True)


def build(outdir, paths=None, *, lessons_dir: Path | None = None, force: bool = False,
          reveal="release", course_root=None, recipe: str = "student") -> BuildReport:
    """Write student copies of ``paths`` (lesson files or folders; default: ``lessons_dir``)
    into ``outdir`` and return a :class:`BuildReport`.

    ``reveal``: ``"release"`` (default; the release codes come from the course secret of
    ``course_root``, default the folder above the lessons' folder, made when missing),
    ``"after-tries"`` or ``"never"``; ``recipe``: see :func:`student_notebook`. See the module
    docstring for what is refused and copied."""
    mode = check_reveal(reveal)
    outdir = Path(outdir)
    files = lesson_files(paths, lessons_dir)
    lesson_dirs = sorted({f.parent.resolve() for f in files})
    replace = _check_target(outdir, lesson_dirs, force)
    notebooks, names = _read_lessons(files)
    secret, root, unsaved = _build_secret(mode, course_root, lesson_dirs)
    students = _student_copies(notebooks, secret, mode, recipe)
    assets = edition_assets(files, notebooks, audience="student")
    tmp = _temp_folder(outdir)
    report = BuildReport(outdir, skipped=assets.skipped, reveal=mode)
    try:
        _write_copies(tmp, report, students, assets, names)
        if unsaved and save_secret(root, secret) != secret:
            raise StudentBuildError(f"a course secret appeared in {root} while the build ran; "
                                    "build again to use it")
        _move_into_place(tmp, outdir, replace)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return report
