"""nkteach.charts: figures match their data, carry a source line and a summary, and use the palette.

Expected numbers are computed here from the raw sources (SIPRI TIV tables, the thesis's Table 1)
or from the test's own DataFrames, never read back from the function under test.
"""

from __future__ import annotations

import csv
import re
import subprocess
import sys

import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio
import pytest

from nkteach import charts as C
from nkteach import levels as L
from nkteach.validation import NkteachError, UnknownNameError
from tests.support.paths import ROOT, SHARED, require, shared_files

OKABE_ITO = {"#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7", "#000000"}


# ---------------------------------------------------------------------------------------------
# Fixtures built from raw sources


def _need(path):
    (found,) = shared_files(str(path.relative_to(SHARED)))
    return found


def _tiv_table(path, recipient):
    """Long table (recipient, supplier, year, tiv) and SIPRI's own 'Total' row from a raw TIV file."""
    rows = list(csv.reader(path.open(encoding="latin-1")))
    hdr_i = next(i for i, r in enumerate(rows) if len(r) > 1 and r[1] == "1950")
    years = rows[hdr_i][1:-1]
    recs, totals = [], {}
    for r in rows[hdr_i + 1 :]:
        if not r or not r[0] or r[0].startswith(("Source", "Generated")):
            continue
        for y, v in zip(years, r[1:-1]):
            if v.strip():
                if r[0] == "Total":
                    totals[int(y)] = float(v)
                else:
                    recs.append({"recipient": recipient, "supplier": r[0], "year": int(y), "tiv": float(v)})
    return recs, totals


@pytest.fixture(scope="module")
def tiv():
    d = _need(
        SHARED / "sources" / "sipri_arms_transfers" / "tiv_imports_by_supplier_1950-2021_generated_2022-04-22"
    )
    recs, totals = [], {}
    for rec in ("Azerbaijan", "Armenia"):
        r, t = _tiv_table(d / f"TIV_imports_to_{rec}_1950-2021.csv", rec)
        recs += r
        totals[rec] = t
    df = pd.DataFrame(recs)
    df.attrs = {
        "name": "arms_imports",
        "citation": "SIPRI Arms Transfers Database, TIV tables generated 22 April 2022",
    }
    return df, totals


@pytest.fixture(scope="module")
def poll():
    """Table 1 of the thesis (002 §IV.F), parsed from the seed text."""
    seed = next(_need(SHARED / "seeds").glob("002_*.txt"))
    text = seed.read_text(encoding="utf-8")
    rows = re.findall(r"^([1-7]) (.+?) (\d+) (\d+\.\d\d)% *$", text, flags=re.M)
    assert len(rows) == 7, rows
    total = int(re.search(r"^TOTAL: (\d+) ", text, flags=re.M).group(1))

    def group(label):
        return (
            "war"
            if label.startswith("War")
            else "peace"
            if label.startswith(("Peace", "Regional"))
            else "other"
        )

    df = pd.DataFrame(
        [
            {
                "option": int(o),
                "label": lab,
                "responses": int(n),
                "percent_printed": float(p),
                "group": group(lab),
                "citation": "002 §IV.F Table 1",
            }
            for o, lab, n, p in rows
        ]
    )
    df.attrs = {"name": "facebook_poll_2011", "citation": "Thesis 002 §IV.F, Table 1"}
    assert df["responses"].sum() == total
    return df


@pytest.fixture()
def milex():
    df = pd.DataFrame(
        {
            "country": ["Armenia"] * 4 + ["Azerbaijan"] * 4,
            "year": [2000, 2001, 2002, 2003] * 2,
            "measure": "constant_2024_usd_m",
            "value": [100.0, None, 120.0, 130.0, 200.0, 210.0, None, 400.0],
            "estimate": [False, False, True, False, False, True, False, False],
            "missing_reason": [None, "xxx", None, None, None, None, "...", None],
        }
    )
    extra = df.assign(measure="share_of_gdp", value=df["value"] / 100)
    out = pd.concat([df, extra], ignore_index=True)
    out.attrs = {"citation": "SIPRI Military Expenditure Database (test rows)"}
    return out


