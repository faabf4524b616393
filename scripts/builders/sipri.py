"""SIPRI arms transfers (register, TIV by supplier, recipient totals) and military expenditure.

Raw files: ../shared/sources/sipri_arms_transfers/ and ../shared/sources/sipri_milex/ \
(see their PROVENANCE.md).
"""
from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pandas as pd

from builders._countries import country
from builders.common import Resource, bibtex_entry, field_

ARMS_DIR = "sipri_arms_transfers"
MILEX_DIR = "sipri_milex"
REGISTER = "trade_register_ARM_AZE_GEO_TUR_IRN_generated_2025-03-13.csv"
TIV_DIR = "tiv_imports_by_supplier_1950-2021_generated_2022-04-22"
TOTALS = "import-export-values_1950-2023_recipient_totals_selected.csv"
MILEX = "milex_1949-2025_v1.2_ARM_AZE_GEO_RUS_IRN_TUR_long.csv"
MILEX_LOCAL_WIDE = "milex_1949-2025_v1.2_Local_currency_calendar_years_wide.csv"
MILEX_FOOTNOTES = "milex_1949-2025_v1.2_footnotes_selected.csv"

ARMS_URL = "https://www.sipri.org/databases/armstransfers"
MILEX_URL = "https://www.sipri.org/databases/milex"
SIPRI_PUBLISHER = "Stockholm International Peace Research Institute (SIPRI)"
# braced: a corporate author, not a person
SIPRI_AUTHOR = "{Stockholm International Peace Research Institute}"
SIPRI_TERMS = {
    "name": "SIPRI-terms-of-use",
    "title": ("© SIPRI. Free to download and cite for non-commercial use if SIPRI is credited; calculations "
              "made from the data must not be attributed to SIPRI; fair use means non-commercial use of less "
              "than 10% of a data set (so only the region is kept). No open licence."),
    "path": "https://www.sipri.org/",
}
TIV_CAVEATS = [
    "TIV (SIPRI trend-indicator value) measures the volume of military capability transferred, in "
    "millions of TIV. It is NOT money: do not read it as US dollars or as the price of a deal.",
    "A 0 means deliveries of more than 0 but less than 0.5 million TIV; a missing value means SIPRI "
    "identified no delivery. They are not the same thing.",
    "SIPRI revises the whole database every year: the 2022, 2024 and 2025 exports used here can give "
    "different values for the same deal or year. Do not mix releases in one chart without saying so.",
    "Figures are SIPRI's estimates from open sources; secret or unreported deals are missing.",
]

# Recipient names used in the 2022 file titles and the 2024 totals file.
_WORLD = {"Total world import": "World"}


def _read_lines(path: Path, encoding: str = "utf-8") -> list[list[str]]:
    return list(csv.reader(io.StringIO(path.read_text(encoding=encoding))))


def _num(s: str, what: str) -> float | None:
    s = s.strip()
    if s == "":
        return None
    try:
        return float(s)
    except ValueError:
        raise ValueError(f"{what}: {s!r} is not a number (allowed: a number or an empty cell)") from None


def _int_or_none(s: str, what: str) -> int | None:
    v = _num(s, what)
    if v is None:
        return None
    if not float(v).is_integer():
        raise ValueError(f"{what}: {s!r} is not a whole number")
    return int(v)


# ---------------------------------------------------------------------------- arms_deals
def _register_generated(lines: list[str]) -> str:
    for ln in lines:
        m = re.search(r"Data generated: (\d+ \w+ \d{4})", ln)
        if m:
            return pd.Timestamp(m.group(1)).strftime("%Y-%m-%d")
    raise ValueError(f"{REGISTER}: no 'Data generated:' line in the SIPRI header")


