"""Datasets built from ../shared/sources: known values checked against the RAW files, read here
independently."""

from __future__ import annotations

import csv
import io
import json
import sys
from pathlib import Path

import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parent.parent

sys.path.insert(0, str(ROOT / "scripts"))
import build_data  # noqa: E402

MODULES = [
    "builders.caucasus_barometer",
    "builders.sipri",
    "builders.freedom_house",
    "builders.ucdp",
    "builders.world_bank",
    "builders.democracy",
]
NAMES = [
    "caucasus_barometer",
    "arms_deals",
    "arms_imports",
    "arms_import_totals",
    "military_expenditure",
    "freedom_ratings",
    "freedom_scores",
    "armed_conflict",
    "battle_deaths",
    "economy",
    "democracy_indices",
]


@pytest.fixture(scope="module")
def built(sources, tmp_path_factory):
    out = tmp_path_factory.mktemp("raw_data")
    build_data.build(sources, out, builders=MODULES)
    return out


@pytest.fixture(scope="module")
def ds(built):
    """Load a dataset through nkteach.load from the fresh build (not from data/)."""
    from nkteach import data as nkdata

    mp = pytest.MonkeyPatch()
    mp.setattr(nkdata, "data_dir", lambda: built)
    nkdata.clear_cache()
    yield nkdata.load
    mp.undo()
    nkdata.clear_cache()


TIV_DIR = "sipri_arms_transfers/tiv_imports_by_supplier_1950-2021_generated_2022-04-22"


def _tiv_table(path):
    """A 2022 SIPRI 'TIV of arms exports to X' file → DataFrame indexed by supplier, columns years + Total."""
    rows = list(csv.reader(io.StringIO(path.read_text())))
    header = rows[10]  # 10 banner lines, then ',1950,...,2021,Total'
    body = [r for r in rows[11:] if r and r[0].strip() and not r[0].startswith(("Source", "Generated"))]
    return pd.DataFrame([r[1 : len(header)] for r in body], index=[r[0] for r in body], columns=header[1:])


def _n(s):
    return float(s) if s.strip() else 0.0


def _russia_and_total(sources, recipient, first, last):
    """The raw TIV table for ``recipient``, and the Russia and Total rows summed over first..last."""
    raw = _tiv_table(sources / TIV_DIR / f"TIV_imports_to_{recipient}_1950-2021.csv")
    years = [str(y) for y in range(first, last + 1)]
    return raw, sum(_n(raw.loc["Russia", y]) for y in years), sum(_n(raw.loc["Total", y]) for y in years)


# ------------------------------------------------------------------ generic schema checks
def test_schema_columns_types_and_unique_keys(built):
    pkg = json.loads((built / "datapackage.json").read_text())
    assert [r["name"] for r in pkg["resources"]] == NAMES
    for r in pkg["resources"]:
        df = pd.read_csv(built / r["path"], dtype=str, keep_default_na=False)
        fields = r["schema"]["fields"]
        assert list(df.columns) == [f["name"] for f in fields], r["name"]
        for f in fields:
            col, cons = df[f["name"]], f.get("constraints", {})
            assert f["description"], (r["name"], f["name"])
            if cons.get("required"):
                assert (col != "").all(), f"{r['name']}.{f['name']} has empty required cells"
            vals = col[col != ""]
            if f["type"] == "integer":
                assert vals.str.fullmatch(r"-?\d+").all(), (r["name"], f["name"])
            if f["type"] == "number":
                pd.to_numeric(vals)  # raises on text
            if f["type"] == "boolean":
                assert set(vals) <= {"true", "false"}, (r["name"], f["name"])
            if "enum" in cons:
                assert set(vals) <= {str(e) for e in cons["enum"]}, (r["name"], f["name"])
            if "minimum" in cons and f["type"] in ("integer", "number"):
                assert (pd.to_numeric(vals) >= cons["minimum"]).all(), (r["name"], f["name"])
            if "maximum" in cons and f["type"] in ("integer", "number"):
                assert (pd.to_numeric(vals) <= cons["maximum"]).all(), (r["name"], f["name"])
        pk = r["schema"].get("primaryKey")
        assert pk, f"{r['name']} has no primary key"
        assert not df.duplicated(pk).any(), f"{r['name']}: duplicate keys {pk}"
        order = SORT_KEYS.get(r["name"], pk)
        assert df.equals(df.sort_values(order, key=_sortkey, kind="mergesort")), (
            f"{r['name']} not sorted by {order}"
        )
        meta = r["nkteach"]
        assert meta["citation"] and meta["bibtex"].startswith("@") and meta["caveats"], r["name"]
        assert all(
            s.get("file") and s.get("path", "").startswith("http") and s.get("publisher") and s.get("release")
            for s in r["sources"]
        ), r["name"]
        assert r["licenses"], r["name"]


