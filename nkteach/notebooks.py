"""Reading lesson notebooks: one place for the helpers lessoncheck, studentbuild and the CLI share.

Works on raw nbformat JSON (no kernel, no pandas). :func:`read_notebook` turns every way a file
can be wrong into a :class:`NotebookError` whose message names the file and the problem.
"""
from __future__ import annotations

import json
import re
from pathlib import Path
from collections.abc import Iterator
from urllib.parse import unquote, urlparse

from .validation import InvalidArgumentError

__all__ = ["NotebookError", "read_notebook", "cell_source", "cell_tags", "lesson_files",
           "exercise_calls", "referenced_assets", "LESSON_GLOB", "ASSET_SUFFIXES"]

LESSON_GLOB = "[0-9][0-9]-*.ipynb"   # how lesson files are found in a folder
# Files a student copy may carry besides notebooks: images that a lesson references.
ASSET_SUFFIXES = frozenset({".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp"})


class NotebookError(InvalidArgumentError):
    """A path that is not a readable notebook (missing, a folder, not UTF-8, not JSON …)."""


def read_notebook(path) -> dict:
    """The notebook JSON at ``path``; :class:`NotebookError` naming the file and the problem."""
    p = Path(path)
    if not p.exists():
        raise NotebookError(f"{p}: no such file")
    if p.is_dir():
        raise NotebookError(f"{p}: is a folder, expected a .ipynb file")
    try:
        text = p.read_bytes().decode("utf-8")
    except UnicodeDecodeError as e:
        raise NotebookError(f"{p}: not UTF-8 text (byte {e.start}); a notebook is UTF-8 JSON") from None
    except OSError as e:
        raise NotebookError(f"{p}: cannot be read ({e.strerror})") from None
    try:
        nb = json.loads(text)
    except json.JSONDecodeError as e:
        raise NotebookError(f"{p}: not valid JSON (line {e.lineno}, column {e.colno}: {e.msg})") from None
    if not isinstance(nb, dict) or not isinstance(nb.get("cells"), list) or "nbformat" not in nb:
        raise NotebookError(f"{p}: JSON but not a Jupyter notebook (no 'cells' list / 'nbformat')")
    for i, c in enumerate(nb["cells"]):
        if not isinstance(c, dict) or "cell_type" not in c:
            raise NotebookError(f"{p}: cell {i} is not a notebook cell (no 'cell_type')")
    return nb


def cell_source(cell: dict) -> str:
    """A cell's source as one string (nbformat allows a list of lines)."""
    src = cell.get("source", "")
    return "".join(src) if isinstance(src, list) else src


def cell_tags(cell: dict) -> set[str]:
    return set(cell.get("metadata", {}).get("tags", []) or [])


def lesson_files(paths=None, default_dir: Path | None = None) -> list[Path]:
    """Expand files and folders into lesson notebooks (folders: ``NN-*.ipynb`` inside).

    Raises FileNotFoundError / NotebookError naming the bad path."""
    if not paths:
        if default_dir is None:
            raise NotebookError("no lesson paths given")
        paths = [default_dir]
    out: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            found = sorted(p.glob(LESSON_GLOB))
            if not found:
                raise FileNotFoundError(f"no lesson notebooks (NN-*.ipynb) in folder {p}")
            out += found
        elif p.is_file():
            if p.suffix != ".ipynb":
                raise NotebookError(f"{p} is not a notebook; expected a .ipynb file or a folder of them")
            out.append(p)
        else:
            raise FileNotFoundError(f"no such file or folder: {p}")
    return out


def exercise_calls(nb: dict) -> Iterator[tuple[int, str, object, object]]:
    """(cell index, constructor name, literal ex_id or None, ast.Call) for every exercise call
    in the notebook's code cells; cells that do not parse are skipped."""
    from .sealing import call_ex_id, exercise_calls as calls, func_name

    for i, c in enumerate(nb.get("cells", [])):
        if c.get("cell_type") != "code":
            continue
        try:
            found = list(calls(cell_source(c)))
        except SyntaxError:
            continue
        for call in sorted(found, key=lambda n: (n.lineno, n.col_offset)):
            yield i, func_name(call), call_ex_id(call), call


_MD_IMG = re.compile(r"!\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
_HTML_IMG = re.compile(r"<img\b[^>]*\bsrc\s*=\s*[\"']([^\"']+)[\"']", re.I)


def referenced_assets(nb: dict) -> list[str]:
    """Relative paths of images the notebook's Markdown references (``![](x.png)``, ``<img src>``);
    URLs, absolute paths and ``attachment:`` references are left out."""
    out: list[str] = []
    for c in nb.get("cells", []):
        if c.get("cell_type") != "markdown":
            continue
        text = cell_source(c)
        for ref in _MD_IMG.findall(text) + _HTML_IMG.findall(text):
            u = urlparse(ref)
            if u.scheme or u.netloc or ref.startswith("/"):
                continue
            path = unquote(u.path)
            if path and Path(path).suffix.lower() in ASSET_SUFFIXES and path not in out:
                out.append(path)
    return out


def course_pages(folder: Path) -> list[tuple[Path, str]]:
    """The course pages beside the lessons (``*.md`` in ``folder``) with their titles.

    The title is the MyST front matter's ``title:``, else the first ``#`` heading, else the
    file name — so a new page appears in ``nkteach lessons`` and on the site without a list."""
    out = []
    for path in sorted(Path(folder).glob("*.md")):
        text = path.read_text(encoding="utf-8", errors="replace")
        title = None
        if text.startswith("---"):
            head = text.split("---", 2)[1] if text.count("---") >= 2 else ""
            title = next((ln.split(":", 1)[1].strip().strip("\"'") for ln in head.splitlines()
                          if ln.strip().startswith("title:")), None)
        if not title:
            title = next((ln.lstrip("#").strip() for ln in text.splitlines() if ln.startswith("# ")),
                         path.stem)
        out.append((path, title))
    return out


def for_instructors(page: Path) -> bool:
    """True for a course page marked ``audience: instructor`` in its MyST front matter (the
    instructor guide): the student build and the student site leave it out."""
    text = Path(page).read_text(encoding="utf-8", errors="replace")
    if not text.startswith("---") or text.count("---") < 2:
        return False
    head = text.split("---", 2)[1]
    return any(ln.replace(" ", "").lower() == "audience:instructor" for ln in head.splitlines())