def arms_deals(sources: Path) -> Resource:
    path = sources / ARMS_DIR / REGISTER
    # SIPRI's export is ISO-8859-1 ("Türkiye" is byte 0xFC); 11 note lines precede the header.
    text = path.read_text(encoding="latin-1")
    head = text.splitlines()[:11]
    generated = _register_generated(head)
    rows = list(csv.reader(io.StringIO("\n".join(text.splitlines()[11:]))))
    header, body = rows[0], [r for r in rows[1:] if any(c.strip() for c in r)]
    expected = ["Recipient", "Supplier", "Year of order", " ", "Number ordered", " ", "Weapon designation",
                "Weapon description", "Number delivered", " ", "Year(s) of delivery", "status", "Comments",
                "SIPRI TIV per unit", "SIPRI TIV for total order", "SIPRI TIV of delivered weapons"]
    if header != expected:
        raise ValueError(f"{path.name}: unexpected header {header}; expected {expected}")
    out = []
    for i, r in enumerate(body, start=13):
        if len(r) != len(expected):
            raise ValueError(f"{path.name} line {i}: {len(r)} cells, expected {len(expected)}")
        for j in (3, 5, 9):
            if r[j] not in ("", "?"):
                raise ValueError(f"{path.name} line {i}: uncertainty flag {r[j]!r}; allowed '' or '?'")
        out.append({
            "recipient": country(r[0]), "supplier": country(r[1]),
            "order_year": _int_or_none(r[2], f"{path.name} line {i} Year of order"),
            "order_year_uncertain": r[3] == "?",
            "number_ordered": _int_or_none(r[4], f"{path.name} line {i} Number ordered"),
            "number_ordered_uncertain": r[5] == "?",
            "designation": r[6].strip(), "description": r[7].strip(),
            "number_delivered": _int_or_none(r[8], f"{path.name} line {i} Number delivered"),
            "number_delivered_uncertain": r[9] == "?",
            "delivery_years": r[10].strip() or None,
            "status": r[11].strip(), "comments": r[12].strip() or None,
            "tiv_per_unit": _num(r[13], f"{path.name} line {i} TIV per unit"),
            "tiv_total_order": _num(r[14], f"{path.name} line {i} TIV for total order"),
            "tiv_delivered": _num(r[15], f"{path.name} line {i} TIV of delivered weapons"),
        })
    df = pd.DataFrame(out)
    for c in ("order_year", "number_ordered", "number_delivered"):
        df[c] = df[c].astype("Int64")
    key = ["recipient", "supplier", "order_year", "designation", "description", "number_ordered",
           "delivery_years", "comments", "tiv_delivered"]
    df = df.sort_values(key, na_position="first", kind="mergesort").reset_index(drop=True)
    df.insert(0, "deal_id", range(1, len(df) + 1))
    statuses = sorted(df["status"].unique())
    fields = [
        field_("deal_id", "integer",
               "Row number after sorting by recipient, supplier, order year, designation "
               "(assigned by the nkteach build, not a SIPRI identifier; stable for this release).",
               required=True, unique=True, minimum=1),
        field_("recipient", "string", "Receiving country (SIPRI's name; 'Turkiye' normalised to 'Turkey').",
               required=True),
        field_("supplier", "string",
               "Supplying country as SIPRI names it (e.g. 'Soviet Union', 'unknown supplier(s)').",
               required=True),
        field_("order_year", "integer", "Year the order or agreement was made (SIPRI).", minimum=1900,
               maximum=2030),
        field_("order_year_uncertain", "boolean",
               "True where SIPRI marks the order year with '?' (uncertain).", required=True),
        field_("number_ordered", "integer",
               "Number of items ordered; empty where SIPRI says data are not yet available.",
               minimum=0),
        field_("number_ordered_uncertain", "boolean", "True where SIPRI marks the number ordered with '?'.",
               required=True),
        field_("designation", "string", "Weapon designation, e.g. 'T-90S', 'Bayraktar TB2'.", required=True),
        field_("description", "string", "SIPRI's weapon description, e.g. 'tank', 'armed UAV'.",
               required=True),
        field_("number_delivered", "integer", "Number of items delivered (all delivery years together).",
               minimum=0),
        field_("number_delivered_uncertain", "boolean",
               "True where SIPRI marks the number delivered with '?'.",
               required=True),
        field_("delivery_years", "string", "Year(s) of delivery as SIPRI lists them, separated by '; ' "
               "(e.g. '2013; 2014; 2015'); empty if no delivery has been identified."),
        field_("status", "string", "New or second-hand equipment (SIPRI).", required=True, enum=statuses),
        field_("comments", "string", "SIPRI's free-text comment on the deal (may name a price in US$; "
               "that is a reported deal value, not TIV)."),
        field_("tiv_per_unit", "number", "SIPRI TIV per item, in millions of TIV (not US$).", minimum=0),
        field_("tiv_total_order", "number", "SIPRI TIV of the whole order, in millions of TIV (not US$); "
               "empty where the number ordered or the TIV per unit is unknown.", minimum=0),
        field_("tiv_delivered", "number",
               "SIPRI TIV of the weapons delivered so far (all delivery years together), "
               "in millions of TIV (not US$). 0 = more than 0 but under 0.5; empty = no delivery identified.",
               minimum=0),
    ]
    n_flags = {c: int(df[c].sum()) for c in ("order_year_uncertain", "number_ordered_uncertain",
                                              "number_delivered_uncertain")}
    return Resource(
        name="arms_deals",
        title="SIPRI arms trade register: deals with Armenia, Azerbaijan, Georgia, Turkey and Iran",
        description=("One row per arms deal in SIPRI's trade register (export generated " + generated
                     + ") where the recipient is Armenia, Azerbaijan, Georgia, Turkey or Iran, or the "
                     "supplier is Armenia, Azerbaijan or Georgia. Deliveries up to 2024."),
        fields=fields,
        sources=[{
            "title": "SIPRI Arms Transfers Database: trade register", "path": ARMS_URL,
            "publisher": SIPRI_PUBLISHER, "release": generated,
            "file": REGISTER,
            "via": "GitHub ColasDroin/SIPRI_arms_transfers_analysis, trade-register.csv, commit "
                   "3439ef7d225f26de4a273cb08b051e51c8081eb9",
        }],
        licenses=[SIPRI_TERMS],
        citation=("Information from the SIPRI Arms Transfers Database, trade register (data generated "
                  f"{generated}). Stockholm International Peace Research Institute. {ARMS_URL}"),
        bibtex=bibtex_entry("misc", "sipri_arms_register_2025", author=SIPRI_AUTHOR,
                            title="{SIPRI Arms Transfers Database: Trade Register}", year="2025",
                            note=f"Data generated {generated}", url=ARMS_URL),
        caveats=TIV_CAVEATS + [
            "The register gives one deal's TIV for all its delivery years together; use arms_imports for "
            "values by year.",
            "'?' in the source marks uncertain order years and numbers; the *_uncertain columns keep that "
            "mark.",
        ],
        notes=[
            "Read as ISO-8859-1 (SIPRI's encoding); the 11 note lines above the header were skipped.",
            "SIPRI's three unnamed '?' columns became the boolean columns order_year_uncertain, "
            "number_ordered_uncertain, number_delivered_uncertain (true in "
            f"{n_flags['order_year_uncertain']}, {n_flags['number_ordered_uncertain']} and "
            f"{n_flags['number_delivered_uncertain']} rows).",
            "'Turkiye' renamed 'Turkey' to match the other tables; all other names kept as SIPRI gives them.",
            "deal_id added by the build (row number after sorting); SIPRI gives no deal identifier.",
        ],
        df=df, primary_key=["deal_id"],
        extra={"release": generated, "unit": "millions of TIV (not US$)"},
    )


