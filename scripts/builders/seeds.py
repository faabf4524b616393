"""Hand-curated tables derived from the five seed documents (data/curated/*.csv).

Each curated row cites its seed and section; text is the project's own paraphrase.
This builder only reads, validates and describes the tables: a bad row raises
``CurationError`` naming the file, line, row id and what is allowed. Nothing is coerced.
Derived numbers (e.g. the poll's exact shares) are left to code, not stored here.
"""
from __future__ import annotations

import csv
import datetime as dt
import re
from pathlib import Path

import pandas as pd

from .common import CC_BY_4, Resource, bibtex_entry, field_

SEED_CODES = ("000", "001", "002", "003", "004")
# A citation must name a seed code followed by a location: §section, "Heading", ¶n, note/fn n, Abstract.
CITATION_RE = re.compile(r"\b(000|001|002|003|004)\s+(§|\"|¶|note\b|notes\b|fn\b|Abstract\b|Table\b)")
DATE_RE = re.compile(r"^-?\d{4}(-\d{2}(-\d{2})?)?$")
LEVEL_CODES = ("E", "N", "I")
LEVELS = ("elite", "nation", "international")
NODE_LEVELS = LEVELS + ("outcome",)
PRECISIONS = ("year", "month", "day", "century")

SEEDS = {
    "000": {"title": "Azerbaijan's Military Offensive in Nagorno-Karabakh/Artsakh: A Risk Assessment",
            "author": "Giuliano Bifolchi; Silvia Boltuc",
            "publisher": "SpecialEurasia, Kavkaz Files (ISSN 2975-0474)",
            "release": "2023", "file": "000_b53040af5c525ab7.txt"},
    "001": {"title": "Restoration of military balance between Armenia and Azerbaijan (op-ed)",
            "author": "Benyamin Poghosyan", "publisher": "outlet not named in the seed text",
            "release": "c. 2022-08", "file": "001_71ff66b8bfe6bba1.txt"},
    "002": {"title": "Master's thesis on the intractability of the Nagorno-Karabakh conflict at three levels "
                     "of analysis",
            "author": "not named in the seed text", "publisher": "institution not named in the seed text",
            "release": "c. 2013", "file": "002_728fa6b56751f900.txt"},
    "003": {"title": "Azerbaijan's Foreign Policy Positioning towards Russia and its Impact on the Second "
                     "Nagorno-Karabakh War: A Hedging Strategy",
            "author": "Ana Jović-Lazić; Stefan Bošković",
            "publisher": "Institute of International Politics and Economics, Belgrade",
            "release": "2024", "file": "003_99136571a788a6c6.txt"},
    "004": {"title": "Diminishing Justice and Third-Party Intervention: Explaining Russia's Impartial Stance "
                     "During the 2020 Karabakh War",
            "author": "Kavus Abushov; Azar Babayev",
            "publisher": "Problems of Post-Communism 72(2):177-187 (Taylor & Francis)",
            "release": "2024-04-10 (online); 2025 (issue)", "file": "004_303a2f376638f2d0.txt",
            "path": "https://doi.org/10.1080/10758216.2024.2329881"},
}
CURATION = {"title": "nkteach curation rules and column notes", "publisher": "nkteach project",
            "release": "2026",
            "file": "data/curated/README.md"}

LICENCE_NOTE = ("The curation (selection, structure, paraphrased text) is the nkteach project's own work "
                "under CC-BY-4.0. The underlying seed documents are copyrighted works that are cited, not "
                "redistributed; no seed sentence is copied (printed table labels and cited titles are quoted "
                "as data).")


class CurationError(ValueError):
    """A hand-curated seed table is malformed; the message names file, line and problem."""


# ---------------------------------------------------------------- reading and checks
class _Table:
    def __init__(self, curated: Path, name: str, columns: list[str]):
        self.path = curated / f"{name}.csv"
        if not self.path.is_file():
            raise CurationError(f"{self.path}: curated table is missing (expected columns: "
                                f"{', '.join(columns)})")
        with self.path.open(encoding="utf-8", newline="") as f:
            reader = csv.DictReader(f)
            header = reader.fieldnames or []
            missing = [c for c in columns if c not in header]
            extra = [c for c in header if c not in columns]
            if missing or extra:
                raise CurationError(f"{self.path}: header mismatch; missing {missing}, unexpected {extra} "
                                    f"(expected exactly: {', '.join(columns)})")
            self.rows = [(i, {k: (v or "").strip() for k, v in r.items()})
                         for i, r in enumerate(reader, start=2)]
        if not self.rows:
            raise CurationError(f"{self.path}: no data rows")
        self.columns = columns

    def fail(self, line: int, row: dict, msg: str) -> None:
        key = row.get(self.columns[0], "?")
        raise CurationError(f"{self.path} line {line} ({self.columns[0]}={key!r}): {msg}")

    def require(self, line, row, *cols):
        for c in cols:
            if not row[c]:
                self.fail(line, row, f"column {c!r} is empty (required)")

    def enum(self, line, row, col, allowed, allow_empty=False):
        v = row[col]
        if (v == "" and allow_empty) or v in allowed:
            return
        self.fail(line, row, f"{col}={v!r} is not allowed (allowed: {', '.join(allowed)}"
                  + (", or empty" if allow_empty else "") + ")")

    def citation(self, line, row, col="citation"):
        v = row[col]
        if not v:
            self.fail(line, row, f"missing citation in {col!r}: every row must cite a seed code and section")
        if not CITATION_RE.search(v):
            self.fail(line, row,
                      f"{col}={v!r} does not name a seed code ({', '.join(SEED_CODES)}) followed by a "
                      "section (§…, \"Heading\", ¶n, note n, fn n or Abstract)")

    def integer(self, line, row, col, lo=None, hi=None, allow_empty=False) -> int | None:
        v = row[col]
        if v == "" and allow_empty:
            return None
        if not re.fullmatch(r"-?\d+", v):
            self.fail(line, row, f"{col}={v!r} is not an integer")
        n = int(v)
        if (lo is not None and n < lo) or (hi is not None and n > hi):
            self.fail(line, row, f"{col}={n} is outside the allowed range {lo}–{hi}")
        return n

    def number(self, line, row, col, allow_empty=False) -> float | None:
        v = row[col]
        if v == "" and allow_empty:
            return None
        try:
            return float(v)
        except ValueError:
            self.fail(line, row, f"{col}={v!r} is not a number")

    def unique(self, keyfunc, what):
        seen = {}
        for line, r in self.rows:
            k = keyfunc(r)
            if k in seen:
                self.fail(line, r, f"duplicate {what} {k!r} (first at line {seen[k]})")
            seen[k] = line