SORT_KEYS = {"freedom_ratings": ["country", "year"]}  # editions have labels like '1991-92': sort by year


def _sortkey(col):
    num = pd.to_numeric(col, errors="coerce")
    return num if num.notna().all() else col


def test_country_names_are_normalised(built):
    bad = {"Turkiye", "Türkiye", "Russian Federation", "Iran, Islamic Rep."}
    for name, cols in {
        "arms_deals": ["recipient", "supplier"],
        "arms_imports": ["recipient", "supplier"],
        "arms_import_totals": ["recipient"],
        "military_expenditure": ["country"],
        "economy": ["country"],
        "freedom_scores": ["country"],
        "freedom_ratings": ["country"],
    }.items():
        df = pd.read_csv(built / f"{name}.csv", dtype=str, keep_default_na=False)
        for c in cols:
            assert not (set(df[c]) & bad), (name, c, set(df[c]) & bad)


# Rebuild determinism and committed data/ == fresh build: tests/test_build.py (all files, via the CLI).


# ------------------------------------------------------------------ SIPRI arms transfers
def test_azerbaijan_2007_2011_russia_share_matches_raw(sources, ds):
    _, raw_russia, raw_total = _russia_and_total(sources, "Azerbaijan", 2007, 2011)
    assert (raw_russia, raw_total) == (662, 1103)
    df = ds("arms_imports")
    az = df[(df.recipient == "Azerbaijan") & df.year.between(2007, 2011)]
    assert az.loc[az.supplier == "Russia", "tiv"].sum() == raw_russia
    assert round(100 * az.loc[az.supplier == "Russia", "tiv"].sum() / raw_total, 1) == 60.0
    assert "Total" not in set(df.supplier)


def test_armenia_2016_2020_russia_share_matches_raw(sources, ds):
    raw, raw_russia, raw_total = _russia_and_total(sources, "Armenia", 2016, 2020)
    df = ds("arms_imports")
    am = df[(df.recipient == "Armenia") & df.year.between(2016, 2020)]
    assert am.loc[am.supplier == "Russia", "tiv"].sum() == raw_russia == 356
    # Rounding: supplier rows sum to 377 (PROVENANCE's 94.4%), SIPRI's own Total row to 376 (94.7%).
    assert round(100 * raw_russia / raw_total, 1) == 94.7
    assert am.tiv.sum() == 377 and round(100 * raw_russia / am.tiv.sum(), 1) == 94.4
    # Armenia 2020 is blank in the source (no delivery identified): no row, never 0.
    assert raw.loc["Total", "2020"] == ""
    assert df[(df.recipient == "Armenia") & (df.year == 2020)].empty


def test_tiv_zero_kept_only_where_source_says_zero(sources, ds):
    zeros = set()
    for f in (sources / TIV_DIR).glob("TIV_imports_to_*_1950-2021.csv"):
        recipient = f.name.split("_")[3]
        raw = _tiv_table(f).drop(index="Total")
        for sup, row in raw.iterrows():
            for y, v in row.drop("Total").items():
                if v.strip() == "0":
                    zeros.add((recipient, {"Turkiye": "Turkey"}.get(sup, sup), int(y)))
    df = ds("arms_imports")
    got = {(r.recipient, r.supplier, r.year) for r in df[df.tiv == 0].itertuples()}
    assert zeros and got == zeros


def test_import_totals_match_raw_2024_release(sources, ds):
    raw = pd.read_csv(
        sources / "sipri_arms_transfers/import-export-values_1950-2023_recipient_totals_selected.csv",
        dtype=str,
        keep_default_na=False,
    ).set_index("Recipient")
    df = ds("arms_import_totals").set_index(["recipient", "year"])["tiv"]
    for y in ("2021", "2022", "2023"):
        assert df[("Armenia", int(y))] == float(raw.loc["Armenia", y])
    assert raw.loc["Azerbaijan", "2021"] == "" and ("Azerbaijan", 2021) not in df.index
    assert df[("World", 2023)] == float(raw.loc["Total world import", "2023"]) == 29104


