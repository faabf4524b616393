"""The benchmarks ask the explorer registry only for names it has (bench/hub_load.py once asked
for "poll", which is not a key of ``widgets.explorers()``)."""
from __future__ import annotations

import re

from nkteach.widgets import _registry
from tests.support.paths import ROOT


def test_benchmarks_name_only_registered_explorers():
    names = set(_registry.names())
    for path in (ROOT / "bench").glob("*.py"):
        text = path.read_text(encoding="utf-8")
        for key in re.findall(r"explorers\(\)\[\s*[\"']([^\"']+)[\"']\s*\]", text):
            assert key in names, f"{path.name}: explorers()[{key!r}] is not a registered explorer"
    assert 'explorers()["facebook_poll_explorer"]' in (ROOT / "bench" / "hub_load.py").read_text()
