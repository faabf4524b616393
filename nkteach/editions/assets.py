"""The one asset rule: which files beside the lessons travel with an edition.

Every edition (student copies, the nbgrader course, the student site, the instructor site)
asks :func:`edition_assets` which non-notebook files go with the lessons:

* the images the lessons reference (``ASSET_SUFFIXES``; relative paths inside the lessons'
  folder), always;
* the course pages beside the lessons (``*.md`` in the lessons' folder: syllabus, glossary,
  readings), except that a page marked ``audience: instructor`` in its front matter (the
  instructor guide) goes only into the instructor edition;
* nothing else: every other file is skipped, with the reason, so a build can report it.

Hidden files and folders (``.ipynb_checkpoints``, ``.git`` …) are never looked at.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..notebooks import ASSET_SUFFIXES, for_instructors, referenced_assets

__all__ = ["AUDIENCES", "Assets", "edition_assets", "page_travels"]

AUDIENCES = ("student", "instructor")


@dataclass
class Assets:
    """Files that travel (source path → path relative to the lessons' folder) and files skipped
    (relative path → reason)."""

    wanted: dict[Path, str] = field(default_factory=dict)
    skipped: dict[str, str] = field(default_factory=dict)


def _check_audience(audience: str) -> None:
    if audience not in AUDIENCES:
        from ..validation import InvalidArgumentError

        raise InvalidArgumentError(f"audience must be one of {', '.join(AUDIENCES)}, got {audience!r}")


def page_travels(page: Path, audience: str = "student") -> bool:
    """True when course page ``page`` goes into an edition for ``audience``."""
    _check_audience(audience)
    return audience == "instructor" or not for_instructors(page)


def edition_assets(files, notebooks: dict | None = None, *, audience: str = "student") -> Assets:
    """The files that go with lesson ``files`` (paths) in an edition for ``audience``.

    ``notebooks`` maps each file to its notebook JSON (read from disk when not given)."""
    from ..notebooks import read_notebook

    _check_audience(audience)
    files = [Path(f) for f in files]
    notebooks = notebooks or {}
    out = Assets()
    for f in files:
        nb = notebooks.get(f)
        if nb is None:
            nb = read_notebook(f)
        base = f.parent.resolve()
        for ref in referenced_assets(nb):
            src = (base / ref).resolve()
            if base not in src.parents:
                out.skipped[ref] = f"referenced by {f.name} but outside the lessons folder"
            elif not src.is_file():
                out.skipped[ref] = f"referenced by {f.name} but missing"
            else:
                out.wanted[src] = src.relative_to(base).as_posix()
    lesson_set = {f.resolve() for f in files}
    for d in sorted({f.parent.resolve() for f in files}):
        for extra in sorted(d.rglob("*")):
            if extra.is_dir() or extra in lesson_set or extra in out.wanted:
                continue
            rel = extra.relative_to(d).as_posix()
            if any(part.startswith(".") for part in Path(rel).parts):
                continue
            if extra.suffix == ".md" and extra.parent == d:
                if page_travels(extra, audience):
                    out.wanted[extra] = rel        # a course page the lessons link to
                else:
                    out.skipped.setdefault(rel, "a course page for instructors (audience: instructor)")
            elif extra.suffix == ".ipynb":
                out.skipped.setdefault(rel, "a notebook that is not one of the lessons built")
            elif extra.suffix.lower() in ASSET_SUFFIXES:
                out.skipped.setdefault(rel, "an image no lesson references")
            else:
                out.skipped.setdefault(rel, "not a notebook or a referenced image (only those are copied)")
    return out
