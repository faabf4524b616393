"""Student copies of the lessons: no solutions, answer keys or instructor notes.

For each lesson: cells tagged ``solution`` or ``instructor`` are dropped; exercise calls are
sealed with :func:`nkteach.exercises.seal_source` (answers become salted hashes, ``why=`` goes);
every output, execution count and cell metadata, and the notebook's widget state, are
cleared; notebook metadata keeps only the kernel, the language and the lesson's public
description. The ``# NBVAL_CHECK_OUTPUT`` marker is removed too, since its committed output
(often the answer to an exercise) is gone.
"""
from __future__ import annotations

import copy
import json
import shutil
from pathlib import Path

from .lessoncheck import CHECK_OUTPUT_MARKER as _MARKER, SOLUTION_TAGS, _source, _tags, lesson_files

__all__ = ["DROP_TAGS", "student_notebook", "build", "StudentBuildError"]

DROP_TAGS = SOLUTION_TAGS
# Tags that change how nbval runs a cell are kept; everything else in cell metadata goes.
_KEEP_TAGS = frozenset({"nbval-skip", "nbval-ignore-output", "raises-exception",
                        "nbval-raises-exception", "source-criticism"})
_KEEP_NB_META = ("kernelspec", "language_info")
_KEEP_LESSON_META = ("lesson", "title", "time_minutes", "objectives", "datasets", "prerequisites")


class StudentBuildError(ValueError):
    """A lesson cannot be turned into a student copy (e.g. an answer that cannot be sealed)."""


def student_notebook(nb: dict, name: str = "<notebook>") -> dict:
    """Return the student version of notebook JSON ``nb`` (the input is not modified)."""
    from .exercises import seal_source

    out = copy.deepcopy(nb)
    meta = out.get("metadata", {})
    lesson = meta.get("nkteach") or {}
    new_meta = {k: meta[k] for k in _KEEP_NB_META if k in meta}
    if lesson:
        new_meta["nkteach"] = {k: lesson[k] for k in _KEEP_LESSON_META if k in lesson}
        new_meta["nkteach"]["edition"] = "student"
    out["metadata"] = new_meta
    cells = []
    for i, cell in enumerate(out.get("cells", [])):
        tags = _tags(cell)
        if tags & DROP_TAGS:
            continue
        keep = sorted(tags & _KEEP_TAGS)
        cell["metadata"] = {"tags": keep} if keep else {}
        if cell.get("cell_type") == "code":
            src = _source(cell)
            try:
                src = seal_source(src)
            except (ValueError, SyntaxError) as e:
                raise StudentBuildError(f"{name}, cell {i}: cannot seal the exercise: {e}") from None
            lines = [ln for ln in src.split("\n") if ln.strip() != _MARKER]
            cell["source"] = "\n".join(lines)
            cell["outputs"] = []
            cell["execution_count"] = None
        cells.append(cell)
    out["cells"] = cells
    return out


def build(outdir, paths=None, *, lessons_dir: Path | None = None, force: bool = False) -> list[Path]:
    """Write student copies of ``paths`` (lesson files or folders; default: the lessons folder)
    into ``outdir``; other files of the lessons folder (images) are copied as they are.

    Refuses to write into a non-empty ``outdir`` unless ``force`` (then it is replaced)."""
    import nbformat

    outdir = Path(outdir)
    files = lesson_files(paths, lessons_dir)
    if outdir.exists() and any(outdir.iterdir()):
        if not force:
            raise FileExistsError(f"output folder {outdir} is not empty; use --force to replace it")
        if any(outdir.resolve() == f.parent.resolve() for f in files):
            raise StudentBuildError(f"output folder {outdir} holds the lessons themselves")
        shutil.rmtree(outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    written = []
    for src_dir in sorted({f.parent for f in files}):
        for extra in src_dir.iterdir():
            if extra.is_file() and extra.suffix != ".ipynb" and not extra.name.startswith("."):
                shutil.copy2(extra, outdir / extra.name)
    for f in files:
        nb = json.loads(f.read_text(encoding="utf-8"))
        student = nbformat.from_dict(student_notebook(nb, f.name))
        nbformat.validate(student)
        target = outdir / f.name
        nbformat.write(student, target)
        written.append(target)
    return written
