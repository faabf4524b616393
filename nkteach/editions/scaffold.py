"""New lessons from the house-style template (``nkteach new-lesson``)."""
from __future__ import annotations

import json
import re
import unicodedata
import uuid
from pathlib import Path

from ..lessoncheck import LESSON_GLOB
from ..validation import InvalidArgumentError

__all__ = ["TEMPLATE", "slug", "next_number", "new_lesson"]

TEMPLATE = Path(__file__).resolve().parent.parent / "templates" / "lesson.ipynb"


def slug(title: str) -> str:
    """A file-name form of ``title``: ASCII letters and digits joined by '-', at most 48 long."""
    s = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "-", s).strip("-")[:48].strip("-")


def _taken(folder: Path) -> dict[int, Path]:
    existing = sorted(folder.glob(LESSON_GLOB)) if folder.is_dir() else []
    return {int(p.name[:2]): p for p in existing}


def next_number(folder) -> int:
    """The number after the highest lesson number in ``folder`` (1 for an empty folder)."""
    return max(_taken(Path(folder)), default=0) + 1


def new_lesson(title: str, folder, *, number: int | None = None) -> Path:
    """Write ``folder/NN-slug.ipynb`` from the template (lesson ``number``, default the next
    free one) with fresh cell ids; return its path. Never replaces an existing lesson."""
    if not isinstance(title, str):
        raise InvalidArgumentError(f"title must be text, got {title!r}")
    title = title.strip()
    name = slug(title)
    if not name:
        raise InvalidArgumentError(f"title {title!r} has no letters or digits to make a file name from")
    folder = Path(folder)
    taken = _taken(folder)
    number = max(taken, default=0) + 1 if number is None else number
    if isinstance(number, bool) or not isinstance(number, int) or not 1 <= number <= 99:
        raise InvalidArgumentError(f"lesson number must be between 1 and 99, got {number}")
    if number in taken:
        raise InvalidArgumentError(f"lesson {number:02d} already exists: {taken[number]}; "
                                   f"free numbers include {max(taken) + 1:02d}")
    target = folder / f"{number:02d}-{name}.ipynb"
    nb = json.loads(TEMPLATE.read_text(encoding="utf-8"))
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
    folder.mkdir(parents=True, exist_ok=True)
    with open(target, "x", encoding="utf-8") as f:      # never replace a file made meanwhile
        f.write(json.dumps(nb, indent=1, ensure_ascii=False) + "\n")
    return target