@pytest.fixture()
def budgets():
    # seed_facts B1–B5 (defence budgets the seeds cite: 002 §IV.D, §V.D; 003).
    df = pd.DataFrame(
        [
            ("B1", "163 million", 163e6, "US$", "2003", "military budget", "fn 188", "002", "§IV.D"),
            (
                "B2",
                "3.7 billion",
                3.7e9,
                "US$",
                '"present" (c. 2013)',
                "military budget",
                "fn 188",
                "002",
                "§IV.D",
            ),
            ("B3", "1.7 billion", 1.7e9, "US$", "c. 2012", "defense budget", "fn 305", "002", "§V.D"),
            (
                "B4",
                "3.4 billion",
                3.4e9,
                "US$",
                "2016",
                "military budget",
                "Trading Economics 2023",
                "003",
                "fn 17",
            ),
            (
                "B5",
                "more than 2 billion; more than 5% of GDP",
                None,
                "US$; % of GDP",
                "2020",
                "military budget",
                "Trading Economics 2023",
                "003",
                '"Military Capacities"',
            ),
            ("M1", "55", 55, "% of arms imports", "2007–2011", "Russia's share", "fn 329", "002", "§V.E"),
        ],
        columns=[
            "fact_id",
            "value",
            "value_num",
            "unit",
            "year",
            "measures",
            "cited_source",
            "seed",
            "section",
        ],
    )
    df.attrs = {"citation": "nkteach seed facts (test rows)"}
    return df


@pytest.fixture()
def ratings():
    df = pd.DataFrame(
        {
            "country": ["Armenia"] * 3 + ["Azerbaijan"] * 3,
            "year": [2010, 2011, 2012] * 2,
            "political_rights": [6, 6, 5, 6, 6, 7],
            "civil_liberties": [4, 4, 4, 5, 5, 5],
        }
    )
    df.attrs = {"citation": "Freedom House (test rows)"}
    return df


@pytest.fixture()
def scores():
    df = pd.DataFrame(
        {
            "country": ["Armenia"] * 2 + ["Azerbaijan"] * 2,
            "edition": [2013, 2014] * 2,
            "total": [41, 42, 16, 14],
            "political_rights_score": [17, 18, 4, 3],
            "civil_liberties_score": [24, 24, 12, 11],
        }
    )
    df.attrs = {"citation": "Freedom House FIW (test rows)"}
    return df


@pytest.fixture()
def nit():
    # Nations in Transit values as the thesis prints them (002 §IV.G).
    df = pd.DataFrame(
        [
            ("Armenia", 2004, "Democracy Score", 5.00, None),
            ("Armenia", 2013, "Democracy Score", 5.36, None),
            ("Azerbaijan", 2004, "Democracy Score", 5.63, None),
            ("Azerbaijan", 2013, "Democracy Score", 6.64, None),
            ("Armenia", 2012, "Independent Media", 6.00, None),
            ("Armenia", 2013, "Independent Media", 5.57, "as printed; likely 5.75"),
            ("Armenia", 2013, "Regime type", None, None),
        ],
        columns=["country", "edition", "category", "score", "flag"],
    )
    df.attrs = {"citation": "Thesis 002 §IV.G"}
    return df


@pytest.fixture()
def barometer():
    df = pd.DataFrame(
        {
            "survey_year": 2011,
            "country": ["Armenia"] * 3 + ["Azerbaijan"] * 3 + ["Armenia"],
            "question_id": ["NK2"] * 6 + ["NK3"],
            "question": ["When resolved?"] * 6 + ["Other"],
            "answer": ["Soon", "Later", "Never"] * 2 + ["Yes"],
            "weighted_percent": [10.0, 50.5, 39.5, 30.0, 60.0, 10.0, 99.0],
            "n": [2365] * 3 + [1481] * 3 + [2365],
        }
    )
    df.attrs = {"citation": "CRRC Caucasus Barometer (test rows)"}
    return df


@pytest.fixture()
def events():
    df = pd.DataFrame(
        {
            "event_id": ["a", "b", "c", "d"],
            "date_start": ["1988-02-20", "1994-05-12", "2016-04", "2020"],
            "date_text": ["20 Feb 1988", "12 May 1994", "Apr 2016", "2020"],
            "event": ["Regional soviet vote", "Ceasefire in force", "Four-day war", "44-day war"],
            "levels": ["N;E", "I", "E;I", "I;N"],
            "citation": ["002 §III.K", "002 §III.AA", "004", "003"],
            "flag": [None, None, None, "dates differ"],
        }
    )
    df.attrs = {"citation": "nkteach timeline (test rows)"}
    return df


@pytest.fixture()
def linkage_tables():
    edges = pd.DataFrame(
        [
            {"edge_id": f"L{i}", "source": s, "target": t, "mechanism": f"m{i}", "citation": "002 §VI"}
            for i, (s, t) in enumerate(
                [
                    ("I1", "E1"),
                    ("E1", "S"),
                    ("E1", "N1"),
                    ("N1", "E2"),
                    ("E2", "N1"),
                    ("I1", "I2"),
                    ("I2", "S"),
                ],
                1,
            )
        ]
    )
    nodes = pd.DataFrame(
        {
            "node_id": ["E1", "E2", "N1", "I1", "I2", "S"],
            "level": ["elite", "elite", "nation", "international", "international", "outcome"],
            "label": ["Regime", "Outbidding", "Identity", "Alliances", "Mediators", "Status quo"],
        }
    )
    edges.attrs = {"citation": "Reconstructed from 002 (test rows)"}
    return edges, nodes


