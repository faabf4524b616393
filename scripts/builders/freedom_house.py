"""Freedom House, Freedom in the World: ratings 1973–2024 editions and scores 2013–2025 editions.

Raw files: ../shared/sources/freedom_house/ (see PROVENANCE.md). The Nations in Transit spot-check
file there is used by the seeds builder, not here.
"""
from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pandas as pd

from builders._countries import country
from builders.common import Resource, bibtex_entry, field_

DIR = "freedom_house"
RATINGS = "FIW_ratings_statuses_1973-2024_editions_selected_long.csv"
SCORES = "FIW_2013-2025_editions_raw_selected.csv"
URL = "https://freedomhouse.org/report/freedom-world"
METHOD_URL = "https://freedomhouse.org/reports/freedom-world/freedom-world-research-methodology"
FH_TERMS = {
    "name": "FH-terms",
    "title": ("No licence stated in the files. Freedom House publishes the data for free public download; "
              "cite 'Freedom House, Freedom in the World <edition>'."),
    "path": URL,
}
STATUS = {"F": "Free", "PF": "Partly Free", "NF": "Not Free"}

# Sub-scores: (column, maximum, meaning). Meanings paraphrase Freedom House's methodology questions.
SUBSCORES = [
    ("A1", 4, "A1: was the head of government chosen in free and fair elections?"),
    ("A2", 4, "A2: were the national legislators chosen in free and fair elections?"),
    ("A3", 4, "A3: are the electoral laws and framework fair and impartially applied?"),
    ("A", 12, "A: Electoral Process subcategory (A1+A2+A3)"),
    ("B1", 4, "B1: can people organise political parties and groupings freely?"),
    ("B2", 4, "B2: does the opposition have a realistic chance of gaining power through elections?"),
    ("B3", 4,
     "B3: are people's political choices free from domination by the military, foreign powers, religious "
              "hierarchies, economic oligarchies or other unaccountable forces?"),
    ("B4", 4,
     "B4: do all segments of the population (ethnic, religious, gender and other groups) have full political "
     "rights?"),
    ("B", 16, "B: Political Pluralism and Participation subcategory (B1..B4)"),
    ("C1", 4, "C1: do the freely elected head of government and legislators actually set government policy?"),
    ("C2", 4, "C2: are safeguards against official corruption strong and effective?"),
    ("C3", 4, "C3: does the government operate with openness and transparency?"),
    ("C", 12, "C: Functioning of Government subcategory (C1+C2+C3)"),
    ("add_q", 4,
     "Additional discretionary question Q (called B before the 2018 edition): is the government or occupying "
                 "power deliberately changing the ethnic composition of a country or territory to destroy a "
                 "culture or tip the political balance? Scored 0–4 and SUBTRACTED from the political rights "
                 "score"),
    ("add_a", 4,
     "Additional discretionary question A (traditional monarchies without parties or elections: does the "
                 "system allow consultation and discussion of policy?). Added to political rights; dropped "
                 "from the 2018 edition on (empty then)"),
    ("D1", 4, "D1: are there free and independent media?"),
    ("D2", 4, "D2: are people free to practise and express their religious faith or non-belief?"),
    ("D3", 4, "D3: is there academic freedom, free from political indoctrination?"),
    ("D4", 4,
     "D4: can people express their views on political or sensitive topics without fear of surveillance or "
     "retribution?"),
    ("D", 16, "D: Freedom of Expression and Belief subcategory (D1..D4)"),
    ("E1", 4, "E1: is there freedom of assembly?"),
    ("E2", 4,
     "E2: are non-governmental organisations, particularly human-rights and governance ones, free to work?"),
    ("E3", 4, "E3: are trade unions and similar professional or labour organisations free?"),
    ("E", 12, "E: Associational and Organizational Rights subcategory (E1+E2+E3)"),
    ("F1", 4, "F1: is the judiciary independent?"),
    ("F2", 4, "F2: does due process prevail in civil and criminal matters?"),
    ("F3", 4, "F3: are people protected from illegitimate use of force and free from war and insurgencies?"),
    ("F4", 4,
     "F4: do laws, policies and practices guarantee equal treatment of the various segments of the "
     "population?"),
    ("F", 16, "F: Rule of Law subcategory (F1..F4)"),
    ("G1", 4, "G1: can people move freely and change their residence, employment or education?"),
    ("G2", 4,
     "G2: can people own property and run private businesses without undue interference by state or "
     "non-state actors?"),
    ("G3", 4,
     "G3: do people enjoy personal social freedoms (choice of partner, family size, protection from domestic "
     "violence)?"),
    ("G4", 4, "G4: do people enjoy equality of opportunity and freedom from economic exploitation?"),
    ("G", 16, "G: Personal Autonomy and Individual Rights subcategory (G1..G4)"),
]
# Source column → output column, for the columns that are renamed.
RENAME = {"Country/Territory": "country", "Region": "region", "C/T": "country_or_territory",
          "Edition": "edition",
          "Status": "status", "PR rating": "pr_rating", "CL rating": "cl_rating", "Add Q": "add_q",
          "Add A": "add_a",
          "PR": "political_rights_score", "CL": "civil_liberties_score", "Total": "total"}

