"""The battle-deaths builder (scripts/builders/ucdp.py) against the raw panel and against bad rows.

Expected values are read from the raw file in ../shared/sources/ucdp with the csv module.
"""
from __future__ import annotations

import csv
import sys

import pandas as pd
import pytest

from tests.conftest import ROOT, SHARED

sys.path.insert(0, str(ROOT / "scripts"))
from builders import ucdp  # noqa: E402

RAW = SHARED / "sources" / "ucdp" / ucdp.BRD


def _raw_rows() -> list[dict]:
    with RAW.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def test_raw_panel_has_one_row_per_country_year_and_one_broken_range():
    keys = [(r["country_name"], r["year"]) for r in _raw_rows()]
    assert len(keys) == len(set(keys)) == 96          # no duplicate Armenia 1991 (or any) row in the raw file
    assert keys.count(("Armenia", "1991")) == 1
    broken = [(r["country_name"], r["year"]) for r in _raw_rows() if int(r["low"]) > int(r["high"])]
    assert broken == [("Armenia", "2022")]


def test_built_panel_keeps_low_best_high_in_order_and_says_what_it_changed():
    res = ucdp.battle_deaths(SHARED / "sources")
    df = res.df
    assert not df.duplicated(["country", "year"]).any() and len(df) == 96
    assert ((df["low"] <= df["best"]) & (df["best"] <= df["high"])).all()
    arm = df[(df["country"] == "Armenia") & (df["year"] == 2022)].iloc[0]
    assert (arm["low"], arm["best"], arm["high"]) == (154, 154, 154)
    assert any("Armenia 2022: published low 154, best 154, high 153" in n for n in res.notes)
    # every other row is exactly as published
    raw = {(r["country_name"], int(r["year"])): (int(r["low"]), int(r["best"]), int(r["high"]))
           for r in _raw_rows()}
    for r in df.itertuples(index=False):
        if (r.country, r.year) != ("Armenia", 2022):
            assert (r.low, r.best, r.high) == raw[(r.country, r.year)]


def test_repair_widens_as_little_as_possible():
    df = pd.DataFrame({"country": ["A", "B", "C"], "year": [1, 1, 1],
                       "low": [5, 9, 2], "best": [5, 7, 3], "high": [4, 10, 3]})
    out, notes = ucdp.repair_ranges(df)
    assert out[["low", "best", "high"]].values.tolist() == [[5, 5, 5], [7, 7, 10], [2, 3, 3]]
    assert len(notes) == 2 and notes[0].startswith("A 1:") and notes[1].startswith("B 1:")


def test_duplicate_country_years_are_dropped_or_refused():
    row = {"country": "Armenia", "year": 1991, "best": 0, "low": 0, "high": 0, "gwcode": 371, "source": "x"}
    same = pd.DataFrame([row, row])
    out, notes = ucdp._one_row_per_country_year(same, "f.csv")
    assert len(out) == 1 and notes == ["Armenia 1991: the raw file repeats this row 2 times; kept once."]
    clash = pd.DataFrame([row, {**row, "best": 3, "high": 3}])
    with pytest.raises(ValueError, match=r"f\.csv: country-year\(s\) Armenia 1991 appear in more than one"):
        ucdp._one_row_per_country_year(clash, "f.csv")