# ---------------------------------------------------------------------------- arms_imports (2022 export)
def _parse_tiv_table(path: Path) -> tuple[str, str, dict[str, dict[int, float]], dict[int, float], str]:
    """Return (recipient, generated, {supplier: {year: tiv}}, total_row, title) from one 2022 SIPRI export."""
    rows = _read_lines(path)
    title = rows[0][0]
    m = re.fullmatch(r"TIV of arms exports to (.+), 1950-2021", title)
    if not m:
        raise ValueError(f"{path.name}: unexpected title line {title!r}")
    generated = next((r[0].split(":", 1)[1].strip() for r in rows if r and r[0].startswith("Generated:")),
                     None)
    if not generated:
        raise ValueError(f"{path.name}: no 'Generated:' line")
    hi = next(i for i, r in enumerate(rows) if len(r) > 1 and r[1] == "1950")
    header = rows[hi]
    if header[-1] != "Total":
        raise ValueError(f"{path.name}: last column is {header[-1]!r}, expected 'Total'")
    years = [int(y) for y in header[1:-1]]
    table: dict[str, dict[int, float]] = {}
    total: dict[int, float] = {}
    for r in rows[hi + 1:]:
        if not r or not r[0].strip():
            continue
        if r[0].startswith(("Source:", "Generated:")):
            break
        cells = {y: _num(v, f"{path.name} {r[0]} {y}") for y, v in zip(years, r[1:len(years) + 1])}
        vals = {y: v for y, v in cells.items() if v is not None}
        if r[0] == "Total":
            total = vals
        else:
            table[r[0]] = vals
    return m.group(1), pd.Timestamp(generated).strftime("%Y-%m-%d"), table, total, title


