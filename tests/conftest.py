"""Shared test fixtures and hooks only; helpers that test modules import live in tests/support/.

Markers (registered in pyproject.toml): ``browser`` (Chromium), ``slow`` (virtualenvs, whole
notebooks, the hub) and ``nbval`` (lesson notebooks, marked here at collection). ``make
test-fast`` runs everything else."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

# Helpers live in tests/support/ (test modules import them from there); imported here for the
# fixtures below and so that older ``from tests.conftest import ROOT`` lines keep working.
from tests.support.paths import (  # noqa: F401
    IN_CI,
    LESSONS,
    ROOT,
    SHARED,
    need_module,
    require,
    shared_files,
)


@pytest.fixture(scope="session")
def root() -> Path:
    """The repository's root folder."""
    return ROOT


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


@pytest.fixture(scope="session")
def course_sites(tmp_path_factory):
    """The editions of the real course site (``course_sites["student"]``, ``["instructor"]``: a
    Path), each built once per session when first asked for and shared by tests/test_site.py and
    tests/test_a11y.py (read-only)."""
    from tests.support.site import CourseSites

    return CourseSites(tmp_path_factory.mktemp("course-site"))


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


def pytest_collection_modifyitems(config, items):
    """Lesson notebooks collected by nbval get the ``nbval`` marker; ``*_browser.py`` modules
    the ``browser`` marker (so ``-m "not browser"`` never starts Chromium)."""
    for item in items:
        path = str(getattr(item, "path", "") or item.fspath)
        if path.endswith(".ipynb"):
            item.add_marker(pytest.mark.nbval)
        elif path.endswith("_browser.py"):
            item.add_marker(pytest.mark.browser)
