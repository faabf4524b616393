"""World Bank WDI: GDP (current US$) and total population → ``economy``.

Raw files: ../shared/sources/world_bank/ (see PROVENANCE.md).
"""
from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pandas as pd

from builders._countries import country
from builders.common import CC_BY_4, Resource, bibtex_entry, field_

DIR = "world_bank"
GDP = "WDI_GDP_current_USD_1996-2023_ARM_AZE_GEO_TUR_IRN_RUS.csv"
POP = "WDI_SP.POP.TOTL_1960-2025_ARM_AZE_GEO_TUR_IRN_RUS.csv"
URL = "https://databank.worldbank.org/source/world-development-indicators"
INDICATORS = {
    "NY.GDP.MKTP.CD": ("GDP (current US$)",
                       "current US$ (units, not millions), converted at each year's official exchange rate"),
    "SP.POP.TOTL": ("Population, total", "persons (de facto residents, all ages)"),
}


def _value(s: str, what: str) -> float | None:
    s = s.strip()
    if s in ("", ".."):  # WDI's missing markers
        return None
    try:
        return float(s)
    except ValueError:
        raise ValueError(f"{what}: {s!r} is not a number (allowed: number, '..' or empty)") from None


def _gdp(path: Path) -> tuple[list[dict], str]:
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"))))
    header = rows[0]
    ycols = [(i, int(m.group(1))) for i, h in enumerate(header)
             if (m := re.fullmatch(r"(\d{4}) \[YR\d{4}\]", h))]
    updated = next((r[0].split(":", 1)[1].strip() for r in rows if r and r[0].startswith("Last Updated")), "")
    recs = []
    for r in rows[1:]:
        if len(r) < 4 or r[1] not in INDICATORS:
            continue
        for i, y in ycols:
            v = _value(r[i], f"{path.name} {r[2]} {y}")
            if v is not None:
                recs.append({"country": country(r[2]), "year": y, "indicator": r[1], "value": v})
    return recs, pd.Timestamp(updated).strftime("%Y-%m-%d") if updated else "unknown"


def _pop(path: Path) -> tuple[list[dict], str]:
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"))))
    updated = next((r[1] for r in rows if r and r[0] == "Last Updated Date"), "unknown")
    hi = next(i for i, r in enumerate(rows) if r and r[0] == "Country Name")
    header = rows[hi]
    ycols = [(i, int(h)) for i, h in enumerate(header) if re.fullmatch(r"\d{4}", h)]
    recs = []
    for r in rows[hi + 1:]:
        if len(r) < 4 or r[3] not in INDICATORS:
            continue
        for i, y in ycols:
            v = _value(r[i] if i < len(r) else "", f"{path.name} {r[0]} {y}")
            if v is not None:
                recs.append({"country": country(r[0]), "year": y, "indicator": r[3], "value": v})
    return recs, updated


def economy(sources: Path) -> Resource:
    gdp, gdp_updated = _gdp(sources / DIR / GDP)
    pop, pop_updated = _pop(sources / DIR / POP)
    df = pd.DataFrame(gdp + pop)
    df["indicator_name"] = df["indicator"].map(lambda c: INDICATORS[c][0])
    df["unit"] = df["indicator"].map(lambda c: INDICATORS[c][1])
    df = df.sort_values(["country", "indicator", "year"], kind="mergesort").reset_index(drop=True)
    fields = [
        field_("country", "string",
               "Country (WDI's 'Russian Federation', 'Iran, Islamic Rep.', 'Turkiye' normalised).",
               required=True, enum=sorted(df["country"].unique())),
        field_("year", "integer", "Calendar year.", required=True, minimum=1960,
               maximum=int(df["year"].max())),
        field_("indicator", "string",
               "WDI indicator code: NY.GDP.MKTP.CD = GDP in current US$ (units, not millions); "
               "SP.POP.TOTL = total population (persons).", required=True, enum=sorted(INDICATORS)),
        field_("value", "number", "Value in the indicator's unit (see `unit`).", required=True, minimum=0),
        field_("indicator_name", "string", "WDI's name for the indicator.", required=True),
        field_("unit", "string", "Unit of `value`.", required=True),
    ]
    return Resource(
        name="economy",
        title=("World Bank WDI: GDP (current US$) and population, "
               "Armenia, Azerbaijan, Georgia, Turkey, Iran, Russia"),
        description=("GDP in current US$ (1996–2023, WDI DataBank export updated " + gdp_updated
                     + ") and total population "
                     "(1960–2024, WDI bulk file updated " + pop_updated
                     + "), one row per country, year and indicator."),
        fields=fields,
        sources=[
            {"title": "World Development Indicators: GDP (current US$), NY.GDP.MKTP.CD", "path": URL,
             "publisher": "World Bank", "release": gdp_updated, "file": GDP,
             "via": "GitHub TdeKoning21/Ukraine-Trade-Shift-Project, Data/World_Bank_GDP.csv, commit "
                    "4b41e9f90473cabac59f476c3b1e31aa9c455746"},
            {"title": "World Development Indicators: Population, total, SP.POP.TOTL", "path": URL,
             "publisher": "World Bank", "release": pop_updated, "file": POP,
             "via": "GitHub satwika8523/world-population-intelligence-platform, "
                    "data/API_SP.POP.TOTL_DS2_en_csv_v2_282912.csv, commit "
                    "8bc351d33947ee7471f3e09a6374acd9999c2120"},
        ],
        licenses=[CC_BY_4],
        citation=("World Bank, World Development Indicators: GDP (current US$) (NY.GDP.MKTP.CD), last "
                  f"updated {gdp_updated}; Population, total (SP.POP.TOTL), last updated {pop_updated}. "
                  f"{URL} (CC BY 4.0)"),
        bibtex=bibtex_entry("misc", "worldbank_wdi", author="{World Bank}",
                            title="{World Development Indicators}",
                            note=f"GDP (current US\\$) updated {gdp_updated}; population updated "
                                 f"{pop_updated}", url=URL),
        caveats=[
            "GDP is in current US dollars: it mixes real growth, inflation and exchange-rate swings (e.g. "
            "Azerbaijan's GDP in US$ drops by about half from 2014 to 2016; check prices and the exchange "
            "rate before reading that as a real contraction). Compare countries' sizes, not growth rates.",
            "GDP values are in US$ units (e.g. 1.2e10 = 12 billion), not millions; divide by 1e9 for "
            "billions.",
            "Azerbaijan's population figures are official national estimates; they say nothing about who "
            "lived in Nagorno-Karabakh under de facto control, and the 2023 exodus is not visible in them.",
            "The GDP and population files come from different WDI updates (2024 and 2026); WDI revises past "
            "years.",
        ],
        notes=[
            "The population file committed upstream contained git merge-conflict markers and two copies of "
            "the data; the research extract took the first copy (ARM/AZE/GEO lines identical in both).",
            "Empty and '..' cells (no data, e.g. population 2025) give no row.",
        ],
        df=df, primary_key=["country", "indicator", "year"],
    )


def build(sources: Path, curated: Path) -> list[Resource]:
    return [economy(sources)]