def _check_date(t: _Table, line, row, col, precision):
    v = row[col]
    if not DATE_RE.match(v):
        t.fail(line, row, f"bad date {col}={v!r}: use YYYY, YYYY-MM or YYYY-MM-DD (BCE years as -YYYY)")
    parts = v.lstrip("-").split("-")
    want = {"year": 1, "century": 1, "month": 2, "day": 3}[precision]
    if len(parts) != want:
        t.fail(line, row,
               f"bad date {col}={v!r}: does not match precision {precision!r} (year/century: YYYY, month: "
               "YYYY-MM, day: YYYY-MM-DD)")
    if len(parts) >= 2 and not 1 <= int(parts[1]) <= 12:
        t.fail(line, row, f"bad date {col}={v!r}: month must be 01–12")
    if len(parts) == 3:
        try:
            dt.date(int(parts[0]), int(parts[1]), int(parts[2]))
        except ValueError as e:
            t.fail(line, row, f"bad date {col}={v!r}: {e}")


def _sort_key(v: str) -> tuple:
    neg = v.startswith("-")
    parts = [int(p) for p in v.lstrip("-").split("-")]
    year = -parts[0] if neg else parts[0]
    return (year, *(parts[1:] + [0, 0])[:2])


# ---------------------------------------------------------------- metadata helpers
def _sources(codes) -> list[dict]:
    out = []
    for c in codes:
        s = SEEDS[c]
        out.append({"title": f"[{c}] {s['title']}", "author": s["author"], "publisher": s["publisher"],
                    "release": s["release"], "file": f"../shared/seeds/{s['file']}",
                    **({"path": s["path"]} if "path" in s else {})})
    return out + [dict(CURATION)]


def _resource(name, title, description, fields, df, pk, codes, caveats, notes=(), extra=None) -> Resource:
    cite = (f"nkteach project (2026). {title} [dataset `{name}`], hand-curated from seed documents "
            f"{', '.join(codes)} (see sources). CC-BY-4.0.")
    tex_name = name.replace("_", r"\_")
    bib = bibtex_entry("misc", f"nkteach_{name}", title=title, author="{nkteach project}", year="2026",
                       note=f"Hand-curated from seed documents {', '.join(codes)}; dataset {tex_name}; "
                            "CC-BY-4.0")
    return Resource(name=name, title=title, description=description, fields=fields, sources=_sources(codes),
                    licenses=[CC_BY_4], citation=cite, caveats=list(caveats) + [LICENCE_NOTE], df=df,
                    primary_key=pk, bibtex=bib, notes=list(notes), extra=dict(extra or {}))


def _frame(t: _Table, order: list[str], sort: list[str], types: dict[str, str]) -> pd.DataFrame:
    df = pd.DataFrame([r for _, r in t.rows], columns=t.columns)
    df = df.replace({"": None})
    for c, ty in types.items():
        if ty == "integer":
            df[c] = df[c].astype("Int64")
        elif ty == "number":
            df[c] = pd.to_numeric(df[c]).astype("Float64")
    return df[order].sort_values(sort, kind="stable").reset_index(drop=True)


ORIGINS = ("nkteach exercise bank: classify", "nkteach exercise bank: linkage", "written for nkteach")
CIT = "Seed citation: seed code (000–004) and section, e.g. 002 §IV.F or 004 \"Conclusion\"."
FLAG = "What is ambiguous, inconsistent or contradicted about this row and what to do; empty if none."


