"""UCDP/PRIO Armed Conflict Dataset v25.1 rows and a third-party GED-derived battle-deaths panel.

Raw files: ../shared/sources/ucdp/ (see PROVENANCE.md).
"""
from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from builders._countries import country
from builders.common import Resource, bibtex_entry, field_

DIR = "ucdp"
ACD = "UcdpPrioConflict_v25_1_ARM_AZE_conflicts_376_377_388_396.csv"
BRD = "poldat_ucdpbrds_GED23.1_countryyear_ARM_GEO_AZE_DERIVED.csv"
URL = "https://ucdp.uu.se/downloads/"
CONFLICTS = (376, 377, 388, 396)
UCDP_TERMS = {"name": "UCDP-terms", "path": URL,
              "title": "UCDP data are free to use with citation (the file states no licence; OWID records CC "
                       "BY 4.0 for UCDP data)."}
MIT = {"name": "MIT", "title": "MIT licence (kvelleby/poldat, the derived panel)",
       "path": "https://opensource.org/licenses/MIT"}

# (column, type, description, constraints)
ACD_FIELDS = [
    ("conflict_id", "integer",
     "UCDP conflict identifier: 376 USSR vs Republic of Armenia over Nagorno-Karabakh (1990–91); 377 USSR vs "
     "Azerbaijan Popular Front (1990); 388 Azerbaijan vs Republic of Artsakh (Nagorno-Karabakh), Armenia as "
     "secondary party in most years; 396 Azerbaijani government vs internal armed factions (1993, 1995).",
     {"required": True, "enum": list(CONFLICTS)}),
    ("location", "string", "Country or countries whose government(s) are a primary party (UCDP's wording).",
     {"required": True}),
    ("side_a", "string", "Primary party on side A (always a government).", {"required": True}),
    ("side_a_id", "string", "UCDP actor id(s) of side A.", {"required": True}),
    ("side_a_2nd", "string",
     "States giving troops to side A (secondary warring party), e.g. Turkey in 2020; empty if none.", {}),
    ("side_b", "string",
     "Primary party on side B (government or rebel organisation). UCDP names the NK authorities "
     "'Republic of Artsakh'.", {"required": True}),
    ("side_b_id", "string", "UCDP actor id(s) of side B.", {"required": True}),
    ("side_b_2nd", "string", "States giving troops to side B, e.g. the Government of Armenia; empty if "
                             "none.", {}),
    ("incompatibility", "integer", "What the conflict is over: 1 = territory, 2 = government, 3 = both.",
     {"required": True, "enum": [1, 2, 3]}),
    ("territory_name", "string", "Territory contested (territorial conflicts only), as UCDP names it.", {}),
    ("year", "integer", "Year in which the conflict was active (at least 25 battle-related deaths). "
     "Years without a row were inactive.", {"required": True, "minimum": 1946}),
    ("intensity_level", "integer",
     "1 = minor (25–999 battle-related deaths in the year), 2 = war (1,000 or more).",
     {"required": True, "enum": [1, 2]}),
    ("cumulative_intensity", "integer",
     "1 if the conflict has passed 1,000 battle-related deaths in total since it "
     "began, else 0.", {"required": True, "enum": [0, 1]}),
    ("type_of_conflict", "integer",
     "1 = extrasystemic, 2 = interstate, 3 = intrastate, 4 = internationalised "
     "intrastate (another state sends troops to one side).", {"required": True, "enum": [1, 2, 3, 4]}),
    ("start_date", "date", "Date of the first battle-related death of the conflict.", {"required": True}),
    ("start_prec", "integer", "Precision of start_date (1 = exact day … 5+ = coarser; UCDP codebook).", {}),
    ("start_date2", "date",
     "Date the conflict (most recent episode) reached 25 battle-related deaths in a year.",
     {"required": True}),
    ("start_prec2", "integer", "Precision of start_date2 (UCDP codebook).", {}),
    ("ep_end", "integer", "1 if an active episode ends in this year (next year is inactive), else 0.",
     {"required": True, "enum": [0, 1]}),
    ("ep_end_date", "date", "Date the episode ended (only when ep_end = 1).", {}),
    ("ep_end_prec", "integer", "Precision of ep_end_date (UCDP codebook); often empty.", {}),
    ("gwno_a", "string", "Gleditsch–Ward number(s) of side A (365 Russia/USSR, 373 Azerbaijan).",
     {"required": True}),
    ("gwno_a_2nd", "string", "Gleditsch–Ward number(s) of side A's secondary states (640 Turkey).", {}),
    ("gwno_b", "string", "Gleditsch–Ward number(s) of side B if a state; empty for non-state actors.", {}),
    ("gwno_b_2nd", "string", "Gleditsch–Ward number(s) of side B's secondary states (371 Armenia).", {}),
    ("gwno_loc", "string", "Gleditsch–Ward number(s) of the location.", {"required": True}),
    ("region", "string", "UCDP region code (1 = Europe).", {"required": True}),
    ("version", "string", "UCDP/PRIO dataset version.", {"required": True}),
]