CAVEATS_COMMON = [
    "Ratings (political_rights, civil_liberties) run 1–7 where 1 = MOST free and 7 = LEAST free. "
    "Scores (total 0–100, political rights 0–40, civil liberties 0–60) run the other way: higher = freer.",
    "Edition N covers events of calendar year N−1 (e.g. the 2021 edition describes 2020).",
    "Nagorno-Karabakh is rated as a TERRITORY (not a country) for the area under the de facto authorities; "
    "Freedom House stopped rating it after the 2024 edition (which covers 2023, the year of the offensive "
    "and exodus).",
    "Freedom House's ratings are expert judgements; the methodology and the status thresholds changed over "
    "time (e.g. thresholds in 2003, the 2018 questionnaire change).",
]


def _year_end(label: str) -> int:
    """Last calendar year in a 'year under review' label such as '1990' or 'Nov.1988-Dec.1989'."""
    years = re.findall(r"\d{4}", label)
    if not years:
        raise ValueError(f"{RATINGS}: year_under_review {label!r} has no four-digit year")
    return int(years[-1])


def _rating(v: str, what: str) -> int:
    if not re.fullmatch(r"[1-7]", v):
        raise ValueError(f"{what}: rating {v!r} not allowed (allowed: 1..7, or '-' for not rated in all "
                         "three columns)")
    return int(v)


def freedom_ratings(sources: Path) -> Resource:
    path = sources / DIR / RATINGS
    raw = pd.read_csv(path, dtype=str, keep_default_na=False)
    not_rated = (raw[["PR", "CL", "Status"]] == "-")
    partial = raw[not_rated.any(axis=1) & ~not_rated.all(axis=1)]
    if len(partial):
        raise ValueError(f"{path.name}: rows with only some of PR/CL/Status missing: "
                         f"{partial.to_dict('records')}")
    rated = raw[~not_rated.all(axis=1)]
    recs = []
    for r in rated.itertuples(index=False):
        what = f"{path.name} {r.country_or_territory} {r.survey_edition}"
        if r.Status not in STATUS:
            raise ValueError(f"{what}: status {r.Status!r}; allowed {sorted(STATUS)}")
        recs.append({
            "country": country(r.country_or_territory), "edition": r.survey_edition,
            "year_under_review": r.year_under_review, "year": _year_end(r.year_under_review),
            "territory": r.sheet.startswith("Territory"),
            "political_rights": _rating(r.PR, what), "civil_liberties": _rating(r.CL, what),
            "status": r.Status,
        })
    df = pd.DataFrame(recs).sort_values(["country", "year"], kind="mergesort").reset_index(drop=True)
    if df.duplicated(["country", "year"]).any():
        raise ValueError(f"{path.name}: two editions cover the same year for one country")
    fields = [
        field_("country", "string",
               "Country, or territory for Nagorno-Karabakh; 'USSR' for the Soviet Union (editions to "
               "1990-91).",
               required=True, enum=sorted(df["country"].unique())),
        field_("edition", "string",
               "Freedom in the World survey edition as FH labels it (e.g. 'Jan.-Feb. 1973', '1991-92', "
               "'2024').",
               required=True),
        field_("year_under_review", "string",
               "Period the edition covers, as FH labels it (a year, or a range such as "
               "'Nov.1988-Dec.1989' for the 1980s editions).", required=True),
        field_("year", "integer",
               "Last calendar year of the period under review (for plotting; derived by nkteach "
               "from year_under_review).", required=True, minimum=1972, maximum=2023),
        field_("territory", "boolean", "True for a territory rating (Nagorno-Karabakh), false for a "
                                       "country.", required=True),
        field_("political_rights", "integer", "Political rights rating, 1 = most free, 7 = least free.",
               required=True,
               minimum=1, maximum=7),
        field_("civil_liberties", "integer", "Civil liberties rating, 1 = most free, 7 = least free.",
               required=True,
               minimum=1, maximum=7),
        field_("status", "string", "Freedom status: F = Free, PF = Partly Free, NF = Not Free.",
               required=True,
               enum=["F", "PF", "NF"]),
    ]
    return Resource(
        name="freedom_ratings",
        title="Freedom House ratings and status, 1973–2024 editions",
        description=("Political rights and civil liberties ratings (1–7, 1 = most free) and freedom status "
                     "for Armenia, Azerbaijan, Georgia, Iran, Russia, Turkey, the USSR and the territory "
                     "Nagorno-Karabakh, one row per country and Freedom in the World edition."),
        fields=fields,
        sources=[{"title": "Freedom in the World: Country and Territory Ratings and Statuses, 1973-2024",
                  "path": URL,
                  "publisher": "Freedom House", "release": "2024 (1973–2024 editions workbook)",
                  "file": RATINGS,
                  "via": "GitHub TdeKoning21/Ukraine-Trade-Shift-Project, "
                         "Data/Country_and_Territory_Ratings_and_Statuses_FIW_1973-2024.xlsx, commit "
                         "4b41e9f90473cabac59f476c3b1e31aa9c455746"}],
        licenses=[FH_TERMS],
        citation="Freedom House, Freedom in the World: Country and Territory Ratings and Statuses, "
                 f"1973–2024. {URL}",
        bibtex=bibtex_entry("misc", "fh_fiw_ratings_2024", author="{Freedom House}",
                            title="Freedom in the World: Country and Territory Ratings and Statuses, "
                                  "1973--2024",
                            year="2024", url=URL),
        caveats=CAVEATS_COMMON + [
            "Not every year has an edition: the 1980s editions cover irregular periods, and there is no "
            "separate edition for 1981. Use `year`, do not assume consecutive years.",
            "Until 2003 an average rating of 3.0–5.5 could be Partly Free and 5.5–7.0 Not Free; from 2003 "
            "the Partly Free band is 3.0–5.0 (FH's key).",
        ],
        notes=[
            "Rows where FH gives '-' for PR, CL and status (not rated: the country did not exist yet) were "
            "dropped; no row has only some of them missing.",
            "Added `year` (last year of year_under_review) and `territory` (from the workbook sheet name).",
        ],
        df=df, primary_key=["country", "edition"],
        extra={"scale_direction": "ratings: 1 = most free, 7 = least free"},
    )


