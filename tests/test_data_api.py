"""The loader API contract: datasets(), load(), info(), cite(), errors, integrity, lightness."""
from __future__ import annotations

import json
import shutil
import subprocess
import sys

import pandas as pd
import pytest

import nkteach
from nkteach import data as nkdata
from tests.support.paths import ROOT

REQUIRED_COLUMNS = {
    "facebook_poll_2011": ["option", "label", "responses", "percent_printed"],
    "caucasus_barometer": ["survey_year", "country", "question_id", "question", "answer",
                           "weighted_percent", "n"],
    "arms_deals": ["recipient", "supplier", "order_year", "number_ordered", "designation",
                   "description", "number_delivered", "delivery_years", "status", "comments",
                   "tiv_per_unit", "tiv_total_order", "tiv_delivered"],
    "arms_imports": ["recipient", "supplier", "year", "tiv"],
    "arms_import_totals": ["recipient", "year", "tiv"],
    "military_expenditure": ["country", "year", "measure", "value", "estimate"],
    "freedom_ratings": ["country", "edition", "year_under_review", "political_rights",
                        "civil_liberties", "status"],
    "freedom_scores": ["country", "edition", "status", "total", "political_rights_score",
                       "civil_liberties_score"],
    "nations_in_transit": ["country", "edition", "category", "score", "citation"],
    "seed_facts": ["fact_id", "value", "unit", "year", "actor", "measures", "cited_source",
                   "seed", "section", "flag"],
    "timeline": ["date_start", "date_end", "precision", "event", "levels", "citation", "flag"],
    "places": ["place_id", "name_en", "name_hy", "name_az", "kind", "lat", "lon",
               "geonames_id", "source"],
    "armed_conflict": [],
    "battle_deaths": [],
    "economy": ["country", "year", "indicator", "value"],
    "democracy_indices": ["country", "year", "index", "value"],
    "linkages": ["edge_id", "source", "target", "source_level", "target_level", "mechanism",
                 "basis", "citation"],
    "statements": ["item_id", "statement", "level", "also_defensible", "justification", "citation"],
}
GEO = ["regions", "pipelines"]


def test_catalogue_lists_every_required_dataset():
    cat = nkteach.datasets()
    assert list(cat.columns[:5]) == ["name", "title", "kind", "rows", "source"]
    assert "license" in cat.columns
    missing = set(REQUIRED_COLUMNS) | set(GEO)
    missing -= set(cat["name"])
    assert not missing, f"datasets missing from the package: {sorted(missing)}"
    assert (cat["title"].str.len() > 0).all() and (cat["license"].str.len() > 0).all()


@pytest.mark.parametrize("name", sorted(REQUIRED_COLUMNS))
def test_tables_load_with_columns_and_metadata(name):
    df = nkteach.load(name)
    assert isinstance(df, pd.DataFrame) and len(df) > 0
    assert set(REQUIRED_COLUMNS[name]) <= set(df.columns), set(REQUIRED_COLUMNS[name]) - set(df.columns)
    for key in ("name", "source", "citation", "caveats"):
        assert key in df.attrs, key
    assert df.attrs["name"] == name and df.attrs["citation"] and df.attrs["source"]
    assert len(df) == nkteach.datasets().set_index("name").loc[name, "rows"]


@pytest.mark.parametrize("name", GEO)
def test_geo_datasets_are_geojson(name):
    gj = nkteach.load(name)
    assert gj["type"] == "FeatureCollection" and len(gj["features"]) > 0
    for f in gj["features"]:
        assert f["geometry"]["type"] in ("Polygon", "MultiPolygon", "LineString", "MultiLineString")


def test_load_returns_independent_copies():
    a = nkteach.load("facebook_poll_2011")
    a.loc[:, "responses"] = 0
    a.attrs["caveats"].append("edited")
    b = nkteach.load("facebook_poll_2011")
    assert b["responses"].sum() == 1372
    assert "edited" not in b.attrs["caveats"]