@pytest.fixture()
def forecasts():
    df = pd.DataFrame(
        {
            "forecast_id": ["F1", "F2"],
            "expectation": ["No settlement for decades", "War likelier"],
            "citation": ["002 §VI", "002 §I.C"],
            "outcome": ["Force in 2020", "Wars 2016/2020/2023"],
            "verdict": ["Partly held", "Held"],
            "verdict_code": ["partly held", "held"],
            "level": ["international", "international;elite"],
        }
    )
    df.attrs = {"citation": "nkteach forecasts (test rows)"}
    return df


@pytest.fixture()
def explanations():
    df = pd.DataFrame(
        {
            "explanation_id": ["X1", "X2", "X3", "X4"],
            "explanation": [
                "Bandwagoning: a",
                "Opportunity cost: b",
                "Punishment: c",
                "Diminishing justice: d",
            ],
            "level": "international",
            "verdict": ["v1", "v2", "v3", "v4"],
            "verdict_code": [
                "important but incomplete",
                "raises cost but not decisive",
                "rejected",
                "most convincing",
            ],
            "verdict_rank": [2, 3, 4, 1],
            "citation": ['004 "Bandwagoning"'] * 4,
        }
    )
    df.attrs = {"citation": "Abushov & Babayev 2024 (004) (test rows)"}
    return df


# ---------------------------------------------------------------------------------------------
# Generic checks applied to every figure


def _colours(obj, out):
    if isinstance(obj, dict):
        for k, v in obj.items():
            if k == "template":
                continue
            _colours(v, out)
    elif isinstance(obj, (list, tuple)):
        for v in obj:
            _colours(v, out)
    elif isinstance(obj, str) and re.fullmatch(r"#[0-9A-Fa-f]{6}|rgba?\(.*\)", obj):
        out.add(obj)
    return out


def _allowed(c: str) -> bool:
    from nkteach.charts._base import MARK_EDGE

    # Okabe–Ito, or the same hue darkened to 3:1 for outlines (WCAG 1.4.11: MARK_EDGE)
    if c.upper() in OKABE_ITO or c.upper() in set(MARK_EDGE.values()):
        return True
    m = re.fullmatch(r"#([0-9A-Fa-f]{2})([0-9A-Fa-f]{2})([0-9A-Fa-f]{2})", c)
    if m:
        return len(set(m.groups())) == 1  # a grey, white or black
    m = re.fullmatch(r"rgba?\((\d+),\s*(\d+),\s*(\d+)(?:,\s*[\d.]+)?\)", c)
    return bool(m) and len(set(m.groups())) == 1


def check_figure(fig, chart, must_mention=()):
    meta = fig.layout.meta
    assert meta["chart"] == chart
    assert C.summary(fig) == meta["summary"] and meta["summary"]
    assert meta["source"] and "Source:" in meta["summary"] and meta["source"] in meta["summary"]
    src = [a for a in fig.layout.annotations if a.name == "source"]
    assert len(src) == 1 and src[0].text.startswith("Source: ") and len(src[0].text) > 10
    assert fig.layout.template.layout.colorway == tuple(C.COLORWAY)
    bad = {c for c in _colours(fig.to_plotly_json(), set()) if not _allowed(c)}
    assert not bad, f"colours outside Okabe–Ito + greys: {bad}"
    for s in must_mention:
        assert s in meta["summary"], (s, meta["summary"])
    # Figures are built without plotly's validation (speed); a validating rebuild proves every
    # property is one plotly knows, with a valid value.
    go.Figure(fig.to_dict())


# ---------------------------------------------------------------------------------------------
# Template and import cost


def test_template_registered():
    t = pio.templates["nkteach"]
    assert set(t.layout.colorway) <= OKABE_ITO and len(t.layout.colorway) == 8
    assert t.layout.font.size >= 13 and t.layout.legend.font.size >= 13
    assert t.layout.paper_bgcolor == t.layout.plot_bgcolor == "#FFFFFF"


def test_import_does_not_load_plotly_express():
    code = "import sys, nkteach.charts; print('plotly.express' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    assert out.stdout.strip() == "False"


def test_summary_of_foreign_figure_is_an_error():
    import plotly.graph_objects as go

    with pytest.raises(ValueError, match="no nkteach summary"):
        C.summary(go.Figure())


# ---------------------------------------------------------------------------------------------
# Arms imports