def _date(s: str, what: str) -> str | None:
    s = s.strip()
    if not s:
        return None
    m = re.fullmatch(r"(\d{1,2})-(\d{1,2})-(\d{4})", s)
    if not m:
        raise ValueError(f"{what}: date {s!r} is not d-m-yyyy (the format of this re-saved copy)")
    d, mo, y = map(int, m.groups())
    return pd.Timestamp(year=y, month=mo, day=d).strftime("%Y-%m-%d")


def armed_conflict(sources: Path) -> Resource:
    path = sources / DIR / ACD
    raw = pd.read_csv(path, sep=";", dtype=str, keep_default_na=False, encoding="utf-8")
    names = [f[0] for f in ACD_FIELDS]
    if list(raw.columns) != names:
        raise ValueError(f"{path.name}: columns {list(raw.columns)}; expected the 28 UCDP columns {names}")
    df = pd.DataFrame()
    for name, type_, _, _ in ACD_FIELDS:
        col = raw[name].str.strip()
        if type_ == "integer":
            bad = col[~col.str.fullmatch(r"-?\d*")]
            if len(bad):
                raise ValueError(f"{path.name}: {name} has non-integer values {sorted(set(bad))}")
            df[name] = pd.to_numeric(col.replace("", None)).astype("Int64")
        elif type_ == "date":
            df[name] = [_date(v, f"{path.name} {name}") for v in col]
        else:
            df[name] = col.replace("", None)
    bad = sorted(set(df["conflict_id"].dropna()) - set(CONFLICTS))
    if bad:
        raise ValueError(f"{path.name}: unexpected conflict ids {bad}; expected {CONFLICTS}")
    df = df.sort_values(["conflict_id", "year"], kind="mergesort").reset_index(drop=True)
    fields = [field_(n, t, d, **c) for n, t, d, c in ACD_FIELDS]
    return Resource(
        name="armed_conflict",
        title="UCDP/PRIO Armed Conflict Dataset v25.1: conflicts 376, 377, 388, 396 (Armenia–Azerbaijan, "
              "Nagorno-Karabakh)",
        description=("One row per active conflict-year for the four UCDP conflicts about Nagorno-Karabakh "
                     "and Azerbaijan, 1990–2023, with all 28 ACD columns (dates converted to ISO)."),
        fields=fields,
        sources=[{"title": "UCDP/PRIO Armed Conflict Dataset version 25.1", "path": URL,
                  "publisher": "Uppsala Conflict Data Program (UCDP) / Peace Research Institute Oslo (PRIO)",
                  "release": "2025 (v25.1)", "file": ACD,
                  "via": "GitHub Jenssah86/bit_academy_analytics_project, UcdpPrioConflict_v25_1.csv, commit "
                         "93901c43a6c810cf3f5d5972404c9f85337f5ebe"}],
        licenses=[UCDP_TERMS],
        citation=("UCDP/PRIO Armed Conflict Dataset v25.1 (cite Davies, Shawn, Therése Pettersson & Magnus "
                  "Öberg, Journal of Peace Research, 2025, as UCDP asks for v25.1). Gleditsch, Nils Petter, "
                  "Peter Wallensteen, Mikael Eriksson, Margareta Sollenberg & Håvard Strand (2002). Armed "
                  "Conflict 1946–2001: A New Dataset. Journal of Peace Research 39(5): 615–637. " + URL),
        bibtex="\n".join([
            bibtex_entry("article", "gleditsch2002armed",
                         author=("Gleditsch, Nils Petter and Wallensteen, Peter and Eriksson, Mikael "
                                 "and Sollenberg, Margareta and Strand, H{\\aa}vard"),
                         title="Armed Conflict 1946--2001: A New Dataset",
                         journal="Journal of Peace Research",
                         volume="39", number="5", pages="615--637", year="2002"),
            bibtex_entry("misc", "ucdp_acd_251", author="{Uppsala Conflict Data Program}",
                         title="{UCDP/PRIO Armed Conflict Dataset version 25.1}", year="2025", url=URL)]),
        caveats=[
            "A row means the conflict was active (≥25 battle-related deaths) that year; missing years were "
            "below that threshold, not peaceful.",
            "UCDP codes the 1991–2023 fighting as ONE conflict (388, Azerbaijan vs the Republic of Artsakh), "
            "internationalised by Armenia's troops (type 4); there is no separate interstate "
            "Armenia–Azerbaijan conflict in ACD v25.1, including for the 2020 war.",
            "UCDP's actor names ('Republic of Artsakh', 'Artsakh (Nagorno-Karabakh)') are the dataset's "
            "labels, not an endorsement of either naming.",
            "Battle-death counts per conflict (UCDP BRD) were not available to this project; see "
            "battle_deaths for a derived country panel.",
        ],
        notes=["This copy was re-saved by its uploader with ';' as delimiter and d-m-yyyy dates; dates "
               "converted to ISO yyyy-mm-dd.",
               "CRLF line ends dropped; values otherwise unchanged. Empty cells are missing values."],
        df=df, primary_key=["conflict_id", "year"],
    )