def test_arms_deals_match_raw_register(sources, ds):
    raw = pd.read_csv(
        sources / "sipri_arms_transfers/trade_register_ARM_AZE_GEO_TUR_IRN_generated_2025-03-13.csv",
        skiprows=11,
        encoding="latin-1",
        dtype=str,
        keep_default_na=False,
    )
    df = ds("arms_deals")
    assert len(df) == len(raw)
    for country in ("Azerbaijan", "Armenia"):
        raw_sum = pd.to_numeric(raw.loc[raw.Recipient == country, "SIPRI TIV of delivered weapons"]).sum()
        assert df.loc[df.recipient == country, "tiv_delivered"].sum() == pytest.approx(raw_sum)
    assert round(raw_sum, 2) == 1004.12  # Armenia (PROVENANCE)
    assert df["order_year_uncertain"].sum() == (raw.iloc[:, 3] == "?").sum()
    assert df["number_delivered_uncertain"].sum() == (raw.iloc[:, 9] == "?").sum()
    tb2 = df[(df.recipient == "Azerbaijan") & (df.designation == "Bayraktar TB2")]
    assert len(tb2) == 1 and tb2.iloc[0].supplier == "Turkey" and tb2.iloc[0].tiv_delivered == 28.8


# ------------------------------------------------------------------ SIPRI milex
def test_milex_missing_markers_are_missing_with_reason_never_zero(sources, ds):
    raw = pd.read_csv(
        sources / "sipri_milex/milex_1949-2025_v1.2_ARM_AZE_GEO_RUS_IRN_TUR_long.csv",
        dtype=str,
        keep_default_na=False,
    )
    df = ds("military_expenditure")
    key = df.set_index(["country", "year", "measure"])
    arm94 = key.loc[("Armenia", 1994, "constant_2024_usd_m")]
    assert (
        raw[
            (raw.country == "Armenia") & (raw.year == "1994") & (raw.sheet == "Constant (2024) US$")
        ].value.item()
        == "..."
    )
    assert pd.isna(arm94.value) and arm94.missing_reason == "data unavailable"
    arm49 = key.loc[("Armenia", 1949, "current_usd_m")]
    assert pd.isna(arm49.value) and arm49.missing_reason == "country did not exist or was not independent"
    n_markers = raw.value.isin(["...", "xxx"]).sum()
    assert df.value.isna().sum() == n_markers == df.missing_reason.notna().sum()
    assert not (df.value == 0).any()


def test_milex_values_and_units_match_raw(sources, ds):
    raw = pd.read_csv(
        sources / "sipri_milex/milex_1949-2025_v1.2_ARM_AZE_GEO_RUS_IRN_TUR_long.csv",
        dtype=str,
        keep_default_na=False,
    )

    def rv(c, sheet, y):
        return float(raw[(raw.country == c) & (raw.sheet == sheet) & (raw.year == str(y))].value.item())

    key = ds("military_expenditure").set_index(["country", "year", "measure"])["value"]
    assert key[("Azerbaijan", 2020, "constant_2024_usd_m")] == rv("Azerbaijan", "Constant (2024) US$", 2020)
    assert (
        round(key[("Armenia", 2025, "share_of_gdp")], 4)
        == 0.0609
        == round(rv("Armenia", "Share of GDP", 2025), 4)
    )
    assert (
        key[("Armenia", 2020, "local_currency_m")]
        == rv("Armenia", "Local currency calendar years", 2020) / 1e6
    )
    assert key[("Turkey", 2020, "current_usd_m")] == rv("Türkiye", "Current US$", 2020)


def test_milex_estimates_are_sipri_blue_cells(sources, ds):
    raw = pd.read_csv(
        sources / "sipri_milex/milex_1949-2025_v1.2_ARM_AZE_GEO_RUS_IRN_TUR_long.csv",
        dtype=str,
        keep_default_na=False,
    )
    df = ds("military_expenditure")
    blue = raw[(raw.font_color_rgb == "000000FF") & ~raw.value.isin(["...", "xxx"])]
    assert df.estimate.sum() == len(blue)
    az = df[
        (df.country == "Azerbaijan") & df.year.between(1992, 2004) & (df.measure == "constant_2024_usd_m")
    ]
    assert len(az) == 13 and az.estimate.all()
    assert not df[df.country == "Armenia"].estimate.any()


# ------------------------------------------------------------------ Freedom House
def test_freedom_ratings_match_raw(sources, ds):
    raw = pd.read_csv(
        sources / "freedom_house/FIW_ratings_statuses_1973-2024_editions_selected_long.csv",
        dtype=str,
        keep_default_na=False,
    )
    df = ds("freedom_ratings").set_index(["country", "edition"])
    for c, ed in [
        ("Azerbaijan", "1993-94"),
        ("Armenia", "1992-93"),
        ("Armenia", "2019"),
        ("Nagorno-Karabakh", "2024"),
    ]:
        r = raw[(raw.country_or_territory == c) & (raw.survey_edition == ed)].iloc[0]
        got = df.loc[(c, ed)]
        assert (got.political_rights, got.civil_liberties, got.status) == (int(r.PR), int(r.CL), r.Status)
    assert tuple(df.loc[("Azerbaijan", "1993-94"), ["political_rights", "civil_liberties", "status"]]) == (
        6,
        6,
        "NF",
    )
    assert ("Armenia", "1990-91") not in df.index  # '-' = not rated: dropped, not coded
    assert "1 = MOST free" in ds("freedom_ratings").attrs["caveats"][0]


