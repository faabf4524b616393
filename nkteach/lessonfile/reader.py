"""The one notebook reader, and the small helpers every lesson-file module shares.

Works on raw nbformat JSON (no kernel, no pandas). :func:`read_notebook` turns every way a file
can be wrong into a :class:`NotebookError` whose message names the file and the problem.
"""
from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import unquote, urlparse

from ..validation import InvalidArgumentError
from .style import ASSET_SUFFIXES, LESSON_GLOB

__all__ = ["NotebookError", "NotebookMissingError", "NotALessonError", "read_notebook", "cell_source",
           "cell_tags", "lesson_files", "referenced_assets"]


class NotebookError(InvalidArgumentError):
    """A path that is not a readable notebook (missing, a folder, not UTF-8, not JSON …)."""


class NotebookMissingError(NotebookError, FileNotFoundError):
    """No file at the path (also a FileNotFoundError, so either ``except`` catches it)."""


# One error for "not an nkteach lesson notebook": the name the classroom modules catch.
NotALessonError = NotebookError


def read_notebook(path) -> dict:
    """The notebook JSON at ``path``; :class:`NotebookError` naming the file and the problem
    (:class:`NotebookMissingError` when there is no such file)."""
    p = Path(path)
    if not p.exists():
        raise NotebookMissingError(f"no such notebook: {p} (no such file)")
    bad = f"{p} is not a valid notebook:"
    if p.is_dir():
        raise NotebookError(f"{bad} it is a folder, expected a .ipynb file")
    if p.suffix != ".ipynb":
        raise NotebookError(f"{p} is not a notebook (expected a .ipynb file)")
    try:
        text = p.read_bytes().decode("utf-8")
    except UnicodeDecodeError as e:
        raise NotebookError(f"{bad} not UTF-8 text (byte {e.start}); a notebook is UTF-8 JSON") from None
    except OSError as e:
        raise NotebookError(f"{bad} it cannot be read ({e.strerror})") from None
    try:
        nb = json.loads(text)
    except json.JSONDecodeError as e:
        raise NotebookError(f"{bad} not valid JSON (line {e.lineno}, column {e.colno}: {e.msg})") from None
    except RecursionError:
        raise NotebookError(f"{bad} JSON nested too deeply") from None
    if not isinstance(nb, dict) or not isinstance(nb.get("cells"), list) or "nbformat" not in nb:
        raise NotebookError(f"{bad} JSON but not a Jupyter notebook (no 'cells' list / 'nbformat')")
    for i, c in enumerate(nb["cells"]):
        if not isinstance(c, dict) or "cell_type" not in c:
            raise NotebookError(f"{bad} cell {i} is not a notebook cell (no 'cell_type')")
    return nb


def cell_source(cell: dict) -> str:
    """A cell's source as one string (nbformat allows a list of lines)."""
    src = cell.get("source", "")
    return "".join(src) if isinstance(src, list) else src


def cell_tags(cell: dict) -> set[str]:
    """The cell's tags (metadata.tags) as a set."""
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
