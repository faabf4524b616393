"""The texts the audit reads: lessons, course pages, README and site pages, as one list of documents.

A :class:`Doc` is one file; its :class:`Segment` s are the pieces of prose a reader sees: each
Markdown cell of a lesson, each string literal of a lesson's code cells (exercise questions,
explanations, prompts, model answers), or the whole text of a Markdown page.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass, field
from pathlib import Path

from ..lessonfile.reader import NotebookError, cell_source, read_notebook
from ..lessonfile.style import LESSON_GLOB
from ..validation import InvalidArgumentError

__all__ = [
    "Segment",
    "Doc",
    "Corpus",
    "load_corpus",
    "code_strings",
    "lesson_number",
    "AuditInputError",
    "CODE_MARKER",
    "notebook_segments",
    "read_lesson",
    "read_page",
]


class AuditInputError(InvalidArgumentError):
    """A course folder the audit cannot read (missing lessons folder, a damaged notebook …)."""


@dataclass
class Segment:
    """A piece of text the rules read (a cell, a code-cell string or a page), with where it is."""
    where: str  # "cell 4 (markdown)", "cell 7 (code string)", "line 12"
    text: str
    kind: str  # "markdown", "code", "page"
    cell: int | None = None
    line: int = 1  # first line of the segment in its file (pages)
    #: a code cell's marked exceptions: comment lines "# loaded-term: REASON", "# name-order: REASON"
    markers: dict = field(default_factory=dict)


@dataclass
class Doc:
    """One file of the course (lesson, course page, README or site page) split into segments."""
    path: Path
    kind: str  # "lesson", "course-page", "readme", "site-page"
    segments: list[Segment] = field(default_factory=list)
    nb: dict | None = None
    number: int | None = None  # lessons only

    @property
    def name(self) -> str:
        """The file's name."""
        return self.path.name

    @property
    def label(self) -> str:
        """How reports name the file: ``Lesson N`` for a lesson, else the file name."""
        return f"Lesson {self.number}" if self.number is not None else self.path.name


@dataclass
class Corpus:
    """Every text the audit reads: the lessons, the course pages and the other pages."""
    root: Path
    lessons: list[Doc]
    pages: list[Doc]  # lessons/*.md
    others: list[Doc]  # README.md, site/*.md

    @property
    def docs(self) -> list[Doc]:
        """Every document: lessons, then course pages, then README and site pages."""
        return self.lessons + self.pages + self.others

    def lesson(self, number: int) -> Doc | None:
        """The lesson numbered ``number``, or None."""
        return next((d for d in self.lessons if d.number == number), None)

    def page(self, name: str) -> Doc | None:
        """The course page named ``name`` (e.g. ``syllabus.md``), or None."""
        return next((d for d in self.pages if d.path.name == name), None)


#: a comment line in a code cell marking an exception for the cell's strings
CODE_MARKER = re.compile(r"^\s*#\s*(loaded-term|name-order):\s*(\S.*?)\s*$", re.M)
_LESSON_FILE = re.compile(r"^(\d{2})-")


def lesson_number(path: Path, nb: dict | None = None) -> int | None:
    """The lesson number from the notebook's metadata, else from the file name ``NN-``; None if neither."""
    meta = ((nb or {}).get("metadata") or {}).get("nkteach") or {}
    n = meta.get("lesson")
    if isinstance(n, int) and not isinstance(n, bool):
        return n
    m = _LESSON_FILE.match(Path(path).name)
    return int(m.group(1)) if m else None


def code_strings(src: str) -> list[str]:
    """The string literals of a code cell (IPython magics and shell lines are left out)."""
    lines = [ln if not ln.lstrip().startswith(("%", "!")) else "" for ln in src.splitlines()]
    try:
        tree = ast.parse("\n".join(lines))
    except SyntaxError:
        return []
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value.strip():
            out.append(node.value)
    return out


def notebook_segments(nb: dict) -> list[Segment]:
    """A notebook's texts: each Markdown cell whole, and each string literal of each code cell (with
    the cell's ``# loaded-term:`` / ``# name-order:`` markers)."""
    segs = []
    for i, c in enumerate(nb.get("cells", [])):
        src = cell_source(c)
        if c.get("cell_type") == "markdown":
            segs.append(Segment(f"cell {i} (markdown)", src, "markdown", i))
        elif c.get("cell_type") == "code":
            marks = {m.group(1): m.group(2).strip() for m in CODE_MARKER.finditer(src)}
            segs += [
                Segment(f"cell {i} (code string)", s, "code", i, markers=marks) for s in code_strings(src)
            ]
    return segs


def read_page(path: Path, kind: str) -> Doc:
    """A Markdown page as one segment; a symbolic link or a file that is not UTF-8 is refused."""
    if path.is_symlink():
        raise AuditInputError(f"{path}: is a symbolic link; the audit reads course files only")
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as e:
        raise AuditInputError(f"{path}: not UTF-8 text (byte {e.start})") from None
    return Doc(path, kind, [Segment("", text, "page")])


def read_lesson(path: Path) -> Doc:
    """A lesson notebook as a document of its segments, with its number."""
    nb = read_notebook(path)
    return Doc(path, "lesson", notebook_segments(nb), nb, lesson_number(path, nb))


def load_corpus(root) -> Corpus:
    """Every lesson (``lessons/NN-*.ipynb``), course page (``lessons/*.md``), ``README.md`` and site
    page (``site/*.md``) under the course ``root``; :class:`AuditInputError` naming a bad path."""
    root = Path(root)
    folder = root / "lessons"
    if not folder.is_dir():
        raise AuditInputError(
            f"root={str(root)!r}: no lessons/ folder there; give the course's root "
            "folder (the one holding lessons/, README.md and site/)"
        )
    files = sorted(folder.glob(LESSON_GLOB))
    if not files:
        raise AuditInputError(f"{folder}: no lesson notebooks (NN-*.ipynb)")
    try:
        lessons = [read_lesson(p) for p in files]
    except NotebookError as e:
        raise AuditInputError(str(e)) from None
    pages = [read_page(p, "course-page") for p in sorted(folder.glob("*.md"))]
    others = [read_page(p, "readme") for p in [root / "README.md"] if p.is_file()]
    others += [read_page(p, "site-page") for p in sorted((root / "site").glob("*.md"))]
    return Corpus(root, lessons, pages, others)