def test_freedom_scores_match_raw(sources, ds):
    lines = (sources / "freedom_house/FIW_2013-2025_editions_raw_selected.csv").read_text().splitlines()[1:]
    raw = list(csv.DictReader(io.StringIO("\n".join(lines))))
    df = ds("freedom_scores").set_index(["country", "edition"])
    assert len(df) == len(raw) == 90
    for d in raw:
        got = df.loc[(d["Country/Territory"], int(d["Edition"]))]
        assert got.total == int(d["Total"]) and got.political_rights_score == int(d["PR"])
        assert got.civil_liberties_score == int(d["CL"]) and got.G4 == int(d["G4"])
    nk = df.loc[("Nagorno-Karabakh", 2024)]
    assert (nk.total, nk.status, bool(nk.territory)) == (-3, "NF", True)
    assert ("Nagorno-Karabakh", 2025) not in df.index
    assert df.loc[("Armenia", 2025)].total == 54 and df.loc[("Azerbaijan", 2025)].total == 7


# ------------------------------------------------------------------ UCDP
def test_armed_conflict_matches_raw(sources, ds):
    raw = pd.read_csv(
        sources / "ucdp/UcdpPrioConflict_v25_1_ARM_AZE_conflicts_376_377_388_396.csv",
        sep=";",
        dtype=str,
        keep_default_na=False,
    )
    df = ds("armed_conflict")
    assert len(df) == len(raw) == 22
    c388 = df[df.conflict_id == 388]
    raw388 = raw[raw.conflict_id == "388"]
    assert set(c388.loc[c388.intensity_level == 2, "year"]) == {
        int(y) for y in raw388[raw388.intensity_level == "2"].year
    }
    assert set(c388.loc[c388.intensity_level == 2, "year"]) == {1992, 1993, 1994, 2020}
    y2020 = c388[c388.year == 2020].iloc[0]
    assert y2020.side_a_2nd == "Government of Turkey" and y2020.start_date2 == "2020-07-16"
    assert c388[c388.year == 2023].iloc[0].ep_end_date == "2023-12-04"


def test_battle_deaths_match_raw_and_keep_quirks(sources, ds):
    raw = pd.read_csv(sources / "ucdp/poldat_ucdpbrds_GED23.1_countryyear_ARM_GEO_AZE_DERIVED.csv")
    df = ds("battle_deaths").set_index(["country", "year"])
    for r in raw.itertuples(index=False):
        high = 154 if (r.country_name, r.year) == ("Armenia", 2022) else r.high  # raw 153 < low
        assert tuple(df.loc[(r.country_name, r.year), ["best", "low", "high"]]) == (r.best, r.low, high)
    assert tuple(df.loc[("Azerbaijan", 2020), ["best", "low", "high"]]) == (7636, 7539, 9067)
    assert any("THIRD-PARTY" in c for c in ds("battle_deaths").attrs["caveats"])


# ------------------------------------------------------------------ World Bank, democracy
def test_economy_matches_raw(sources, ds):
    gdp = pd.read_csv(
        sources / "world_bank/WDI_GDP_current_USD_1996-2023_ARM_AZE_GEO_TUR_IRN_RUS.csv", dtype=str
    )
    pop = pd.read_csv(
        sources / "world_bank/WDI_SP.POP.TOTL_1960-2025_ARM_AZE_GEO_TUR_IRN_RUS.csv",
        skiprows=4,
        dtype=str,
        encoding="utf-8-sig",
    )
    df = ds("economy").set_index(["country", "indicator", "year"])["value"]
    assert df[("Armenia", "NY.GDP.MKTP.CD", 2020)] == float(
        gdp.loc[gdp["Country Code"] == "ARM", "2020 [YR2020]"].item()
    )
    assert (
        df[("Azerbaijan", "SP.POP.TOTL", 1991)]
        == float(pop.loc[pop["Country Code"] == "AZE", "1991"].item())
        == 7271300
    )
    assert ("Turkey", "NY.GDP.MKTP.CD", 2023) in df.index