def _one_row_per_country_year(df: pd.DataFrame, file: str) -> tuple[pd.DataFrame, list[str]]:
    """Drop exact duplicate country-years (noting each); refuse two different rows for one country-year."""
    dup = df[df.duplicated(["country", "year"], keep=False)]
    clash = dup.drop_duplicates().groupby(["country", "year"]).size()
    clash = clash[clash > 1]
    if len(clash):
        where = ", ".join(f"{c} {y}" for c, y in clash.index)
        raise ValueError(f"{file}: country-year(s) {where} appear in more than one row with different "
                         "values; expected one row per country and year")
    notes = [f"{c} {y}: the raw file repeats this row {n} times; kept once."
             for (c, y), n in dup.groupby(["country", "year"]).size().items()]
    return df.drop_duplicates().reset_index(drop=True), notes


def repair_ranges(df: pd.DataFrame) -> tuple[pd.DataFrame, list[str]]:
    """Make low ≤ best ≤ high hold, widening the range as little as possible, and say what changed.

    A sum of UCDP events cannot have its high estimate below its low or best one (each event has
    low ≤ best ≤ high), so a row that breaks the order is an aggregation slip of the third-party panel:
    low drops to best or high rises to max(low, best). Each change is listed in the dataset notes.
    """
    df = df.copy()
    low = df[["low", "best"]].min(axis=1)
    high = pd.concat([df["high"], df["best"], low], axis=1).max(axis=1)
    changed = (low != df["low"]) | (high != df["high"])
    notes = [f"{r.country} {r.year}: published low {r.low}, best {r.best}, high {r.high}; stored low {lo}, "
             f"high {hi} so that low ≤ best ≤ high (a sum of UCDP events cannot put its high estimate below "
             "its low one)."
             for r, lo, hi in zip(df[changed].itertuples(index=False), low[changed], high[changed])]
    df["low"], df["high"] = low.astype(int), high.astype(int)
    return df, notes