# ---------------------------------------------------------------- datasets
def _poll(curated: Path) -> Resource:
    cols = ["option", "label", "responses", "percent_printed", "group", "citation"]
    t = _Table(curated, "facebook_poll_2011", cols)
    t.unique(lambda r: r["option"], "option")
    for line, r in t.rows:
        t.require(line, r, *cols)
        t.integer(line, r, "option", 1, 7)
        t.integer(line, r, "responses", 0)
        if not re.fullmatch(r"\d{1,3}\.\d{2}", r["percent_printed"]):
            t.fail(line, r,
                   f"percent_printed={r['percent_printed']!r} must be the printed value with two decimals")
        t.enum(line, r, "group", ("war", "peace", "other"))
        t.citation(line, r)
    if len(t.rows) != 7:
        raise CurationError(f"{t.path}: Table 1 has 7 options, found {len(t.rows)} rows")
    fields = [
        field_("option", "integer", "Option number as printed in Table 1.", required=True, minimum=1,
               maximum=7),
        field_("label", "string", "Option label as printed in Table 1 (quoted as data).", required=True),
        field_("responses", "integer", "Number of responses as printed.", required=True, minimum=0),
        field_("percent_printed", "number", "Percentage as printed in the thesis (two decimals; they sum to "
               "99.99, and 6.19 is a truncation of 6.195). Recompute shares from responses in code.",
               required=True),
        field_("group", "string",
               "Project grouping: war = options 2-3 (a war won by either side); peace = options "
               "6-7 (negotiated compromise or regional integration); other = 1, 4, 5 (apathy, status quo, no "
               "solution).", required=True, enum=["war", "peace", "other"]),
        field_("citation", "string", CIT, required=True),
    ]
    df = _frame(t, cols, ["option"], {"option": "integer", "responses": "integer",
                                      "percent_printed": "number"})
    return _resource(
        "facebook_poll_2011",
        "Facebook poll on the 'most effective solution', November 2011 (thesis Table 1)",
        "Answers of Facebook users in Armenia and Azerbaijan to 'What is the most effective solution for the "
        "Nagorno-Karabakh conflict?', November 2011, as printed in Table 1 of the 2013 thesis (seed 002 "
        "§IV.F).",
        fields, df, ["option"], ["002"],
        caveats=[
            "Self-selected online sample of Facebook users: no sampling frame, so margins of error do not "
            "apply.",
            "Armenian and Azerbaijani respondents are pooled with no breakdown; 631 'Azerbaijan wins' vs 46 "
            "'Armenia wins' suggests most respondents were Azerbaijani.",
            "Organiser, page and promotion are unknown: the thesis's footnotes 219-222 were lost in "
            "extraction.",
            "Printed percentages sum to 99.99, not 100.00; option 7's 6.19 should round to 6.20.",
            "The thesis's text says 'more than 51 percent' chose war, but its own table gives 631 + 46 = 677 "
            "of 1,372 = 49.34% (002 §IV.F, Table 1; recomputed in Lesson 4).",
            "Only printed values are stored; exact shares are recomputed from responses by code.",
        ],
        extra={"total_printed": 1372,
               "question": "What is the most effective solution for the Nagorno-Karabakh conflict?"})


FACT_COLS = ["fact_id", "value", "value_num", "unit", "year", "actor", "measures", "cited_source", "seed",
             "section", "flag"]


def _facts(curated: Path) -> Resource:
    t = _Table(curated, "seed_facts", FACT_COLS)
    t.unique(lambda r: r["fact_id"], "fact_id")
    for line, r in t.rows:
        t.require(line, r, "fact_id", "value", "unit", "year", "measures", "cited_source", "seed", "section")
        if not re.fullmatch(r"[HTMBERFDW]\d{1,2}", r["fact_id"]):
            t.fail(line, r,
                   f"fact_id={r['fact_id']!r} must be a category letter (H, T, M, B, E, R, F, D, W) + number")
        t.enum(line, r, "seed", SEED_CODES)
        if not re.search(r"§|\"|¶|note|fn|Abstract", r["section"]):
            t.fail(line, r,
                   f"section={r['section']!r} does not name a section (§…, \"Heading\", ¶n, note n or fn n)")
        t.number(line, r, "value_num", allow_empty=True)
    fields = [
        field_("fact_id", "string",
               "Id: category letter + number (H human toll, T territory/history, M military, B budgets, "
               "E economy, R Russia/Turkey ties, F governance, D diplomacy, W 2020-2023).", required=True,
               unique=True, pattern=r"^[HTMBERFDW]\d{1,2}$"),
        field_("value", "string", "Value as the seed gives it (with qualifiers such as 'nearly').",
               required=True),
        field_("value_num", "number",
               "The number when the value is a single number (million/billion expanded, "
               "qualifier dropped: read `value` for it); empty otherwise."),
        field_("unit", "string", "Unit.", required=True),
        field_("year", "string", "Year(s) or date as the seed gives it.", required=True),
        field_("actor", "string", "Country or actor concerned."),
        field_("measures", "string", "What the number measures (paraphrase).", required=True),
        field_("cited_source", "string",
               "Source the seed itself cites; 'fn N (text not preserved)' where the "
               "thesis footnote text is lost; '—' if none.", required=True),
        field_("seed", "string", "Seed code of the (first) seed that gives the figure.", required=True,
               enum=list(SEED_CODES)),
        field_("section", "string", "Section (and footnote) in that seed; may name a second seed.",
               required=True),
        field_("flag", "string", FLAG),
    ]
    df = _frame(t, FACT_COLS, ["fact_id"], {"value_num": "number"})
    order = {c: i for i, c in enumerate("HTMBEFRDW")}
    df = (df.assign(_k=df.fact_id.map(lambda s: (order[s[0]], int(s[1:]))))
          .sort_values("_k").drop(columns="_k"))
    return _resource(
        "seed_facts", "Every quantitative fact in the seed documents",
        "One row per figure reported in the five seeds, with the source each seed cites and a flag where a "
        "figure is ambiguous, inconsistent or contradicted by another seed or by the data.",
        fields, df.reset_index(drop=True), ["fact_id"], list(SEED_CODES),
        caveats=[
            "Many thesis footnotes were lost in extraction, so many figures cannot be traced to their "
            "original source.",
            "Figures come from different sources and definitions (e.g. the five Azerbaijani budget figures "
            "B1-B5); never join them into one series.",
            "SIPRI cross-checks of M1, M2 and M12 (Lesson 5) are not stored here: code recomputes them from "
            "the vendored SIPRI tables. The Facebook poll is in `facebook_poll_2011`.",
            "value_num drops qualifiers such as 'nearly' or 'more than'; always show `value` beside it.",
        ])