def test_as_frame_false_gives_plain_records():
    rows = nkteach.load("facebook_poll_2011", as_frame=False)
    assert isinstance(rows, list) and isinstance(rows[0], dict)
    assert sum(r["responses"] for r in rows) == 1372


def test_schema_types_become_pandas_dtypes():
    df = nkteach.load("military_expenditure")
    assert str(df["year"].dtype) == "Int64"
    assert str(df["estimate"].dtype) == "boolean"
    assert df["value"].dtype == "float64"


def test_info_renders_codebook_of_every_column():
    for name in REQUIRED_COLUMNS:
        inf = nkteach.info(name)
        md = inf._repr_markdown_()
        df = nkteach.load(name)
        for col in df.columns:
            assert f"`{col}`" in md, (name, col)
        for part in (inf.title, inf.license, inf.citation):
            assert part and part in md
        assert inf.publisher and inf.release


def test_info_of_geo_dataset_has_property_codebook():
    inf = nkteach.info("regions")
    assert inf.codebook and inf.rows is None
    assert "GeoJSON" in inf._repr_markdown_()


def test_cite_text_and_bibtex():
    text = nkteach.cite("arms_imports")
    assert "SIPRI" in text
    bib = nkteach.cite("arms_imports", style="bibtex")
    assert bib.lstrip().startswith("@") and "SIPRI" in bib


def test_cite_bad_style_lists_allowed():
    with pytest.raises(ValueError, match="bibtex"):
        nkteach.cite("arms_imports", style="apa")


def test_unknown_dataset_names_closest_match_and_known_names():
    with pytest.raises(KeyError) as err:
        nkteach.load("arms_import")
    msg = str(err.value)
    assert "'arms_imports'" in msg and "Did you mean" in msg
    assert "facebook_poll_2011" in msg and "statements" in msg
    with pytest.raises(ValueError):
        nkteach.info("no_such_thing")
    with pytest.raises(nkteach.UnknownDatasetError, match="must be a string"):
        nkteach.load(3)


def test_references_are_generated_from_citations():
    refs = nkteach.references(["arms_imports"], seeds=["002"])
    md = refs._repr_markdown_()
    assert nkteach.cite("arms_imports") in md and "[seed 002]" in md
    with pytest.raises(ValueError, match="000"):
        nkteach.references(seeds=["009"])


@pytest.fixture()
def corrupted_data(tmp_path, monkeypatch):
    src = nkdata.data_dir()
    dst = tmp_path / "data"
    shutil.copytree(src, dst, ignore=shutil.ignore_patterns("curated"))
    target = dst / "facebook_poll_2011.csv"
    target.write_bytes(target.read_bytes().replace(b"631", b"632"))
    monkeypatch.setattr(nkdata, "data_dir", lambda: dst)
    nkdata.clear_cache()
    yield target
    nkdata.clear_cache()


def test_hash_mismatch_names_file_and_both_hashes(corrupted_data):
    pkg = json.loads((corrupted_data.parent / "datapackage.json").read_text())
    expected = next(r for r in pkg["resources"] if r["name"] == "facebook_poll_2011")["hash"].split(":")[1]
    with pytest.raises(nkteach.DataIntegrityError) as err:
        nkteach.load("facebook_poll_2011")
    msg = str(err.value)
    assert str(corrupted_data) in msg and expected in msg
    import hashlib
    assert hashlib.sha256(corrupted_data.read_bytes()).hexdigest() in msg


