"""Shared test fixtures. Helpers for browser tests live in tests/support/."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from nkteach.lessoncheck import LESSON_GLOB

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
LESSONS = sorted((ROOT / "lessons").glob(LESSON_GLOB))   # empty, not an error, without lessons/
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT


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


@pytest.fixture()
def restore_naming():
    """Put the package-wide naming policy back after a test that changes it."""
    from nkteach import naming

    before = naming.naming_key()
    yield
    naming.set_naming(*before)


@pytest.fixture(scope="session")
def sources() -> Path:
    """../shared/sources (see :func:`require`)."""
    (src,) = shared_files("sources")
    return src


@pytest.fixture(scope="session")
def artifacts() -> Path:
    d = ROOT / "test-artifacts"
    d.mkdir(exist_ok=True)
    return d


def pytest_configure(config):
    """Exercise checks made by tests and by lessons run under nbval go to a throwaway progress
    store, never the developer's own (kernels inherit the variable; tests may override it)."""
    import tempfile

    if not os.environ.get("NKTEACH_DATA_DIR"):
        config._nkteach_data_dir = tempfile.mkdtemp(prefix="nkteach-test-data-")
        os.environ["NKTEACH_DATA_DIR"] = config._nkteach_data_dir


def pytest_unconfigure(config):
    import shutil

    made = getattr(config, "_nkteach_data_dir", None)
    if made:
        shutil.rmtree(made, ignore_errors=True)
        os.environ.pop("NKTEACH_DATA_DIR", None)