def arms_imports(sources: Path) -> Resource:
    folder = sources / ARMS_DIR / TIV_DIR
    files = sorted(folder.glob("TIV_imports_to_*_1950-2021.csv"))
    if not files:
        raise FileNotFoundError(f"no TIV_imports_to_*_1950-2021.csv files in {folder}")
    recs, notes, generated = [], [], set()
    for f in files:
        recipient, gen, table, total, _ = _parse_tiv_table(f)
        generated.add(gen)
        for sup, vals in table.items():
            for y, v in vals.items():
                recs.append({"recipient": country(recipient), "supplier": country(sup), "year": y, "tiv": v})
        # Compare supplier rows with SIPRI's Total row (rounding makes them differ a little).
        diffs = []
        for y in sorted(set(total) | {y for v in table.values() for y in v}):
            s = sum(v.get(y, 0) for v in table.values())
            if abs(s - total.get(y, 0)) > 1e-9:
                diffs.append(f"{y}: suppliers {s:g} vs Total {total.get(y, 0):g}")
        if diffs:
            notes.append(f"{country(recipient)}: supplier rows do not add up to SIPRI's Total row in "
                         f"{len(diffs)} year(s) (rounding): " + "; ".join(diffs) + ".")
    if len(generated) != 1:
        raise ValueError(f"{folder}: files generated on different dates {sorted(generated)}")
    gen = generated.pop()
    df = (pd.DataFrame(recs).sort_values(["recipient", "supplier", "year"], kind="mergesort")
          .reset_index(drop=True))
    df["year"] = df["year"].astype("int64")
    fields = [
        field_("recipient", "string", "Importing country.", required=True,
               enum=sorted(df["recipient"].unique())),
        field_("supplier", "string",
               "Exporting country as SIPRI names it (2022 names, e.g. 'Unknown supplier(s)', "
               "'Soviet Union').", required=True),
        field_("year", "integer", "Year of delivery.", required=True, minimum=1950, maximum=2021),
        field_("tiv", "number",
               "Deliveries in that year, in millions of SIPRI TIV (not US$). 0 = more than 0 but "
               "under 0.5 million TIV.", required=True, minimum=0),
    ]
    return Resource(
        name="arms_imports",
        title="SIPRI arms imports by supplier and year (TIV), 1950–2021",
        description=("Volume of major conventional arms delivered to Armenia, Azerbaijan, Georgia, Iran and "
                     f"Turkey, by supplier and year, from SIPRI's TIV exports generated {gen}. One row per "
                     "recipient, supplier and year with a delivery; years with no identified delivery have "
                     "no row."),
        fields=fields,
        sources=[{
            "title": "SIPRI Arms Transfers Database: TIV of arms exports to <country>, 1950-2021",
            "path": ARMS_URL,
            "publisher": SIPRI_PUBLISHER, "release": gen,
            "file": ", ".join(f.name for f in files),
            "via": "GitHub lajh87/sipriarmsdata, data-raw/import_raw.RDS (raw SIPRI CSV bytes), commit "
                   "818b52a36d911119f14daadad79a97edbaa3cb7d",
        }],
        licenses=[SIPRI_TERMS],
        citation=(f"Information from the SIPRI Arms Transfers Database (TIV tables generated {gen}). "
                  f"Stockholm International Peace Research Institute. {ARMS_URL}"),
        bibtex=bibtex_entry("misc", "sipri_tiv_2022", author=SIPRI_AUTHOR,
                            title="{SIPRI Arms Transfers Database: Trend-Indicator Values of Arms Imports, "
                                  "1950--2021}",
                            year="2022", note=f"Generated {gen}", url=ARMS_URL),
        caveats=TIV_CAVEATS + [
            "Shares: sum a supplier's TIV over several years and divide by the sum over all suppliers (SIPRI "
            "itself uses 5-year periods because yearly deliveries are lumpy).",
            "This is the 2022 release; arms_import_totals (2024 release) can differ for the same year "
            "(e.g. Azerbaijan 2020: 28 here, 51 there).",
        ],
        notes=[
            "SIPRI's 'Total' column (sum over 1950–2021) and 'Total' row (all suppliers) were dropped: both "
            "are derivable, and keeping them would double-count in sums. Recipient totals are in "
            "arms_import_totals.",
            "Empty cells (no delivery identified) give no row; a 0 in the source is kept as 0.",
        ] + notes,
        df=df, primary_key=["recipient", "supplier", "year"],
        extra={"release": gen, "unit": "millions of TIV (not US$)"},
    )