TL_COLS = ["event_id", "date_start", "date_end", "precision", "date_text", "event", "levels", "citation",
           "flag",
           "place_ids"]


def _timeline(curated: Path) -> Resource:
    t = _Table(curated, "timeline", TL_COLS)
    t.unique(lambda r: r["event_id"], "event_id")
    for line, r in t.rows:
        t.require(line, r, "event_id", "date_start", "precision", "date_text", "event", "levels")
        t.enum(line, r, "precision", PRECISIONS)
        _check_date(t, line, r, "date_start", r["precision"])
        if r["date_end"]:
            if not DATE_RE.match(r["date_end"]):
                t.fail(line, r, f"bad date date_end={r['date_end']!r}: use YYYY, YYYY-MM or YYYY-MM-DD")
            _check_date(t, line, r, "date_end", r["precision"])
            if _sort_key(r["date_end"]) < _sort_key(r["date_start"]):
                t.fail(line, r, f"date_end {r['date_end']} is before date_start {r['date_start']}")
        codes = r["levels"].split(";")
        bad = [c for c in codes if c not in LEVEL_CODES]
        if bad or len(set(codes)) != len(codes):
            t.fail(line, r, f"unknown or repeated level code(s) {bad or codes} in levels={r['levels']!r} "
                   f"(allowed: {', '.join(LEVEL_CODES)}, ';'-separated, primary first)")
        t.citation(line, r)
        if r["place_ids"] and not re.fullmatch(r"[a-z0-9_]+(;[a-z0-9_]+)*", r["place_ids"]):
            t.fail(line, r, f"place_ids={r['place_ids']!r} must be ';'-separated lowercase slugs")
    fields = [
        field_("event_id", "string",
               "Id: period (5.1 to 1917, 5.2 1917-1924, 5.3 1924-1991, 5.4 1991-1994, 5.5 1995-2015, 5.6 "
               "2016-2023) and row number.", required=True, unique=True),
        field_("date_start", "string", "Start date, ISO: YYYY, YYYY-MM or YYYY-MM-DD (BCE as -YYYY); for "
               "'century' precision the first year of the century.", required=True, pattern=DATE_RE.pattern),
        field_("date_end", "string", "End date (same form); empty for point events.",
               pattern=DATE_RE.pattern),
        field_("precision", "string", "Precision of the dates.", required=True, enum=list(PRECISIONS)),
        field_("date_text", "string",
               "Date as written for display ([brackets] = a date resolved from a relative one in the "
               "seed).", required=True),
        field_("event", "string", "What happened (paraphrase).", required=True),
        field_("levels", "string",
               "Level codes E (elite), N (nation/society), I (international), primary first, "
               "';'-separated.", required=True, pattern=r"^[ENI](;[ENI]){0,2}$"),
        field_("citation", "string", CIT, required=True),
        field_("flag", "string", FLAG),
        field_("place_ids", "string", "';'-separated place_id values of the `places` dataset."),
    ]
    df = _frame(t, TL_COLS, ["event_id"], {})
    df = (df.assign(_k=df.date_start.map(_sort_key)).sort_values(["_k", "event_id"], kind="stable")
          .drop(columns="_k"))
    return _resource(
        "timeline", "Timeline of the conflict from antiquity to September 2023",
        "Dated events with level codes (elite, nation/society, international), seed citations and place ids.",
        fields, df.reset_index(drop=True), ["event_id"], list(SEED_CODES),
        caveats=[
            "Dates are as the seeds give them; seeds disagree on some (12 vs 19 Sept 2023; 9 vs 10 Nov "
            "2020): both are kept with attribution and a flag.",
            "Early-20th-century dates may mix Julian and Gregorian calendars; do not build exact-date "
            "exercises on 1917-1921 without a standard history.",
            "Seasons ('summer', 'early') are kept in date_text and stored at year or month precision; one "
            "undated event ('after annexation') is anchored at 1805 for sorting only.",
            "Century-precision rows (antiquity, 16th and 19th century) store the first and last year of the "
            "span.",
        ],
        notes=["Rows are sorted by date_start, then event_id."])


