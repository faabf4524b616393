#!/usr/bin/env python3
"""Re-run lessons and refresh the committed outputs of their `# NBVAL_CHECK_OUTPUT` cells.

Usage: python scripts/refresh_outputs.py NOTEBOOK...

Run this after a change that alters a checked teaching fact (a recomputed share, a naming
table): each notebook is executed in a fresh kernel (nbclient), then stripped with
scripts/strip_outputs.py's rule, so only the checked cells keep their new outputs. Review the
diff before committing: nbval compares these outputs on every test run.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

import nbformat
from nbclient import NotebookClient

sys.path.insert(0, str(Path(__file__).resolve().parent))
from strip_outputs import MARKER, _source, dumps  # noqa: E402


def refresh(path: Path) -> None:
    """Execute a copy; copy back only the checked cells' outputs (the file is otherwise kept
    byte for byte, so the diff shows just the changed facts)."""
    original = json.loads(path.read_text(encoding="utf-8"))
    nb = nbformat.reads(json.dumps(original), as_version=4)
    NotebookClient(nb, timeout=300, kernel_name="python3",
                   resources={"metadata": {"path": str(path.parent)}}).execute()
    ran = json.loads(nbformat.writes(nb))["cells"]
    for cell, new in zip(original["cells"], ran):
        if cell.get("cell_type") == "code" and MARKER in _source(cell):
            cell["outputs"], cell["execution_count"] = new["outputs"], new["execution_count"]
    path.write_text(dumps(original), encoding="utf-8")


def main(argv: list[str]) -> int:
    if not argv:
        print(__doc__.strip().splitlines()[2], file=sys.stderr)
        return 2
    for name in argv:
        path = Path(name)
        if not path.is_file() or path.suffix != ".ipynb":
            print(f"refresh_outputs: {name}: not a notebook file", file=sys.stderr)
            return 2
        refresh(path)
        print(f"refreshed {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