# -------------------------------------------------------------------------- arms_import_totals (2024 release)
def arms_import_totals(sources: Path) -> Resource:
    path = sources / ARMS_DIR / TOTALS
    rows = _read_lines(path)
    header = rows[0]
    if header[0] != "Recipient":
        raise ValueError(f"{path.name}: first column is {header[0]!r}, expected 'Recipient'")
    ycols = [(i, int(h)) for i, h in enumerate(header) if re.fullmatch(r"\d{4}", h)]
    recs = []
    for r in rows[1:]:
        if not r or not r[0].strip():
            continue
        name = _WORLD.get(r[0], country(r[0]))
        for i, y in ycols:
            v = _num(r[i], f"{path.name} {r[0]} {y}")
            if v is not None:
                recs.append({"recipient": name, "year": y, "tiv": v})
    df = pd.DataFrame(recs).sort_values(["recipient", "year"], kind="mergesort").reset_index(drop=True)
    last = max(y for _, y in ycols)
    fields = [
        field_("recipient", "string", "Importing country, or 'World' for SIPRI's 'Total world import' row.",
               required=True, enum=sorted(df["recipient"].unique())),
        field_("year", "integer", "Year of delivery.", required=True, minimum=1950, maximum=last),
        field_("tiv", "number",
               "Deliveries from all suppliers in that year, in millions of SIPRI TIV (not US$). "
               "0 = more than 0 but under 0.5.", required=True, minimum=0),
    ]
    return Resource(
        name="arms_import_totals",
        title=f"SIPRI total arms imports per recipient and year (TIV), 1950–{last}",
        description=("Total volume of major conventional arms delivered to Armenia, Azerbaijan, Georgia, "
                     "Iran, Turkey and the world, all suppliers together, by year. Years with no identified "
                     "delivery have no row."),
        fields=fields,
        sources=[{
            "title": f"SIPRI Arms Transfers Database: import values 1950-{last}", "path": ARMS_URL,
            "publisher": SIPRI_PUBLISHER,
            "release": "2024-03 (inferred: the file's generation banner was removed by the uploader)",
            "file": TOTALS,
            "via": "GitHub AbhiyanshuSingh/Global-Conflict-Hotspots, import-export-values_1950-2023.csv, "
                   "commit 41c006f2ab3053271ca7845a84ec4878d74d9380",
        }],
        licenses=[SIPRI_TERMS],
        citation=(f"Information from the SIPRI Arms Transfers Database (import values 1950–{last}, 2024 "
                  f"release). Stockholm International Peace Research Institute. {ARMS_URL}"),
        bibtex=bibtex_entry("misc", "sipri_import_totals_2024", author=SIPRI_AUTHOR,
                            title=f"SIPRI Arms Transfers Database: Import Values 1950--{last}", year="2024",
                            url=ARMS_URL),
        caveats=TIV_CAVEATS + [
            "The release date is inferred (the 2023 column and the name 'Turkiye' point to March 2024); the "
            "uploader removed SIPRI's 'Data generated' line.",
            "Not split by supplier; for suppliers use arms_imports (2022 release, to 2021).",
        ],
        notes=[
            "Dropped the derived columns '1950-2023', 'Percentage', 'Sum total years', 'Percentage of "
            "total'.",
            "'Total world import' renamed 'World'; 'Turkiye' renamed 'Turkey'.",
            "Empty cells (no delivery identified) give no row; a 0 in the source is kept as 0.",
        ],
        df=df, primary_key=["recipient", "year"],
        extra={"release": "2024-03 (inferred)", "unit": "millions of TIV (not US$)"},
    )