def test_supplier_shares_computed_from_raw(tiv):
    df, totals = tiv
    sub = df[(df.recipient == "Azerbaijan") & df.year.between(2007, 2011)]
    russia, total = sub.loc[sub.supplier == "Russia", "tiv"].sum(), sub["tiv"].sum()
    assert (russia, total) == (662, 1103)
    assert sum(totals["Azerbaijan"][y] for y in range(2007, 2012)) == 1103  # SIPRI's own Total row
    sh = C.supplier_shares(df, "Azerbaijan", (2007, 2011))
    assert sh.iloc[0]["supplier"] == "Russia"
    assert sh.iloc[0]["share_percent"] == round(100 * russia / total, 1) == 60.0
    assert sh["tiv"].sum() == total
    # Armenia: 94 of SIPRI's total 104 = 90.4% (the supplier rows sum to 105 because of rounding).
    arm_tot = pd.DataFrame(
        [{"recipient": "Armenia", "year": y, "tiv": v} for y, v in totals["Armenia"].items()]
    )
    sa = C.supplier_shares(df, "Armenia", (2007, 2011), totals=arm_tot)
    assert sa.loc[sa.supplier == "Russia", "share_percent"].item() == 90.4
    assert C.supplier_shares(df, "Armenia", (2007, 2011)).loc[0, "share_percent"] == round(100 * 94 / 105, 1)


def test_arms_volume_traces_match_data(tiv):
    df, _ = tiv
    fig = C.arms_imports(df, recipient="Azerbaijan", years=(2007, 2011))
    check_figure(fig, "arms_imports", must_mention=("Russia", "662", "60.0%", "1,103"))
    assert fig.layout.barmode == "stack"
    assert fig.layout.yaxis.title.text.replace("<br>", " ") == "SIPRI TIV (millions) — not US dollars"
    russia = next(t for t in fig.data if t.name == "Russia")
    expect = df[(df.recipient == "Azerbaijan") & (df.supplier == "Russia")].set_index("year")["tiv"]
    assert [y for y in russia.y] == [expect[y] for y in range(2007, 2012)]
    total = sum(v for t in fig.data for v in t.y if v == v)
    assert total == 1103


def test_arms_share_mode_and_claims(tiv, budgets):
    df, _ = tiv
    fig = C.arms_imports(df, mode="share", overlay_claims=True, claims=budgets)
    check_figure(fig, "arms_imports", must_mention=("002 §V.E", "55%", "60.0%"))
    bars = fig.data[0]
    assert dict(zip(bars.y, bars.x))["Russia"] == 60.0
    claim = next(t for t in fig.data if t.name == "claim in a seed")
    assert list(claim.x) == [55.0] and list(claim.y) == ["Russia"]
    vol = C.arms_imports(df, overlay_claims=True, claims=budgets)
    assert any(a.name == "claims" and "55%" in a.text for a in vol.layout.annotations)


def test_arms_bad_options(tiv):
    df, _ = tiv
    with pytest.raises(ValueError) as ei:
        C.arms_imports(df, recipient="Georgia")
    assert "'Georgia'" in str(ei.value) and "'Armenia'" in str(ei.value) and "'Azerbaijan'" in str(ei.value)
    with pytest.raises(ValueError, match=rf"outside the arms_imports data: {df.year.min()}–{df.year.max()}"):
        C.arms_imports(df, years=(1980, 2030))
    with pytest.raises(ValueError, match="'volume', 'share'"):
        C.arms_imports(df, mode="dollars")
    with pytest.raises(ValueError, match="after end"):
        C.arms_imports(df, years=(2011, 2007))


# ---------------------------------------------------------------------------------------------
# Military expenditure and seed budgets


def test_military_expenditure(milex):
    fig = C.military_expenditure(milex)
    check_figure(fig, "military_expenditure", must_mention=("400.0", "estimates", "gaps"))
    arm = next(t for t in fig.data if t.name == "Armenia")
    assert list(arm.y) == [100.0, None, 120.0, 130.0]  # gap, never zero
    assert arm.connectgaps is False
    assert list(arm.marker.symbol) == ["circle", "circle", "circle-open", "circle"]
    assert any(t.name == "SIPRI estimate" for t in fig.data)
    gdp = C.military_expenditure(milex, measure="share_of_gdp", countries=["Azerbaijan"])
    assert [t.name for t in gdp.data] == ["Azerbaijan", "SIPRI estimate"]
    assert list(gdp.data[0].y)[-1] == 4.0


def test_military_expenditure_bad_options(milex):
    with pytest.raises(ValueError, match="constant_2024_usd_m"):
        C.military_expenditure(milex, measure="usd")
    with pytest.raises(ValueError, match="'Armenia', 'Azerbaijan'"):
        C.military_expenditure(milex, countries=["Atlantis"])
    with pytest.raises(ValueError, match="2000–2003"):
        C.military_expenditure(milex, years=(1990, 2003))


