"""V-Dem v15 high-level indices and Polity5 scores for Armenia, Azerbaijan and Georgia \
→ ``democracy_indices``.

Raw files: ../shared/sources/democracy_indices/ (see PROVENANCE.md; both via the R package democracyData).
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from builders._countries import country
from builders.common import Resource, bibtex_entry, field_

DIR = "democracy_indices"
VDEM = "vdem_v15_simple_ARM_AZE_GEO_via_democracyData.csv"
POLITY = "polity5_ARM_AZE_GEO_via_democracyData.csv"
VDEM_URL = "https://www.v-dem.net/data/the-v-dem-dataset/"
POLITY_URL = "https://www.systemicpeace.org/inscrdata.html"

# index → (family, description with range and direction)
INDICES = {
    "v2x_polyarchy": ("V-Dem",
                      "V-Dem Electoral Democracy Index: free and fair elections, suffrage, elected "
                      "officials, freedom of association and of expression. 0–1, higher = more democratic."),
    "v2x_libdem": ("V-Dem",
                   "V-Dem Liberal Democracy Index: electoral democracy plus constraints on the executive, "
                   "rule of law and individual liberties. 0–1, higher = more democratic."),
    "v2x_partipdem": ("V-Dem",
                      "V-Dem Participatory Democracy Index: electoral democracy plus active citizen "
                      "participation (civil society, direct democracy, local and regional government). 0–1, "
                      "higher = more democratic."),
    "v2x_delibdem": ("V-Dem",
                     "V-Dem Deliberative Democracy Index: electoral democracy plus public reasoning for the "
                     "common good in decision-making. 0–1, higher = more democratic."),
    "v2x_egaldem": ("V-Dem",
                    "V-Dem Egalitarian Democracy Index: electoral democracy plus equal protection of rights "
                    "and equal access to power and resources across groups. 0–1, higher = more democratic."),
    "v2x_api": ("V-Dem",
                "V-Dem Additive Polyarchy Index (an additive variant of the electoral democracy index). "
                "0–1, higher = more democratic."),
    "v2x_mpi": ("V-Dem",
                "V-Dem Multiplicative Polyarchy Index (a multiplicative variant of the electoral democracy "
                "index). 0–1, higher = more democratic."),
    "polity2": ("Polity5",
                "Polity5 'polity2': democracy minus autocracy score, −10 (full autocracy) to +10 (full "
                "democracy); transition years are interpolated by the publisher so that every year has a "
                "value."),
    "democ": ("Polity5", "Polity5 institutionalised democracy score, 0–10, higher = more democratic."),
    "autoc": ("Polity5", "Polity5 institutionalised autocracy score, 0–10, higher = MORE AUTOCRATIC."),
}
POLITY_CODES = {-66: "Polity code -66: interruption (foreign occupation)",
                -77: "Polity code -77: interregnum (collapse of central authority)",
                -88: "Polity code -88: transition period"}
RANGES = {"V-Dem": (0.0, 1.0), "polity2": (-10.0, 10.0), "democ": (0.0, 10.0), "autoc": (0.0, 10.0)}


def _vdem(path: Path) -> list[dict]:
    raw = pd.read_csv(path)
    recs = []
    for idx in [k for k, (fam, _) in INDICES.items() if fam == "V-Dem"]:
        for c in (idx, f"{idx}_codelow", f"{idx}_codehigh"):
            if c not in raw.columns:
                raise ValueError(f"{path.name}: column {c} missing")
        for r in raw.itertuples(index=False):
            v = getattr(r, idx)
            recs.append({"country": country(r.vdem_country_name), "year": int(r.year), "index": idx,
                         "value": None if pd.isna(v) else float(v),
                         "low": float(getattr(r, f"{idx}_codelow")),
                         "high": float(getattr(r, f"{idx}_codehigh")),
                         "source": "V-Dem v15", "note": None})
    return recs


def _polity(path: Path) -> list[dict]:
    raw = pd.read_csv(path)
    names = {"ARM": "Armenia", "AZE": "Azerbaijan", "GRG": "Georgia"}
    bad = sorted(set(raw["scode"]) - set(names))
    if bad:
        raise ValueError(f"{path.name}: unexpected scode {bad}; expected {sorted(names)}")
    recs = []
    for r in raw.itertuples(index=False):
        for idx in ("polity2", "democ", "autoc"):
            v = getattr(r, idx)
            note = None
            if pd.isna(v):
                value = None
            elif int(v) in POLITY_CODES:
                value, note = None, POLITY_CODES[int(v)]
            else:
                value = float(v)
            recs.append({"country": names[r.scode], "year": int(r.year), "index": idx, "value": value,
                         "low": None, "high": None, "source": "Polity5", "note": note})
    return recs


def democracy_indices(sources: Path) -> Resource:
    df = pd.DataFrame(_vdem(sources / DIR / VDEM) + _polity(sources / DIR / POLITY))
    for idx, (fam, _) in INDICES.items():
        lo, hi = RANGES["V-Dem"] if fam == "V-Dem" else RANGES[idx]
        vals = df.loc[df["index"] == idx, "value"].dropna()
        if ((vals < lo) | (vals > hi)).any():
            raise ValueError(f"{idx}: values outside {lo}..{hi}: {sorted(vals[(vals < lo) | (vals > hi)])}")
    df = df.sort_values(["country", "index", "year"], kind="mergesort").reset_index(drop=True)
    index_doc = " ".join(f"{k}: {d}" for k, (_, d) in INDICES.items())
    fields = [
        field_("country", "string", "Country.", required=True, enum=sorted(df["country"].unique())),
        field_("year", "integer", "Calendar year.", required=True, minimum=1990,
               maximum=int(df["year"].max())),
        field_("index", "string", "Which index. " + index_doc, required=True, enum=list(INDICES)),
        field_("value", "number",
               "Index value on the index's own scale (V-Dem 0–1; polity2 −10..+10; democ/autoc 0–10). "
               "Empty where Polity gives a special code (see note).", minimum=-10, maximum=10),
        field_("low", "number",
               "V-Dem: lower bound of the measurement-model interval (codelow, about 68%); empty for Polity.",
               minimum=0, maximum=1),
        field_("high", "number", "V-Dem: upper bound of the interval (codehigh); empty for Polity.",
               minimum=0, maximum=1),
        field_("source", "string", "Dataset the value comes from.", required=True,
               enum=["Polity5", "V-Dem v15"]),
        field_("note", "string", "Why a Polity value is empty (its special codes -66/-77/-88)."),
    ]
    n_special = int(df["note"].notna().sum())
    return Resource(
        name="democracy_indices",
        title="Democracy indices: V-Dem v15 (1990–2024) and Polity5 (1991–2018), Armenia, Azerbaijan, "
              "Georgia",
        description="Seven V-Dem high-level democracy indices and three Polity5 scores, one row per country, "
                    "year and index.",
        fields=fields,
        sources=[
            {"title": "V-Dem Country-Year Dataset v15", "path": VDEM_URL,
             "publisher": "V-Dem Institute, University of Gothenburg",
             "release": "2025 (v15)", "file": VDEM,
             "via": "R package democracyData (xmarquez/democracyData), data/vdem_simple.rda, commit "
                    "a1fd28fa86aa2a79238fdffff7eff05e420a45a7"},
            {"title": "Polity5 Project: Political Regime Characteristics and Transitions, 1800-2018",
             "path": POLITY_URL,
             "publisher": "Center for Systemic Peace", "release": "2020 (Polity5, data to 2018)",
             "file": POLITY,
             "via": "R package democracyData (xmarquez/democracyData), data/polity5.rda, snapshot "
                    "29ea0a242c296aec4ce5d5a57261420c48e527c0"},
        ],
        licenses=[{"name": "CC-BY-SA-4.0", "title": "V-Dem data: Creative Commons Attribution-ShareAlike 4.0",
                   "path": "https://creativecommons.org/licenses/by-sa/4.0/"},
                  {"name": "Polity5-terms",
                   "title": "Polity5: free for non-commercial research and teaching with citation (no open "
                            "licence stated)",
                   "path": POLITY_URL}],
        citation=("Coppedge, Michael et al. 2025. V-Dem Country-Year Dataset v15. Varieties of Democracy "
                  f"(V-Dem) Project. {VDEM_URL}; Marshall, Monty G. and Ted Robert Gurr. Polity5: Political "
                  "Regime Characteristics and Transitions, 1800–2018. Center for Systemic Peace. "
                  f"{POLITY_URL}. Both via Xavier Marquez, democracyData (R package)."),
        bibtex="\n".join([
            bibtex_entry("misc", "vdem_v15", author="Coppedge, Michael and others",
                         title="{V-Dem Country-Year Dataset v15}", year="2025",
                         publisher="Varieties of Democracy (V-Dem) Project", url=VDEM_URL),
            bibtex_entry("misc", "polity5", author="Marshall, Monty G. and Gurr, Ted Robert",
                         title="{Polity5: Political Regime Characteristics and Transitions, 1800--2018}",
                         year="2020",
                         publisher="{Center for Systemic Peace}", url=POLITY_URL)]),
        caveats=[
            "Directions differ: V-Dem indices, polity2 and democ are higher = more democratic; autoc is "
            "higher = more autocratic.",
            "V-Dem values are estimates from expert surveys with uncertainty: compare low–high intervals "
            "before calling a change real.",
            "Polity5 ends in 2018; V-Dem runs to 2024. Neither rates Nagorno-Karabakh.",
            "polity2 fills Polity's special codes (e.g. Georgia 1992–1994) by rule; democ and autoc are left "
            "empty there.",
        ],
        notes=["Polity special codes -66/-77/-88 in democ/autoc became empty values with a note "
               f"({n_special} values).",
               "Only the index, codelow and codehigh columns were kept; V-Dem's sd and the package's "
               "country-code columns dropped.",
               "The package's man page says V-Dem 'version 14' but the data run to 2024 and NEWS.md says "
               "15.0 (PROVENANCE)."],
        df=df, primary_key=["country", "index", "year"],
    )


def build(sources: Path, curated: Path) -> list[Resource]:
    return [democracy_indices(sources)]