def _score(v: str, what: str) -> int | None:
    if v == "N/A":
        return None
    if not re.fullmatch(r"-?\d+", v):
        raise ValueError(f"{what}: {v!r} is not an integer score (allowed: integer or 'N/A')")
    return int(v)


def freedom_scores(sources: Path) -> Resource:
    path = sources / DIR / SCORES
    lines = path.read_text(encoding="utf-8").splitlines()
    if not lines[0].startswith("Freedom in the World 2013-2025"):
        raise ValueError(f"{path.name}: unexpected title line {lines[0]!r}")
    rows = list(csv.reader(io.StringIO("\n".join(lines[1:]))))
    header, body = rows[0], [r for r in rows[1:] if r]
    sub = [c for c, _, _ in SUBSCORES]
    src_for = {RENAME.get(h, h): h for h in header}
    missing = [c for c in ["country", "region", "country_or_territory", "edition", "status", "pr_rating",
                           "cl_rating",
                           "political_rights_score", "civil_liberties_score",
                           "total"] + sub if c not in src_for]
    if missing:
        raise ValueError(f"{path.name}: columns {missing} not found in header {header}")
    recs, notes = [], []
    for r in body:
        d = dict(zip(header, r))
        what = f"{path.name} {d['Country/Territory']} {d['Edition']}"
        rec = {"country": country(d["Country/Territory"]), "edition": int(d["Edition"]),
               "territory": {"c": False, "t": True}[d["C/T"]], "region": d["Region"], "status": d["Status"],
               "pr_rating": _rating(d["PR rating"], what), "cl_rating": _rating(d["CL rating"], what)}
        if rec["status"] not in STATUS:
            raise ValueError(f"{what}: status {rec['status']!r}; allowed {sorted(STATUS)}")
        for out in ["political_rights_score", "civil_liberties_score", "total"] + sub:
            rec[out] = _score(d[src_for[out]], what)
        for c in sub + ["civil_liberties_score", "total"]:
            if c != "add_a" and rec[c] is None:
                raise ValueError(f"{what}: {c} is N/A; only add_a may be N/A")
        # Internal consistency: Freedom House's own sums.
        pr_calc = rec["A"] + rec["B"] + rec["C"] - rec["add_q"] + (rec["add_a"] or 0)
        checks = {"political_rights_score": pr_calc,
                  "civil_liberties_score": rec["D"] + rec["E"] + rec["F"] + rec["G"],
                  "total": rec["political_rights_score"] + rec["civil_liberties_score"]}
        for k in "ABCDEFG":
            checks[k] = sum(rec[c] for c in sub if re.fullmatch(k + r"\d", c))
        for k, v in checks.items():
            if rec[k] != v:
                notes.append(f"{what}: {k} = {rec[k]} but its parts sum to {v} (kept as published).")
        recs.append(rec)
    df = pd.DataFrame(recs)
    df["add_a"] = df["add_a"].astype("Int64")
    df = df.sort_values(["country", "edition"], kind="mergesort").reset_index(drop=True)
    maxes = {c: m for c, m, _ in SUBSCORES}
    meanings = {c: d for c, _, d in SUBSCORES}
    fields = [
        field_("country", "string",
               "Country, or the territory Nagorno-Karabakh (as FH scored it, 2013–2024 editions).",
               required=True, enum=sorted(df["country"].unique())),
        field_("edition", "integer", "Freedom in the World edition; it covers calendar year edition − 1.",
               required=True,
               minimum=2013, maximum=2025),
        field_("territory", "boolean", "True where FH scores a territory (C/T = t), false for a country.",
               required=True),
        field_("region", "string", "FH's world region.", required=True),
        field_("status", "string", "Freedom status: F = Free, PF = Partly Free, NF = Not Free.",
               required=True,
               enum=["F", "PF", "NF"]),
        field_("total", "integer",
               "Total score, 0–100, higher = freer (political rights + civil liberties scores). Can be below "
               "0 when the discretionary question Q subtracts points (Nagorno-Karabakh 2024 edition: −3).",
               required=True, minimum=-4, maximum=100),
        field_("political_rights_score", "integer", "Political rights score, 0–40, higher = freer "
               "(A + B + C − add_q [+ add_a before 2018]); can be negative.", required=True, minimum=-4,
               maximum=40),
        field_("civil_liberties_score", "integer",
               "Civil liberties score, 0–60, higher = freer (D + E + F + G).",
               required=True, minimum=0, maximum=60),
        field_("pr_rating", "integer", "Political rights rating, 1 = most free, 7 = least free.",
               required=True,
               minimum=1, maximum=7),
        field_("cl_rating", "integer", "Civil liberties rating, 1 = most free, 7 = least free.",
               required=True,
               minimum=1, maximum=7),
    ] + [field_(c, "integer", meanings[c] + f". Score 0–{maxes[c]}, higher = freer"
                + (" (but add_q counts AGAINST freedom: it is subtracted)" if c == "add_q" else "") + ".",
                **({} if c == "add_a" else {"required": True}), minimum=0, maximum=maxes[c]) for c in sub]
    return Resource(
        name="freedom_scores",
        title="Freedom House Freedom in the World scores, 2013–2025 editions",
        description=("Freedom in the World aggregate and sub-category scores (higher = freer) for Armenia, "
                     "Azerbaijan, Georgia, Iran, Russia, Turkey and the territory Nagorno-Karabakh, one row "
                     "per country and edition."),
        fields=fields,
        sources=[{"title": "Freedom in the World 2013-2025 Raw Data", "path": URL,
                  "publisher": "Freedom House",
                  "release": "2025 (editions 2013–2025)", "file": SCORES,
                  "via": "GitHub VizualOptima/Freedom_Index, All_data_FIW_2013-2024.xlsx (sheet FIW13-25), "
                         "commit 559701bea3d062b9b75ea0fdb60278c14078e09a"}],
        licenses=[FH_TERMS],
        citation=f"Freedom House, Freedom in the World 2013–2025 Raw Data (editions 2013–2025). {URL}",
        bibtex=bibtex_entry("misc", "fh_fiw_scores_2025", author="{Freedom House}",
                            title="Freedom in the World 2013--2025 Raw Data", year="2025", url=URL),
        caveats=CAVEATS_COMMON + [
            "Sub-score meanings paraphrase FH's methodology questions; read the methodology for exact "
            "wording: " + METHOD_URL,
            "In the 2018 edition FH dropped additional question A and renamed question B to Q.",
        ],
        notes=["'N/A' in Add A became empty.",
               "Checked FH's sums (subcategories, PR = A+B+C−Q(+A), CL = D+E+F+G, Total = PR+CL) for every "
               "row."]
              + (notes or ["All sums agree with the published aggregates."]),
        df=df, primary_key=["country", "edition"],
        extra={"scale_direction": "scores: higher = freer; ratings: 1 = most free, 7 = least free"},
    )


def build(sources: Path, curated: Path) -> list[Resource]:
    return [freedom_ratings(sources), freedom_scores(sources)]
