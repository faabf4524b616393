"""Course pages beside the lessons (``*.md``) and their MyST front matter, parsed once."""
from __future__ import annotations

from pathlib import Path

__all__ = ["front_matter", "page_title", "course_pages", "for_instructors"]


def front_matter(text: str) -> dict[str, str]:
    """The ``key: value`` lines of a page's front matter (between a first line ``---`` and the
    next ``---``), keys lower case, values without surrounding quotes; {} when there is none.
    Only flat keys are read (what nkteach uses: ``title``, ``audience``)."""
    lines = text.splitlines()
    if not lines or lines[0].strip() != "---":
        return {}
    out: dict[str, str] = {}
    for ln in lines[1:]:
        if ln.strip() == "---":
            return out
        if ":" in ln and not ln[:1].isspace():
            key, value = ln.split(":", 1)
            out[key.strip().lower()] = value.strip().strip("\"'")
    return {}                          # no closing ---: not front matter


def page_title(text: str, default: str) -> str:
    """The front matter's ``title:``, else the first ``#`` heading, else ``default``."""
    title = front_matter(text).get("title")
    if title:
        return title
    return next((ln.lstrip("#").strip() for ln in text.splitlines() if ln.startswith("# ")), default)


def _read(path: Path) -> str:
    return Path(path).read_text(encoding="utf-8", errors="replace")


def course_pages(folder: Path) -> list[tuple[Path, str]]:
    """The course pages beside the lessons (``*.md`` in ``folder``) with their titles, so a new
    page appears in ``nkteach lessons`` and on the site without a list."""
    return [(path, page_title(_read(path), path.stem)) for path in sorted(Path(folder).glob("*.md"))]


def for_instructors(page: Path) -> bool:
    """True for a course page marked ``audience: instructor`` in its front matter (the
    instructor guide): the student build and the student site leave it out."""
    return front_matter(_read(page)).get("audience", "").replace(" ", "").lower() == "instructor"