def _nit(curated: Path) -> Resource:
    cols = ["fact_id", "country", "edition", "category", "score", "printed_value", "citation",
            "scale_direction",
            "flag", "note"]
    t = _Table(curated, "nations_in_transit", cols)
    t.unique(lambda r: (r["country"], r["edition"], r["category"]), "country/edition/category")
    for line, r in t.rows:
        t.require(line, r, "fact_id", "country", "edition", "category", "printed_value", "scale_direction")
        t.enum(line, r, "country", ("Armenia", "Azerbaijan"))
        t.integer(line, r, "edition", 1995, 2030)
        t.citation(line, r)
        if r["category"] == "Regime type":
            if r["score"]:
                t.fail(line, r, "a Regime type row has no numeric score (leave score empty)")
        else:
            s = t.number(line, r, "score")
            if not 1 <= s <= 7:
                t.fail(line, r, f"score={s} outside the 1–7 Nations in Transit range")
            if r["scale_direction"] != "1 = most democratic, 7 = least":
                t.fail(line, r,
                       "scale_direction must be '1 = most democratic, 7 = least' for the thesis-era scores")
    fields = [
        field_("fact_id", "string", "Id of the same point in `seed_facts` (F1-F11).", required=True),
        field_("country", "string", "Country.", required=True, enum=["Armenia", "Azerbaijan"]),
        field_("edition", "integer",
               "NIT edition year as the thesis gives it (an edition rates the previous year).",
               required=True),
        field_("category", "string", "NIT measure (Democracy Score, a category, or Regime type).",
               required=True),
        field_("score", "number",
               "Rating as printed (1 = most democratic, 7 = least); empty for Regime type.",
               minimum=1, maximum=7),
        field_("printed_value", "string", "Value as printed in the thesis (text).", required=True),
        field_("citation", "string", CIT, required=True),
        field_("scale_direction", "string", "Direction of the scale used by these scores.", required=True),
        field_("flag", "string", FLAG),
        field_("note", "string", "Corroboration against the secondary spot-check file, or context."),
    ]
    df = _frame(t, cols, ["country", "edition", "category"], {"edition": "integer", "score": "number"})
    res = _resource(
        "nations_in_transit", "Freedom House Nations in Transit points quoted by the 2013 thesis",
        "Only the Nations in Transit values that the thesis quotes (002 §IV.G; seed_facts F1-F11); not a "
        "series.",
        fields, df, ["country", "edition", "category"], ["002"],
        caveats=[
            "No full Nations in Transit series is available in the project's sources (the raw Freedom House "
            "workbook could not be vendored); these are only the points the thesis quotes.",
            "Thesis-era scale: 1 = most democratic, 7 = least. Freedom House later reversed the scale (from "
            "NIT 2020, 7 = most democratic); never put old and new scores on one axis.",
            "Armenia's 2013 Independent Media '5.57' is stored as printed but is probably 5.75 (ratings move "
            "in steps of 0.25; see the row's flag).",
            "Notes cite ../shared/sources/freedom_house/NIT_spot_checks_from_stored_pages_TRANSCRIBED.csv, "
            "values quoted in news articles and a blog: secondary text, used only as corroboration.",
        ])
    res.sources.append({"title": "Nations in Transit spot checks transcribed from stored web pages "
                                 "(secondary)",
                        "publisher": "news articles, a blog and one Freedom House page (see file)",
                        "file": ("../shared/sources/freedom_house/"
                                 "NIT_spot_checks_from_stored_pages_TRANSCRIBED.csv")})
    res.extra["scale_direction"] = "1 = most democratic, 7 = least"
    return res


