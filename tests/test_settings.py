"""nkteach.settings lists every NKTEACH_* environment variable the repository uses."""
from __future__ import annotations

import re

import pytest

from nkteach import settings
from nkteach.validation import NkteachError
from tests.support.paths import ROOT

# Not environment variables: a marker the hub benchmark prints, and the prefix of a loop.
NOT_VARIABLES = {"NKTEACH_BENCH", "NKTEACH_HUB_", "NKTEACH_"}
SEARCHED = ("nkteach", "scripts", "bench", "binder", "tests", "Makefile", "README.md", "docs", "site")


def used_names() -> set[str]:
    found: set[str] = set()
    for top in SEARCHED:
        base = ROOT / top
        files = [base] if base.is_file() else [p for p in base.rglob("*") if p.is_file()
                                                and "node_modules" not in p.parts
                                                and p.suffix in (".py", ".md", ".yml", ".toml", ".sh", "")]
        for f in files:
            if f.name == "test_settings.py":       # this file spells wrong names on purpose
                continue
            try:
                found |= set(re.findall(r"NKTEACH_[A-Z0-9_]*", f.read_text(encoding="utf-8")))
            except (UnicodeDecodeError, OSError):
                continue
    return found - NOT_VARIABLES


def test_every_variable_in_the_repository_is_listed():
    missing = used_names() - set(settings.SETTINGS)
    assert not missing, f"add to nkteach/settings.py SETTINGS: {sorted(missing)}"
    assert {"NKTEACH_DATA_DIR", "NKTEACH_CHROMIUM", "NKTEACH_HUB_URL"} <= used_names()


def test_get_reads_the_environment_then_the_default(monkeypatch):
    monkeypatch.delenv("NKTEACH_CHROMIUM", raising=False)
    assert settings.get("NKTEACH_CHROMIUM") == "/usr/bin/chromium"
    monkeypatch.setenv("NKTEACH_CHROMIUM", "/opt/chromium")
    assert settings.get("NKTEACH_CHROMIUM") == "/opt/chromium"
    with pytest.raises(NkteachError, match=r"Did you mean 'NKTEACH_CHROMIUM'"):
        settings.get("NKTEACH_CHROMIUN")


def test_table_documents_every_setting():
    text = settings.table()
    assert all(f"`{name}`" in text for name in settings.SETTINGS)
    assert all(s.meaning and s.read_by for s in settings.SETTINGS.values())
