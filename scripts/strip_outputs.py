#!/usr/bin/env python3
"""Strip notebook outputs before commit, keeping the cells nbval compares.

Usage: python scripts/strip_outputs.py [--check] NOTEBOOK...

For each code cell: outputs and execution count are cleared, UNLESS the cell's source contains
the line `# NBVAL_CHECK_OUTPUT` (a teaching fact whose committed output nbval checks). Cell
metadata keeps only `tags` and `nkteach`; the notebook's saved widget state is dropped. Files are rewritten
only when something changes, in nbformat's own layout (indent 1, sorted keys). Exit status 1
if a file was (or, with --check, would be) changed — the pre-commit convention.
Standard library only, so pre-commit needs no extra packages.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

MARKER = "# NBVAL_CHECK_OUTPUT"
_KEEP_CELL_META = ("tags", "nkteach")


def _source(cell: dict) -> str:
    src = cell.get("source", "")
    return "".join(src) if isinstance(src, list) else src


def strip(nb: dict) -> dict:
    nb.get("metadata", {}).pop("widgets", None)
    for cell in nb.get("cells", []):
        meta = cell.get("metadata", {})
        # Keep tags and nkteach's own cell metadata (a written task's answer cell is linked to
        # its task by {"nkteach": {"written": ex_id}}); drop editor state such as collapsed/scrolled.
        cell["metadata"] = {k: meta[k] for k in _KEEP_CELL_META if meta.get(k)}
        if cell.get("cell_type") == "code" and MARKER not in _source(cell):
            cell["outputs"] = []
            cell["execution_count"] = None
    return nb


def dumps(nb: dict) -> str:
    return json.dumps(nb, sort_keys=True, indent=1, ensure_ascii=False) + "\n"


def main(argv: list[str]) -> int:
    check = "--check" in argv
    paths = [a for a in argv if a != "--check"]
    if not paths:
        print(__doc__.split("\n\n")[1], file=sys.stderr)
        return 2
    changed = 0
    for p in map(Path, paths):
        if p.suffix != ".ipynb" or not p.is_file():
            print(f"strip_outputs: {p} is not a notebook file (.ipynb)", file=sys.stderr)
            return 2
        text = p.read_text(encoding="utf-8")
        try:
            new = dumps(strip(json.loads(text)))
        except json.JSONDecodeError as e:
            print(f"strip_outputs: {p} is not valid JSON: {e}", file=sys.stderr)
            return 2
        if new != text:
            changed += 1
            print(f"{'would strip' if check else 'stripped'} outputs: {p}")
            if not check:
                p.write_text(new, encoding="utf-8")
    return 1 if changed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