def _linkages(curated: Path) -> list[Resource]:
    ncols = ["node_id", "level", "label", "description", "citation", "origin"]
    nt = _Table(curated, "linkage_nodes", ncols)
    nt.unique(lambda r: r["node_id"], "node_id")
    for line, r in nt.rows:
        nt.require(line, r, "node_id", "level", "label", "description")
        nt.enum(line, r, "level", NODE_LEVELS)
        nt.enum(line, r, "origin", ("added",), allow_empty=True)
        nt.citation(line, r)
    node_level = {r["node_id"]: r["level"] for _, r in nt.rows}

    ecols = ["edge_id", "figure_edge", "source", "target", "source_level", "target_level", "mechanism",
             "basis",
             "citation"]
    et = _Table(curated, "linkages", ecols)
    et.unique(lambda r: r["edge_id"], "edge_id")
    et.unique(lambda r: (r["source"], r["target"], r["figure_edge"]),
              "source/target pair within a figure edge")
    for line, r in et.rows:
        et.require(line, r, *ecols)
        et.integer(line, r, "figure_edge", 1, 30)
        for end in ("source", "target"):
            if r[end] not in node_level:
                et.fail(line, r, f"{end}={r[end]!r} is not a node in linkage_nodes.csv "
                        f"(known: {', '.join(sorted(node_level))})")
            if r[f"{end}_level"] != node_level[r[end]]:
                et.fail(line, r, f"{end}_level={r[end + '_level']!r} but node {r[end]} has level "
                        f"{node_level[r[end]]!r}")
        et.enum(line, r, "basis", ("explicit", "inferred"))
        et.citation(line, r)
    figure_edges = {int(r["figure_edge"]) for _, r in et.rows}
    missing = sorted(set(range(1, 31)) - figure_edges)
    if missing:
        raise CurationError(f"{et.path}: figure edges {missing} of the 002 Figure 1 reconstruction have no "
                            "row")

    lcols = ["loop_id", "name", "figure_edges", "description", "citation"]
    lt = _Table(curated, "linkage_loops", lcols)
    lt.unique(lambda r: r["loop_id"], "loop_id")
    for line, r in lt.rows:
        lt.require(line, r, *lcols)
        for e in r["figure_edges"].split(";"):
            if not e.isdigit() or int(e) not in figure_edges:
                lt.fail(line, r, f"figure_edges refers to edge {e!r}, which is not in linkages.csv")
        lt.citation(line, r)

    split_rule = ("Compound edges of the reconstruction (e.g. 'E1, E2 -> N1/N2', 'I7 -> N6 -> N4', 'N3 <-> "
                  "I4') are split into plain node-to-node rows sharing `figure_edge` (the reconstruction's "
                  "edge number): every listed source is joined to every listed target, a chain becomes "
                  "consecutive rows, a two-way arrow two rows. Sides A/B of edge 9 are not separate nodes "
                  "(its cross-border nature is in the mechanism). Generic endpoints get explicit nodes "
                  "marked origin=added: E5 leaders' perceptions, I0 refusal to compromise in talks, I9 US "
                  "policy, I10 imperial/Soviet border decisions, I11 tyranny of small decisions, I12 "
                  "frontline incidents, W risk of war. Edge 26 (any level -> the others) is modelled as the "
                  "status quo feeding back on one anchor node per level (E1, N1, I2).")
    common_cav = [
        "Reconstructed from the thesis's prose (002 §I.C-§VI): the seed holds only the caption of Figure 1. "
        "Label any diagram 'reconstructed from the thesis text', not 'the thesis's Figure 1'.",
        "basis: explicit = the thesis states the direction; inferred = a reasonable reading of factors it "
        "places together.",
    ]
    node_fields = [
        field_("node_id", "string", "Node id (002 Figure 1 reconstruction; added nodes marked in origin).",
               required=True, unique=True),
        field_("level", "string", "Level of the node.", required=True, enum=list(NODE_LEVELS)),
        field_("label", "string", "Short label.", required=True),
        field_("description", "string", "What the node stands for (paraphrase).", required=True),
        field_("citation", "string", CIT, required=True),
        field_("origin", "string",
               "'added' for nodes introduced to split compound edges; empty for nodes named in the thesis's "
               "prose.",
               enum=["added"]),
    ]
    edge_fields = [
        field_("edge_id", "string", "L + figure edge number (+ letter when a compound edge is split).",
               required=True, unique=True),
        field_("figure_edge", "integer",
               "Edge number in the package's reconstruction of 002 Figure 1 (data/curated/README.md).",
               required=True, minimum=1, maximum=30),
        field_("source", "string", "Source node_id.", required=True),
        field_("target", "string", "Target node_id.", required=True),
        field_("source_level", "string", "Level of the source node.", required=True, enum=list(NODE_LEVELS)),
        field_("target_level", "string", "Level of the target node.", required=True, enum=list(NODE_LEVELS)),
        field_("mechanism", "string", "How the source affects the target (paraphrase).", required=True),
        field_("basis", "string", "explicit or inferred.", required=True, enum=["explicit", "inferred"]),
        field_("citation", "string", CIT, required=True),
    ]
    loop_fields = [
        field_("loop_id", "string", "Loop id (a-e) in the reconstruction of 002 Figure 1.", required=True,
               unique=True),
        field_("name", "string", "Loop name.", required=True),
        field_("figure_edges", "string", "';'-separated figure_edge numbers forming the loop.", required=True,
               pattern=r"^\d+(;\d+)*$"),
        field_("description", "string", "What the loop does (paraphrase).", required=True),
        field_("citation", "string", CIT, required=True),
    ]
    nodes = _frame(nt, ncols, ["node_id"], {})
    edges = _frame(et, ecols, ["figure_edge", "edge_id"], {"figure_edge": "integer"})
    loops = _frame(lt, lcols, ["loop_id"], {})
    return [
        _resource("linkages", "Linkages between levels of analysis (thesis Figure 1, reconstructed)",
                  "Directed node-to-node edges between elite, nation/society and international factors and "
                  "the frozen status quo, reconstructed from the 2013 thesis (002 Figure 1 caption, §VI; "
                  "chapters III-V).",
                  edge_fields, edges, ["edge_id"], ["002"], caveats=common_cav + [split_rule],
                  notes=[split_rule], extra={"foreignKeys": [{"fields": ["source"], "reference":
                                             {"resource": "linkage_nodes", "fields": ["node_id"]}},
                                            {"fields": ["target"], "reference":
                                             {"resource": "linkage_nodes", "fields": ["node_id"]}}]}),
        _resource("linkage_nodes", "Nodes of the reconstructed linkage diagram",
                  "Factors at the elite, nation/society and international levels plus outcome nodes (002 "
                  "Figure 1, reconstructed).",
                  node_fields, nodes, ["node_id"], ["002"], caveats=common_cav + [split_rule]),
        _resource("linkage_loops", "Named feedback loops of the reconstructed linkage diagram",
                  "Five self-reinforcing loops of the reconstructed 002 Figure 1, as lists of figure edge "
                  "numbers.",
                  loop_fields, loops, ["loop_id"], ["002"], caveats=common_cav),
    ]