def test_defence_budgets_seed_points_never_joined(budgets):
    fig = C.defence_budgets_seed(budgets)
    check_figure(fig, "defence_budgets_seed", must_mention=("B2", "3.70", "002 §IV.D"))
    assert len(fig.data) == 5  # B1–B5, M1 ignored
    assert all(len(t.x) == 1 and "lines" not in t.mode for t in fig.data)
    ys = {t.name.split(" ")[0]: t.y[0] for t in fig.data}
    assert ys == pytest.approx({"B1": 0.163, "B2": 3.7, "B3": 1.7, "B4": 3.4, "B5": 2.0})
    b5 = next(t for t in fig.data if t.name.startswith("B5"))
    assert b5.marker.symbol == "triangle-up"  # a lower bound


# ---------------------------------------------------------------------------------------------
# Governance


def test_freedom_ratings_reversed_axis(ratings):
    fig = C.freedom_ratings(ratings, measure="civil_liberties")
    check_figure(fig, "freedom_ratings", must_mention=("Azerbaijan", "5"))
    assert fig.layout.yaxis.range[0] > fig.layout.yaxis.range[1]
    assert "1 = most free" in fig.layout.yaxis.title.text
    aze = next(t for t in fig.data if t.name == "Azerbaijan")
    assert list(aze.y) == [5, 5, 5]
    with pytest.raises(ValueError, match="'political_rights', 'civil_liberties'"):
        C.freedom_ratings(ratings, measure="status")


def test_freedom_scores(scores):
    fig = C.freedom_scores(scores)
    check_figure(fig, "freedom_scores", must_mention=("42",))
    assert "higher = freer" in fig.layout.yaxis.title.text
    assert fig.layout.yaxis.range[0] < fig.layout.yaxis.range[1]
    with pytest.raises(ValueError, match="'total'"):
        C.freedom_scores(scores, measure="bogus")


def test_nations_in_transit_flags_printed_557(nit):
    fig = C.nations_in_transit(nit)
    check_figure(fig, "nations_in_transit", must_mention=("6.64",))
    assert fig.layout.yaxis.range[0] > fig.layout.yaxis.range[1]
    assert not any(t.name.startswith("value flagged") for t in fig.data)
    media = C.nations_in_transit(nit, category="Independent Media", countries=["Armenia"])
    ring = next(t for t in media.data if t.name.startswith("value flagged"))
    assert list(ring.y) == [5.57]
    assert "5.57" in C.summary(media) and "likely 5.75" in C.summary(media)
    with pytest.raises(ValueError, match="'Democracy Score'"):
        C.nations_in_transit(nit, category="Regime type")  # text-only category


# ---------------------------------------------------------------------------------------------
# The 2011 poll and the Caucasus Barometer


def test_poll_shares_from_table_1(poll):
    g = C.poll_shares(poll, grouped=True).set_index("group")
    war = poll.loc[poll.label.str.startswith("War"), "responses"].sum()
    assert war == 677 and g.loc["war", "responses"] == war
    assert g.loc["war", "percent"] == round(100 * war / 1372, 2) == 49.34
    per = C.poll_shares(poll)
    assert per["responses"].is_monotonic_decreasing
    assert per.loc[per.option == 7, "percent"].item() == 6.2  # printed 6.19 is truncated
    assert round(per["percent_printed"].sum(), 2) == 99.99


def test_facebook_poll_figure(poll):
    fig = C.facebook_poll(poll, show="recomputed")
    check_figure(fig, "facebook_poll", must_mention=("631", "45.99%", "49.34%", "51%"))
    bars = {y: x for t in fig.data for y, x in zip(t.y, t.x)}
    assert bars["2. War (Azerbaijan wins)"] == 631 and sum(bars.values()) == 1372
    assert "6.20%" in " ".join(t for tr in fig.data for t in tr.text)
    printed = C.facebook_poll(poll)
    assert "6.19%" in " ".join(t for tr in printed.data for t in tr.text)
    caveat = [a for a in fig.layout.annotations if a.name == "source"][0].text
    assert "self-selected" in caveat
    grouped = C.facebook_poll(poll, grouped=True)
    assert {t.name: t.x[0] for t in grouped.data} == {"war": 677, "peace": 562, "other": 133}
    with pytest.raises(ValueError, match="'printed', 'recomputed'"):
        C.facebook_poll(poll, show="rounded")
    with pytest.raises(ValueError, match="grouped"):
        C.poll_shares(poll, grouped="yes")