def test_democracy_indices_match_raw(sources, ds):
    vdem = pd.read_csv(sources / "democracy_indices/vdem_v15_simple_ARM_AZE_GEO_via_democracyData.csv")
    pol = pd.read_csv(sources / "democracy_indices/polity5_ARM_AZE_GEO_via_democracyData.csv")
    df = ds("democracy_indices").set_index(["country", "index", "year"])
    raw = vdem[(vdem.country_text_id == "ARM") & (vdem.year == 2019)].iloc[0]
    assert df.loc[("Armenia", "v2x_polyarchy", 2019), "value"] == raw.v2x_polyarchy == 0.793
    assert df.loc[("Armenia", "v2x_polyarchy", 2019), "low"] == raw.v2x_polyarchy_codelow
    assert (
        df.loc[("Azerbaijan", "polity2", 1998), "value"]
        == pol[(pol.scode == "AZE") & (pol.year == 1998)].polity2.item()
        == -7
    )
    geo92 = df.loc[("Georgia", "democ", 1992)]
    assert pol[(pol.scode == "GRG") & (pol.year == 1992)].democ.item() == -77
    assert pd.isna(geo92.value) and "-77" in geo92.note


# ------------------------------------------------------------------ Caucasus Barometer
def test_cb_weighted_percentages_match_derived_file(sources, ds):
    der = pd.read_csv(sources / "caucasus_barometer/CB2009-2011_weighted_frequencies_DERIVED.csv")
    df = ds("caucasus_barometer")
    j = der.merge(
        df,
        left_on=["year", "country", "variable", "code"],
        right_on=["survey_year", "country", "question_id", "code"],
        how="left",
    )
    assert j.weighted_percent.notna().all(), "rows of the DERIVED file missing from caucasus_barometer"
    assert ((j.pct_weighted - j.weighted_percent).abs() <= 0.05 + 1e-9).all()
    assert (j.n_unweighted == j.n).all() and (j.base_n_unweighted == j.base_n).all()


def test_cb_weighted_percent_recomputed_from_microdata(sources, ds):
    raw = pd.read_csv(sources / "caucasus_barometer/CB2011_regional_selected_variables.csv")
    az = raw[(raw.COUNTRY == 2) & raw.ENEMCNTR.notna() & ~raw.ENEMCNTR.isin([-5, -7])]
    labels = json.loads(
        (sources / "caucasus_barometer/CB2009-2011_variable_and_value_labels.json").read_text()
    )
    code_armenia = int(
        next(k for k, v in labels["2011"]["variables"]["ENEMCNTR"]["value_labels"].items() if v == "Armenia")
    )
    expect = 100 * az.loc[az.ENEMCNTR == code_armenia, "INDWT"].sum() / az.INDWT.sum()
    df = ds("caucasus_barometer")
    row = df[
        (df.survey_year == 2011)
        & (df.country == "Azerbaijan")
        & (df.question_id == "ENEMCNTR")
        & (df.answer == "Armenia")
    ]
    assert row.weighted_percent.item() == round(expect, 2) and round(expect, 1) == 94.1
    assert row.base_n.item() == len(az) == 1481


def test_cb_base_rules_and_coverage(ds):
    df = ds("caucasus_barometer")
    sums = df.groupby(["survey_year", "country", "question_id"]).weighted_percent.sum()
    assert ((sums - 100).abs() < 0.1).all()
    assert not df.code.isin([-5, -7]).any()  # excluded from the base
    assert set(df[df.nonsubstantive].code) <= {-1, -2, -3, -9}
    nk = df[df.question_id.str.startswith("NK")]
    assert set(nk.survey_year) == {2011} and set(nk.country) == {"Armenia", "Azerbaijan"}
    assert set(df[df.question_id.str.startswith("NK5AR")].country) == {"Armenia"}
    for q in ("FRNDCNTR", "ENEMCNTR", "BUSINARM", "BUSINAZE", "MARWARM", "MARWAZE"):
        assert q in set(df[df.survey_year == 2011].question_id), q
    assert not df.answer.str.contains("\x92").any() and "Dont know" not in set(df.answer)


# ------------------------------------------------------------------ the installed data/ folder
@pytest.mark.parametrize("name", NAMES)
def test_loaded_from_package_data(name, built):
    """nkteach.load reads the committed data/ (hash-checked) and gives the same table as a fresh build."""
    import nkteach

    df = nkteach.load(name)
    fresh = pd.read_csv(built / f"{name}.csv", dtype=str, keep_default_na=False)
    assert list(df.columns) == list(fresh.columns) and len(df) == len(fresh)
    assert df.attrs["citation"] and df.attrs["license"] and df.attrs["caveats"]
