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


@pytest.fixture(scope="session")
def sources() -> Path:
    """../shared/sources: CI always has it; locally a missing folder fails in CI, skips elsewhere."""
    src = SHARED / "sources"
    if not src.is_dir():
        if IN_CI:
            pytest.fail(f"{src} is missing: CI must run with ../shared beside the clone")
        pytest.skip(f"{src} not present (tests reading raw sources need ../shared)")
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