# ---------------------------------------------------------------------------- military_expenditure
MEASURES = {
    "Constant (2024) US$": ("constant_2024_usd_m", "US$ million, constant 2024 prices and exchange rates"),
    "Current US$": ("current_usd_m", "US$ million, current prices and exchange rates"),
    "Share of GDP": ("share_of_gdp", "fraction of GDP (0.0609 = 6.09%)"),
    "Per capita": ("per_capita_usd", "US$ per person, current prices (units, not millions)"),
    "Share of Govt. spending": ("share_of_government_spending",
                                "fraction of general government expenditure (0.16 = 16%)"),
    "Local currency calendar years": ("local_currency_m", "million units of local currency, current prices"),
}
MISSING = {"...": "data unavailable", "xxx": "country did not exist or was not independent"}
BLUE = "000000FF"  # SIPRI: "Figures in blue are SIPRI estimates."


def _currencies(path: Path) -> dict[str, str]:
    rows = _read_lines(path)
    hi = next(i for i, r in enumerate(rows) if r and r[0] == "Country")
    if rows[hi][1] != "Currency":
        raise ValueError(f"{path.name}: second column is {rows[hi][1]!r}, expected 'Currency'")
    return {country(r[0]): r[1].strip() for r in rows[hi + 1:] if r and r[0].strip()}