def test_caucasus_barometer(barometer):
    fig = C.caucasus_barometer(barometer, question_id="NK2")
    check_figure(fig, "caucasus_barometer", must_mention=("60.0%", "Later", "n = 1,481"))
    aze = next(t for t in fig.data if t.name == "Azerbaijan")
    assert dict(zip(aze.y, aze.x)) == {"Soon": 30.0, "Later": 60.0, "Never": 10.0}
    with pytest.raises(ValueError, match="'NK2', 'NK3'"):
        C.caucasus_barometer(barometer, question_id="NK9")
    with pytest.raises(ValueError, match="2011"):
        C.caucasus_barometer(barometer, survey_year=2010)
    with pytest.raises(ValueError, match="'Armenia'"):
        C.caucasus_barometer(barometer, question_id="NK3")  # Azerbaijan not asked NK3 here


# ---------------------------------------------------------------------------------------------
# Timeline, linkage network, forecast, explanations


def test_timeline_colour_and_shape_by_level(events):
    fig = C.timeline(events)
    check_figure(fig, "timeline", must_mention=("4 events",))
    by_name = {t.name: t for t in fig.data}
    for key in L.LEVELS:
        lv = L.LEVELS[key]
        t = by_name[str(lv)]
        assert t.marker.symbol == lv.symbol and t.marker.color == lv.colour
    assert list(by_name[str(L.LEVELS["international"])].customdata) == ["b", "d"]
    assert any("002 §III.AA" in h for h in by_name[str(L.LEVELS["international"])].hovertext)
    only_e = C.timeline(events, levels=["E"], years=(2000, 2020))
    assert [list(t.customdata) for t in only_e.data] == [["c"]]
    with pytest.raises(ValueError, match="(?i)allowed"):
        C.timeline(events, levels=["X"])
    with pytest.raises(ValueError, match="1988–2020"):
        C.timeline(events, years=(1900, 2020))


def test_linkage_network(linkage_tables):
    edges, nodes = linkage_tables
    g = L.graph(edges, nodes)
    fig = C.linkage_network(edges, nodes, highlight=["I1", "E1", "S"], removed="E2")
    check_figure(fig, "linkage_network", must_mention=("E1", "Removing E2"))
    caption = " ".join(a.text for a in fig.layout.annotations)
    assert "not the thesis's own Figure 1" in caption and "reconstructed" in fig.layout.title.text
    arrows = {a.name: a for a in fig.layout.annotations if a.showarrow}
    assert len(arrows) == len(edges)
    assert arrows["L1"].arrowwidth > arrows["L6"].arrowwidth  # emphasis by width, not only colour
    assert arrows["L2"].arrowwidth > arrows["L3"].arrowwidth
    assert arrows["L4"].arrowcolor == "#DDDDDD"  # lost with E2
    elite = next(t for t in fig.data if t.name == str(L.LEVELS["elite"]))
    assert elite.marker.symbol[list(elite.customdata).index("E2")] == "x-thin-open"
    reach = C.linkage_network(g, highlight=g.downstream("I1", 1))
    arrows = {a.name: a for a in reach.layout.annotations if a.showarrow}
    assert arrows["L6"].arrowwidth > arrows["L2"].arrowwidth
    with pytest.raises(KeyError, match="allowed"):
        C.linkage_network(edges, nodes, highlight=["I1", "Q7"])


def test_forecast_table(forecasts):
    fig = C.forecast(forecasts, verdicts={"F1": "partly held", "F2": "did not hold"})
    check_figure(fig, "forecast", must_mention=("1 partly held", "1 held", "1 match"))
    table = fig.data[0]
    assert list(table.cells.values[0]) == ["F1", "F2"] and len(table.header.values) == 5
    assert C.forecast(forecasts).data[0].header.values[-1] == "<b>Model verdict</b>"
    with pytest.raises(ValueError, match="F9"):
        C.forecast(forecasts, verdicts={"F9": "held"})
    with pytest.raises(ValueError, match="one per forecast"):
        C.forecast(forecasts, verdicts=["held"])


def test_explanations_2020(explanations):
    fig = C.explanations_2020(explanations)
    check_figure(fig, "explanations_2020", must_mention=("Diminishing justice", "most convincing"))
    bar = fig.data[0]
    assert bar.y[-1].startswith("X4") and bar.x[-1] == max(bar.x)  # best at the top
    assert dict(zip([y[:2] for y in bar.y], bar.text))["X3"] == "rejected"


# ---------------------------------------------------------------------------------------------
# The package datasets, once data/datapackage.json is built


@pytest.fixture(scope="module")
def packaged():
    require(
        (ROOT / "data" / "datapackage.json").is_file(), "data/datapackage.json not built: run `make data`"
    )
    import nkteach

    return nkteach