def _statements(curated: Path) -> Resource:
    cols = ["item_id", "kind", "statement", "level", "also_defensible", "also_note", "justification",
            "linkage_answer", "figure_edges", "citation", "lesson", "origin"]
    t = _Table(curated, "statements", cols)
    t.unique(lambda r: r["item_id"], "item_id")
    t.unique(lambda r: r["statement"], "statement")
    allowed = LEVELS + ("linkage",)
    for line, r in t.rows:
        t.require(line, r, "item_id", "kind", "statement", "level", "justification", "lesson", "origin")
        t.enum(line, r, "kind", ("classify", "linkage"))
        t.enum(line, r, "level", allowed)
        t.enum(line, r, "also_defensible", allowed, allow_empty=True)
        if r["also_defensible"] and r["also_defensible"] == r["level"]:
            t.fail(line, r, "also_defensible repeats the main answer")
        t.integer(line, r, "lesson", 1, 8)
        t.enum(line, r, "origin", ORIGINS)
        t.citation(line, r)
        if r["kind"] == "linkage":
            if r["level"] != "linkage" or "->" not in r["linkage_answer"]:
                t.fail(line, r,
                       "a linkage item needs level=linkage and a 'from -> to : mechanism' linkage_answer")
        elif r["linkage_answer"]:
            t.fail(line, r, "linkage_answer is only for kind=linkage items")
    n_classify = sum(r["kind"] == "classify" for _, r in t.rows)
    if n_classify < 40:
        raise CurationError(f"{t.path}: only {n_classify} classify items; lessons need at least 40")
    fields = [
        field_("item_id", "string",
               "C = classify item, K = linkage item (both from the nkteach exercise bank), P = written for a "
               "lesson.",
               required=True, unique=True),
        field_("kind", "string", "classify (pick a level) or linkage (name from -> to).", required=True,
               enum=["classify", "linkage"]),
        field_("statement", "string", "The statement shown to students (paraphrase, no names needed).",
               required=True),
        field_("level", "string",
               "Model answer: level at which the mechanism operates (the classification rule of Lesson 1 "
               "§4).",
               required=True, enum=list(allowed)),
        field_("also_defensible", "string", "A second level that is also defensible; empty if none.",
               enum=list(allowed)),
        field_("also_note", "string", "Qualifier for the second answer (e.g. 'elite -> nation')."),
        field_("justification", "string", "One-line reason shown as feedback.", required=True),
        field_("linkage_answer", "string", "Model 'from -> to : mechanism' answer (linkage items only)."),
        field_("figure_edges", "string", "Related figure edge numbers in `linkages` (linkage items)."),
        field_("citation", "string", CIT, required=True),
        field_("lesson", "integer", "Suggested lesson (1-8).", required=True, minimum=1, maximum=8),
        field_("origin", "string", "Where the item comes from.", required=True,
               enum=list(ORIGINS)),
    ]
    df = _frame(t, cols, ["item_id"], {"lesson": "integer"})
    return _resource(
        "statements", "Exercise items: classify a statement by level of analysis",
        "Statements for 'which level?' and 'which linkage?' exercises with model answers, an 'also "
        "defensible' alternative, a one-line justification and the seed location.",
        fields, df, ["item_id"], list(SEED_CODES),
        caveats=["Answers follow the package's rule: the level at which the mechanism operates, seen from "
                 "the conflict (Lesson 1 §4; data/curated/README.md); several items admit a second "
                 "defensible answer.",
                 "Statements are generic paraphrases; they are exercise prompts, not quotations."])


def _forecasts(curated: Path) -> Resource:
    cols = ["forecast_id", "expectation", "citation", "outcome", "outcome_citation", "verdict",
            "verdict_code", "level"]
    t = _Table(curated, "forecasts", cols)
    t.unique(lambda r: r["forecast_id"], "forecast_id")
    codes = ("held", "partly held", "did not hold", "overtaken by events")
    for line, r in t.rows:
        t.require(line, r, *cols)
        t.citation(line, r)
        t.citation(line, r, "outcome_citation")
        t.enum(line, r, "verdict_code", codes)
        bad = [x for x in r["level"].split(";") if x not in LEVELS]
        if bad:
            t.fail(line, r, f"unknown level(s) {bad} (allowed: {', '.join(LEVELS)}, ';'-separated)")
    fields = [
        field_("forecast_id", "string", "Id F1-F10 of the thesis's expectations.", required=True,
               unique=True),
        field_("expectation", "string", "What the 2013 thesis expected (paraphrase).", required=True),
        field_("citation", "string", "Where in the thesis (002).", required=True),
        field_("outcome", "string", "What happened according to the later seeds (paraphrase).",
               required=True),
        field_("outcome_citation", "string", "Later seeds and sections for the outcome.", required=True),
        field_("verdict", "string", "Model verdict (one view; students argue their own).", required=True),
        field_("verdict_code", "string", "Verdict category.", required=True, enum=list(codes)),
        field_("level", "string", "Level(s) mainly involved, ';'-separated.", required=True),
    ]
    df = _frame(t, cols, ["forecast_id"], {})
    df = (df.assign(_k=df.forecast_id.str[1:].astype(int)).sort_values("_k").drop(columns="_k")
          .reset_index(drop=True))
    return _resource(
        "forecasts", "Evaluating the 2013 thesis's forecasts against 2016-2023",
        "The thesis's expectations with what happened according to the later seeds and a model verdict "
        "(thesis: 002 Abstract, §I.B-C, §IV.D, §V.E, §V.G, §VI).",
        fields, df, ["forecast_id"], list(SEED_CODES),
        caveats=["Outcomes rest on the later seeds, two of which (003, 004) write from vantage points close "
                 "to Azerbaijan (author affiliations as 003 and 004 state them); verdicts are model answers "
                 "for discussion, not settled judgements."])