def test_import_is_light():
    code = ("import sys, nkteach; heavy = [m for m in ('pandas', 'plotly', 'folium', 'ipywidgets', "
            "'numpy') if m in sys.modules]; print(','.join(heavy))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "", f"import nkteach pulled in: {out.stdout.strip()}"


def test_no_network_modules_used_by_the_package():
    import pathlib
    src = pathlib.Path(nkteach.__file__).parent
    for py in src.rglob("*.py"):
        text = py.read_text()
        for bad in ("import requests", "urllib.request", "http.client", "import socket"):
            assert bad not in text, f"{py.name} uses {bad}"


def test_clear_cache_clears_every_cache_naming_and_exercises_included():
    from nkteach import exercises, naming

    naming.place_name("shusha")
    exercises._statements()
    assert naming._places.cache_info().currsize == 1 and exercises._statements.cache_info().currsize == 1
    nkdata.clear_cache()
    assert naming._places.cache_info().currsize == 0
    assert exercises._statements.cache_info().currsize == 0
    assert nkdata._load_cached.cache_info().currsize == 0


def test_damaged_datapackage_and_geojson_raise_data_integrity_errors(tmp_path, monkeypatch):
    import hashlib

    src = nkdata.data_dir()
    d = tmp_path / "data"
    shutil.copytree(src, d)
    monkeypatch.setattr(nkdata, "data_dir", lambda: d)
    nkdata.clear_cache()
    try:
        (d / "datapackage.json").write_text("{ not json", encoding="utf-8")
        with pytest.raises(nkteach.DataIntegrityError, match="datapackage.json"):
            nkteach.load("places")
        nkdata.clear_cache()
        (d / "datapackage.json").write_text(json.dumps({"resources": [{"name": "x"}]}), encoding="utf-8")
        with pytest.raises(nkteach.DataIntegrityError, match="resources"):
            nkteach.load("places")
        # a GeoJSON file whose hash was updated but whose content is not a FeatureCollection
        shutil.copy(src / "datapackage.json", d / "datapackage.json")
        pkg = json.loads((d / "datapackage.json").read_text(encoding="utf-8"))
        res = next(r for r in pkg["resources"] if r["name"] == "regions")
        bad = b'{"type": "Feature"}'
        (d / res["path"]).write_bytes(bad)
        res["hash"] = "sha256:" + hashlib.sha256(bad).hexdigest()
        (d / "datapackage.json").write_text(json.dumps(pkg), encoding="utf-8")
        nkdata.clear_cache()
        with pytest.raises(nkteach.DataIntegrityError, match="FeatureCollection"):
            nkteach.load("regions")
        # a table whose columns no longer match its Table Schema
        res = next(r for r in pkg["resources"] if r["name"] == "facebook_poll_2011")
        text = (d / res["path"]).read_text(encoding="utf-8").replace("option", "opt", 1).encode()
        (d / res["path"]).write_bytes(text)
        res["hash"] = "sha256:" + hashlib.sha256(text).hexdigest()
        (d / "datapackage.json").write_text(json.dumps(pkg), encoding="utf-8")
        nkdata.clear_cache()
        with pytest.raises(nkteach.DataIntegrityError, match="schema"):
            nkteach.load("facebook_poll_2011")
    finally:
        monkeypatch.undo()
        nkdata.clear_cache()


def test_no_shipped_csv_cell_starts_a_spreadsheet_formula():
    """Every text cell of every data/*.csv is safe to open in a spreadsheet (OWASP CSV injection):
    none starts with = + - @ tab or CR (numbers such as -3 are numbers, not formulas)."""
    import csv

    from nkteach.classroom.csvsafe import FORMULA_STARTS

    bad = []
    for path in sorted(nkdata.data_dir().glob("**/*.csv")):
        with path.open(encoding="utf-8", newline="") as fh:
            for i, row in enumerate(csv.reader(fh)):
                for cell in row:
                    if cell.startswith(FORMULA_STARTS):
                        try:
                            float(cell)
                        except ValueError:
                            bad.append(f"{path.name} row {i}: {cell[:40]!r}")
    assert not bad, bad


def test_the_data_build_refuses_a_formula_like_text_cell():
    sys.path.insert(0, str(ROOT / "scripts"))
    try:
        from builders.common import csv_bytes
    finally:
        sys.path.remove(str(ROOT / "scripts"))
    df = pd.DataFrame({"name": ["=HYPERLINK(\"x\")"]})
    with pytest.raises(ValueError, match="reads as a formula"):
        csv_bytes(df, [{"name": "name", "type": "string"}])
    assert csv_bytes(pd.DataFrame({"n": [-3]}), [{"name": "n", "type": "integer"}]) == b"n\n-3\n"