def test_package_arms_share(packaged):
    df = packaged.load("arms_imports")
    sub = df[(df.recipient == "Azerbaijan") & df.year.between(2007, 2011)]
    expect = round(100 * sub.loc[sub.supplier == "Russia", "tiv"].sum() / sub["tiv"].sum(), 1)
    assert expect == 60.0
    assert C.supplier_shares(recipient="Azerbaijan", years=(2007, 2011)).iloc[0]["share_percent"] == expect


def test_package_poll_war_share(packaged):
    df = packaged.load("facebook_poll_2011")
    war = df.loc[df.group == "war", "responses"].sum()
    assert round(100 * war / df["responses"].sum(), 2) == 49.34
    check_figure(C.facebook_poll(grouped=True), "facebook_poll", must_mention=("49.34%",))


@pytest.mark.parametrize(
    "chart,kwargs",
    [
        ("arms_imports", {}),
        ("arms_imports", {"mode": "share", "overlay_claims": True}),
        ("military_expenditure", {}),
        ("defence_budgets_seed", {}),
        ("freedom_ratings", {}),
        ("freedom_scores", {}),
        ("nations_in_transit", {}),
        ("facebook_poll", {}),
        ("caucasus_barometer", {}),
        ("timeline", {}),
        ("linkage_network", {}),
        ("forecast", {}),
        ("explanations_2020", {}),
    ],
)
def test_package_charts_build(packaged, chart, kwargs):
    fig = getattr(C, chart)(**kwargs)
    check_figure(fig, chart)
    assert getattr(C, chart + "_summary")(**kwargs) == C.summary(fig)


def test_registry_covers_every_chart():
    assert set(C.CHARTS) == {n for n in C.__all__ if n + "_summary" in C.__all__}
    for name, (fig_fn, sum_fn) in C.CHARTS.items():
        assert fig_fn.__name__ == name and sum_fn.__name__ == name + "_summary"


@pytest.mark.parametrize("lv", [["elite"], ["nation"], ["international"], ["elite", "nation"]])
def test_timeline_draws_every_event_it_counts(lv):
    """An event kept by the level filter is drawn, even when its primary level is not shown."""
    import nkteach

    tl = nkteach.load("timeline")
    start = tl["date_start"].str.extract(r"^(-?\d{4})")[0].astype(int)
    codes = {"elite": "E", "nation": "N", "international": "I"}
    wanted = {codes[k] for k in lv}
    expected = sum(
        1 for s, lvls in zip(start, tl["levels"]) if 1918 <= s <= 1994 and wanted & set(str(lvls).split(";"))
    )
    fig = C.timeline(years=(1918, 1994), levels=lv)
    drawn = sum(len(t.x) for t in fig.data)
    counted = int(re.search(r": (\d+) events", C.summary(fig)).group(1))
    assert drawn == counted == expected


# ---------------------------------------------------------------------------------------------
# Registry, argument checks (nkteach.validation) and data-driven country choices


def test_registry_is_the_only_list_and_every_entry_is_complete():
    for name, ch in C.CHARTS.items():
        assert ch.name == name and getattr(C, name) is ch.figure
        assert getattr(C, name + "_summary") is ch.summary and ch.figure.summary is ch.summary
        assert ch.figure.__module__ == ch.summary.__module__ == "nkteach.charts"
        assert name in C.__all__ and name + "_summary" in C.__all__
        fig_fn, sum_fn = ch  # older callers unpack a pair
        assert (fig_fn, sum_fn) == (ch.figure, ch.summary)
    assert {"democracy_indices", "battle_deaths", "armed_conflict"} <= set(C.CHARTS)


# (chart, option, bad value, words the message must contain)
_LIST_ARG = {
    "military_expenditure": "countries",
    "freedom_ratings": "countries",
    "freedom_scores": "countries",
    "nations_in_transit": "countries",
    "caucasus_barometer": "countries",
    "democracy_indices": "countries",
    "battle_deaths": "countries",
    "timeline": "levels",
    "armed_conflict": "conflicts",
}
_YEARS = [n for n in C.CHARTS if "years" in __import__("inspect").signature(C.CHARTS[n].figure).parameters]
HOSTILE = (
    [(n, arg, None, ("list",)) for n, arg in _LIST_ARG.items() if arg == "countries"]
    + [(n, arg, 3, ("list", "3")) for n, arg in _LIST_ARG.items()]
    + [(n, arg, "Armenia", ("single string",)) for n, arg in _LIST_ARG.items()]
    + [(n, arg, [], ("empty", "choose at least")) for n, arg in _LIST_ARG.items()]
    + [(n, "years", (2015, 2005), ("after end",)) for n in _YEARS]
    + [(n, "years", (3000, 3001), ("outside",)) for n in _YEARS]
    + [(n, "years", 2010, ("pair of whole years",)) for n in _YEARS]
    + [(n, "years", "1990-2000", ("pair of whole years",)) for n in _YEARS]
    + [
        ("arms_imports", "recipient", None, ("recipient", "None")),
        ("arms_imports", "mode", "dollars", ("'dollars'", "'volume'")),
        ("arms_imports", "overlay_claims", "yes", ("overlay_claims", "True or False")),
        ("facebook_poll", "grouped", 1, ("grouped", "True or False")),
        ("facebook_poll", "show", None, ("show",)),
        ("caucasus_barometer", "survey_year", "2011", ("survey_year",)),
        ("democracy_indices", "index", "polyarchy", ("'polyarchy'", "v2x_polyarchy")),
        ("battle_deaths", "scale", "log10", ("'log10'", "'log'")),
        ("forecast", "verdicts", 5, ("verdicts", "5")),
        ("linkage_network", "highlight", 7, ("highlight", "7")),
        ("linkage_network", "removed", [], ("removed", "empty")),
    ]
)