def _explanations(curated: Path) -> Resource:
    cols = ["explanation_id", "explanation", "level", "verdict", "verdict_code", "verdict_rank", "citation"]
    t = _Table(curated, "explanations_2020", cols)
    t.unique(lambda r: r["explanation_id"], "explanation_id")
    t.unique(lambda r: r["verdict_rank"], "verdict_rank")
    for line, r in t.rows:
        t.require(line, r, *cols)
        t.enum(line, r, "level", LEVELS)
        t.integer(line, r, "verdict_rank", 1, 4)
        t.citation(line, r)
    fields = [
        field_("explanation_id", "string", "Id.", required=True, unique=True),
        field_("explanation", "string", "One of 004's four candidate explanations (paraphrase).",
               required=True),
        field_("level", "string", "Level at which the explanation operates.", required=True,
               enum=list(LEVELS)),
        field_("verdict", "string", "004's verdict (paraphrase).", required=True),
        field_("verdict_code", "string", "Short verdict label for charts.", required=True),
        field_("verdict_rank", "integer", "1 = most convincing per 004, 4 = rejected.", required=True,
               minimum=1, maximum=4),
        field_("citation", "string", CIT, required=True),
    ]
    df = _frame(t, cols, ["verdict_rank"], {"verdict_rank": "integer"})
    return _resource(
        "explanations_2020", "Why Russia stayed mostly impartial in 2020: 004's four explanations",
        "Abushov & Babayev's four candidate explanations of Russia's stance in the 2020 war and their "
        "verdict on each (004 \"Bandwagoning\", \"Turkey's Potential Deterrence\", \"Armenia's 'Deviant' "
        "Behavior\", \"For My Friends, Justice\").",
        fields, df, ["explanation_id"], ["004"],
        caveats=["These are one article's verdicts (authors at ADA University, Baku); 003 and 000 offer "
                 "other readings (003 \"Impact/Role of Russia\"; 000 \"Geopolitical Scenario\"; 002 §V.E)."])


def _negotiations(curated: Path) -> Resource:
    cols = ["reading_id", "round", "year", "mediator", "proposal", "positions", "obstacle", "obstacle_level",
            "citation"]
    t = _Table(curated, "negotiations", cols)
    t.unique(lambda r: r["reading_id"], "reading_id")
    for line, r in t.rows:
        t.require(line, r, *cols)
        t.integer(line, r, "year", 1988, 2023)
        t.enum(line, r, "obstacle_level", LEVELS)
        t.citation(line, r)
    fields = [
        field_("reading_id", "string",
               "Id of one reading: one round read at one level from one seed passage.",
               required=True, unique=True),
        field_("round", "string", "Short name of the negotiating round or initiative (several readings may "
               "share a round).", required=True),
        field_("year", "integer", "Year of the round as the seeds date it (the Zurich Protocols: 2009, the "
               "signing, 002 §V.C; 004's 2010 dates a turning point in Turkish-Azerbaijani relations, not "
               "the protocols, and is kept in that reading's text).", required=True,
               minimum=1988, maximum=2023),
        field_("mediator", "string", "Who mediated or proposed, as the seed says.", required=True),
        field_("proposal", "string", "What was proposed (paraphrase).", required=True),
        field_("positions", "string",
               "Who accepted or rejected what, and what came of it (paraphrase); says so "
               "where the seed is silent.", required=True),
        field_("obstacle", "string", "Why the round failed according to the cited seed (paraphrase).",
               required=True),
        field_("obstacle_level", "string", "Level of analysis at which that obstacle operates (the package's "
               "reading of the seed).", required=True, enum=list(LEVELS)),
        field_("citation", "string", CIT, required=True),
    ]
    df = _frame(t, cols, ["year", "reading_id"], {"year": "integer"})
    return _resource(
        "negotiations", "Negotiating rounds 1992-2022 and why each failed, read at three levels",
        "Rounds of mediation over Nagorno-Karabakh (and the linked Armenia-Turkey Zurich Protocols) from the "
        "Minsk Group's creation to the talks after the 2020 war: proposal, positions, and the obstacle each "
        "seed names, classified by level of analysis. One row per reading, so a round can appear at several "
        "levels.",
        fields, df, ["reading_id"], list(SEED_CODES),
        caveats=["Coverage is what the seeds report: talks were confidential (002 §V.A) and the seeds name "
                 "only some rounds; which side rejected the Madrid Principles or the Kazan plan is not "
                 "stated in the seeds.",
                 "The obstacle level is the package's classification for teaching; several readings are "
                 "defensible at a second level.",
                 "The seeds disagree on details: 003 has Lavrov presenting the Kazan plan, 004 calls it "
                 "Medvedev's. On Zurich they do not disagree: 002 dates the signing to 10 October 2009, and "
                 "004's 2010 is the turning point it sees in Turkish-Azerbaijani relations.",
                 "004 (ADA University, Baku) and 001 (an Armenian analyst) write from vantage points close "
                 "to one side; terms such as 'intransigence' and 'occupied' are theirs."])


def build(sources: Path, curated: Path) -> list[Resource]:
    """Read, validate and describe the hand-curated seed tables (``sources`` is not used)."""
    curated = Path(curated)
    return [_poll(curated), _facts(curated), _timeline(curated), _nit(curated), *_linkages(curated),
            _statements(curated), _forecasts(curated), _explanations(curated), _negotiations(curated)]