def battle_deaths(sources: Path) -> Resource:
    path = sources / DIR / BRD
    raw = pd.read_csv(path, dtype=str, keep_default_na=False)
    need = ["gwcode", "country_name", "year", "low", "high", "best", "source"]
    missing = [c for c in need if c not in raw.columns]
    if missing:
        raise ValueError(f"{path.name}: missing columns {missing}")
    df = pd.DataFrame({
        "country": raw["country_name"].map(country),
        "year": raw["year"].astype(int),
        "best": raw["best"].astype(int), "low": raw["low"].astype(int), "high": raw["high"].astype(int),
        "gwcode": raw["gwcode"].astype(int), "source": raw["source"],
    }).sort_values(["country", "year"], kind="mergesort").reset_index(drop=True)
    df, quirks = _one_row_per_country_year(df, path.name)
    df, repaired = repair_ranges(df)
    quirks += repaired
    fields = [
        field_("country", "string",
               "Country where the deaths occurred (cShapes 2.0 borders: deaths in Nagorno-Karabakh count "
               "for Azerbaijan).", required=True, enum=sorted(df["country"].unique())),
        field_("year", "integer", "Calendar year.", required=True, minimum=1989,
               maximum=int(df["year"].max())),
        field_("best", "integer",
               "Best estimate of battle-related deaths (persons) in state-based conflict located in the "
               "country.",
               required=True, minimum=0),
        field_("low", "integer", "Low estimate of battle-related deaths (persons).", required=True,
               minimum=0),
        field_("high", "integer", "High estimate of battle-related deaths (persons).", required=True,
               minimum=0),
        field_("gwcode", "integer", "Gleditsch–Ward country code (371 Armenia, 372 Georgia, 373 "
                                    "Azerbaijan).", required=True),
        field_("source", "string", "The panel's own source column (UCDP GED version summed).", required=True),
    ]
    return Resource(
        name="battle_deaths",
        title="Battle-related deaths by country and year (third-party sum of UCDP GED 23.1): Armenia, "
              "Azerbaijan, Georgia",
        description=("Country-year battle-related deaths (best, low, high) for 1991–2022: UCDP Georeferenced "
                     "Event Dataset 23.1 state-based events summed by the country where they happened, by "
                     "the R package poldat (third party)."),
        fields=fields,
        sources=[{"title": "poldat: ucdpbrds (country-year sum of UCDP GED 23.1 state-based deaths)",
                  "path": "https://github.com/kvelleby/poldat",
                  "publisher": "Jonas Vestby (kvelleby/poldat), from UCDP GED 23.1",
                  "release": "2024-03-05", "file": BRD,
                  "via": "GitHub kvelleby/poldat, data/ucdpbrds.rda, commit "
                         "08e64572d682cd1c1d6546c8a996a8f7dabaa78f"},
                 {"title": "UCDP Georeferenced Event Dataset (GED) Global version 23.1", "path": URL,
                  "publisher": "Uppsala Conflict Data Program (UCDP)", "release": "2023 (v23.1)",
                  "file": BRD}],
        licenses=[MIT, UCDP_TERMS],
        citation=("Vestby, Jonas. poldat (R package), dataset ucdpbrds, https://github.com/kvelleby/poldat, "
                  "derived from Sundberg, Ralph & Erik Melander (2013). Introducing the UCDP Georeferenced "
                  "Event Dataset. Journal of Peace Research 50(4): 523–532 (UCDP GED 23.1)."),
        bibtex="\n".join([
            bibtex_entry("misc", "poldat_ucdpbrds", author="Vestby, Jonas",
                         title="poldat: ucdpbrds country-year battle deaths (from UCDP GED 23.1)",
                         year="2024",
                         url="https://github.com/kvelleby/poldat"),
            bibtex_entry("article", "sundberg2013ged", author="Sundberg, Ralph and Melander, Erik",
                         title="Introducing the UCDP Georeferenced Event Dataset",
                         journal="Journal of Peace Research",
                         volume="50", number="4", pages="523--532", year="2013")]),
        caveats=[
            "THIRD-PARTY AGGREGATE, not UCDP's own Battle-Related Deaths dataset, and not per conflict: it "
            "sums all state-based violence located in each country (Azerbaijan: in practice conflict 388, "
            "plus 396 in 1993 and 1995).",
            "Deaths in Nagorno-Karabakh and the surrounding districts count for Azerbaijan (where they "
            "happened), whoever died.",
            "Use as an order-of-magnitude cross-check: the panel publishes Armenia 2022 with low 154 above "
            "high 153 (the build raises high to 154; see the notes), Armenia and Azerbaijan both show 154 "
            "for 2022 (possibly one event set counted in both), and the package's script mentions GED 25.1 "
            "while its data and manual say 23.1.",
            "Counts are of people killed in fighting reported in open sources; they are lower bounds, and "
            "civilian deaths in one-sided violence are not included.",
        ],
        notes=["Columns kept: country_name (as country), year, best, low, high, gwcode, source; dropped the "
               "capital and cShapes fields."]
              + quirks,
        df=df, primary_key=["country", "year"],
    )


def build(sources: Path, curated: Path) -> list[Resource]:
    return [armed_conflict(sources), battle_deaths(sources)]