@pytest.mark.parametrize("chart,arg,value,words", HOSTILE, ids=[f"{c}-{a}-{v!r}" for c, a, v, _ in HOSTILE])
def test_bad_arguments_get_a_clear_error(packaged, chart, arg, value, words):
    for fn in C.CHARTS[chart]:  # the figure and the summary check alike
        with pytest.raises(NkteachError) as ei:
            fn(**{arg: value})
        msg = str(ei.value)
        assert arg.split("[")[0] in msg, msg
        for w in words:
            assert w in msg, (w, msg)


def test_georgia_wherever_the_data_have_it(packaged):
    for name, kw in [
        ("military_expenditure", {"countries": ["Armenia", "Azerbaijan", "Georgia"]}),
        ("freedom_ratings", {"countries": ["Georgia"]}),
        ("freedom_scores", {"countries": ["Georgia"]}),
        ("democracy_indices", {"countries": ["Georgia"], "index": "polity2"}),
        ("battle_deaths", {"countries": ["Georgia"]}),
        ("caucasus_barometer", {"countries": ["Georgia"]}),
        ("arms_imports", {"recipient": "Georgia", "years": (2005, 2010)}),
    ]:
        fig = C.CHARTS[name].figure(**kw)
        check_figure(fig, name, must_mention=("Georgia",))
    with pytest.raises(UnknownNameError) as ei:  # Nations in Transit rows: Armenia, Azerbaijan
        C.nations_in_transit(countries=["Armenia", "Georgia"])
    assert "'Georgia'" in str(ei.value) and "countries with data" in str(ei.value)
    assert "'Armenia', 'Azerbaijan'" in str(ei.value)
    assert isinstance(ei.value, KeyError) and isinstance(ei.value, ValueError)


def test_new_dataset_charts(packaged):
    di = packaged.load("democracy_indices")
    fig = C.democracy_indices(countries=["Armenia"], index="v2x_polyarchy", years=(2000, 2005))
    line = next(t for t in fig.data if t.name == "Armenia")
    want = di[(di.country == "Armenia") & (di["index"] == "v2x_polyarchy") & di.year.between(2000, 2005)]
    assert list(line.y) == [float(v) for v in want.sort_values("year")["value"]]
    assert "uncertainty" in fig.layout.annotations[-1].text  # the dataset's caveats are shown
    bd = packaged.load("battle_deaths")
    fig = C.battle_deaths(countries=["Azerbaijan"], scale="linear")
    aze = bd[bd.country == "Azerbaijan"].sort_values("year")
    assert list(fig.data[0].y) == [float(v) for v in aze["best"]]
    assert "third-party" in C.summary(fig) and "poldat" in C.summary(fig)
    assert f"{int(aze['best'].sum()):,}" in C.summary(fig)
    ac = packaged.load("armed_conflict")
    fig = C.armed_conflict(conflicts=[388])
    drawn = sorted(x for t in fig.data for x in t.x)
    assert drawn == sorted(int(y) for y in ac.loc[ac.conflict_id == 388, "year"])
    wars = [int(y) for y in ac.loc[(ac.conflict_id == 388) & (ac.intensity_level == 2), "year"]]
    assert sorted(next(t for t in fig.data if t.name.startswith("war")).x) == sorted(wars)
    with pytest.raises(UnknownNameError, match="999"):
        C.armed_conflict(conflicts=[999])


def test_source_and_caveat_lines_fit_the_narrowest_width(packaged):
    for name, ch in C.CHARTS.items():
        src = next(a for a in ch.figure().layout.annotations if a.name == "source")
        assert max(len(line) for line in src.text.split("<br>")) <= 95, name