def military_expenditure(sources: Path) -> Resource:
    folder = sources / MILEX_DIR
    raw = pd.read_csv(folder / MILEX, dtype=str, keep_default_na=False, encoding="utf-8")
    currencies = _currencies(folder / MILEX_LOCAL_WIDE)
    unknown = sorted(set(raw["sheet"]) - set(MEASURES))
    if unknown:
        raise ValueError(f"{MILEX}: unknown sheet(s) {unknown}; known: {sorted(MEASURES)}")
    recs = []
    other_colours: set[str] = set()
    for r in raw.itertuples(index=False):
        measure, unit = MEASURES[r.sheet]
        cname = country(r.country)
        if measure == "local_currency_m":
            unit = f"million {currencies[cname]}, current prices"
        v = r.value.strip()
        if v in MISSING:
            value, reason = None, MISSING[v]
        else:
            value, reason = _num(v, f"{MILEX} {r.country} {r.sheet} {r.year}"), None
            if value is None:
                raise ValueError(f"{MILEX}: empty value for {r.country} {r.sheet} {r.year}; allowed: number, "
                                 "'...', 'xxx'")
            if measure == "local_currency_m":
                value = round(value / 1e6, 6)  # the sheet is in units of currency; the measure is millions
        if r.font_color_rgb not in ("", "00000000", BLUE):
            other_colours.add(r.font_color_rgb)
        recs.append({"country": cname, "year": int(r.year), "measure": measure, "value": value,
                     "unit": unit, "estimate": value is not None and r.font_color_rgb == BLUE,
                     "missing_reason": reason, "notes_marker": r.notes_marker})
    df = (pd.DataFrame(recs).sort_values(["country", "measure", "year"], kind="mergesort")
          .reset_index(drop=True))
    df["value"] = df["value"].astype("float64")
    foot = pd.read_csv(folder / MILEX_FOOTNOTES, dtype=str, keep_default_na=False)
    fields = [
        field_("country", "string", "Country ('Türkiye' normalised to 'Turkey').", required=True,
               enum=sorted(df["country"].unique())),
        field_("year", "integer", "Calendar year.", required=True, minimum=1949,
               maximum=int(df["year"].max())),
        field_("measure", "string",
               "Which SIPRI series: constant_2024_usd_m (US$ million at constant 2024 prices), current_usd_m "
               "(US$ million, current), share_of_gdp (fraction), per_capita_usd (US$ per person, current), "
               "share_of_government_spending (fraction), local_currency_m (million local currency units, "
               "current).",
               required=True, enum=[m for m, _ in MEASURES.values()]),
        field_("value", "number",
               "The value in the measure's unit (see `unit`); empty when SIPRI has no figure "
               "(see missing_reason). Shares are FRACTIONS (0.05 = 5%), not percentages.", minimum=0),
        field_("unit", "string", "Unit of `value` for this measure.", required=True),
        field_("estimate", "boolean", "True where SIPRI prints the figure in blue, i.e. a SIPRI estimate.",
               required=True),
        field_("missing_reason", "string",
               "Why `value` is empty: SIPRI's '...' = data unavailable; 'xxx' = country "
               "did not exist or was not independent. Empty when there is a value.",
               enum=sorted(set(MISSING.values()))),
        field_("notes_marker", "string", "SIPRI's notes column for the country (symbols and footnote number; "
               "explained in the caveats).", required=True),
    ]
    caveats = [
        "Missing is not zero: '...' (unavailable) and 'xxx' (not independent) are empty values with a "
        "reason.",
        "Shares are fractions; multiply by 100 for percent. Per-capita values are in US$, the other money "
        "series in millions.",
        "Constant-dollar series remove inflation (2024 prices); current-dollar series convert each year at "
        "that year's exchange rate.",
        "SIPRI revises the whole series in every edition: values differ from earlier workbooks (e.g. "
        "constant 2022 or 2023 US$).",
        "No red ('highly uncertain') cells occur for these countries; blue cells are SIPRI estimates (all of "
        "Azerbaijan 1992–2004).",
    ] + [f"SIPRI note {r.marker_or_number}: {r.text}" for r in foot.itertuples(index=False)]
    notes = [
        "Long file read as is; sheet names mapped to the measure codes listed in the `measure` field.",
        "local_currency_m: SIPRI's local-currency sheet is in units of currency (Armenia 2020 = "
        "308,016,000,000 dram); divided by 1,000,000 and rounded to 6 decimals so the measure is in millions "
        "as its name says.",
        "'...' and 'xxx' cells became empty values with missing_reason; never 0.",
    ]
    if other_colours:
        notes.append(f"Font colours other than black/blue ({', '.join(sorted(other_colours))}) occur on "
                     "cells; SIPRI's legend gives them no meaning, so they are not flagged as estimates.")
    return Resource(
        name="military_expenditure",
        title="SIPRI military expenditure, 1949–2025: Armenia, Azerbaijan, Georgia, Russia, Iran, Turkey",
        description=("Military spending in six series (constant 2024 US$, current US$, share of GDP, per "
                     "capita, share of government spending, local currency) from the SIPRI Military "
                     "Expenditure Database v1.2 (2026)."),
        fields=fields,
        sources=[{
            "title": "SIPRI Military Expenditure Database 1949–2025, v1.2", "path": MILEX_URL,
            "publisher": SIPRI_PUBLISHER, "release": "2026-04 (v1.2)",
            "file": MILEX,
            "via": "GitHub mf111-debug/G20-Defense-Import-Dependency, SIPRI-Milex-data-1949-2025_v1.2.xlsx, "
                   "commit 8f712902fcff5470b96a2fc360f17c62a82f6104",
        }],
        licenses=[SIPRI_TERMS],
        citation=("SIPRI Military Expenditure Database 1949–2025 (v1.2), Stockholm International Peace "
                  f"Research Institute, 2026. {MILEX_URL}"),
        bibtex=bibtex_entry("misc", "sipri_milex_2026", author=SIPRI_AUTHOR,
                            title="{SIPRI Military Expenditure Database 1949--2025}", year="2026",
                            note="Version 1.2", url=MILEX_URL),
        caveats=caveats, notes=notes, df=df, primary_key=["country", "measure", "year"],
        extra={"release": "v1.2 (2026)"},
    )


def build(sources: Path, curated: Path) -> list[Resource]:
    return [arms_deals(sources), arms_imports(sources), arms_import_totals(sources),
            military_expenditure(sources)]
