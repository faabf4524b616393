"""Where things are and the one rule for a missing prerequisite (shared by test modules).

Test modules import these from here; tests/conftest.py keeps only fixtures and hooks (it
imports these names too, so ``from tests.support.paths import ROOT`` in older branches still works).
"""
from __future__ import annotations

import functools
import importlib.util
import os
from pathlib import Path

import pytest

from nkteach.lessoncheck import LESSON_GLOB

__all__ = ["ROOT", "SHARED", "LESSONS", "IN_CI", "require", "need_module", "shared_files", "script"]

ROOT = Path(__file__).resolve().parent.parent.parent
SHARED = ROOT.parent / "shared"
LESSONS = sorted((ROOT / "lessons").glob(LESSON_GLOB))   # empty, not an error, without lessons/
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


def require(condition: bool, why: str) -> None:
    """The one rule for a missing prerequisite (a tool, ../shared): fail in CI, skip elsewhere.

    CI always has everything (`make test` installs it), so a missing piece there is a bug to
    report, never a silent skip; a developer's laptop may lack Chromium or ../shared."""
    if not condition:
        if IN_CI:
            pytest.fail(f"{why} (required in CI: `make test` installs it, and CI runs with "
                        "../shared beside the clone)")
        pytest.skip(why)


def need_module(name: str, why: str = ""):
    """Import ``name`` for a test module: a missing module fails in CI (an ImportError at
    collection, loud), and skips the module elsewhere — the rule of :func:`require`."""
    if IN_CI:
        import importlib

        return importlib.import_module(name)
    return pytest.importorskip(name, reason=why or None)


def shared_files(*parts: str, glob: str | None = None) -> list[Path]:
    """Files under ../shared (a file, or a folder's files matching ``glob``), via :func:`require`."""
    path = SHARED.joinpath(*parts)
    files = sorted(path.glob(glob)) if glob else ([path] if path.exists() else [])
    require(bool(files), f"{path}{'/' + glob if glob else ''} not present (needs ../shared)")
    return files


@functools.cache
def script(name: str):
    """``scripts/NAME.py`` loaded as a module, once per test session (the site and accessibility
    tests share one ``build_site`` and one ``print_pdf``)."""
    spec = importlib.util.spec_from_file_location(f"nkteach_script_{name}", ROOT / "scripts" / f"{name}.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod
