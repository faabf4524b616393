"""CRRC Caucasus Barometer 2009–2011 → weighted answer frequencies (``caucasus_barometer``).

Raw files: ../shared/sources/caucasus_barometer/ (respondent-level extracts + value labels; \
see PROVENANCE.md).
The output holds only weighted percentages per country, question and answer, never the microdata.
"""
from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd

from builders.common import Resource, bibtex_entry, field_

DIR = "caucasus_barometer"
FILES = {2009: "CB2009_regional_selected_variables.csv", 2010: "CB2010_regional_selected_variables.csv",
         2011: "CB2011_regional_selected_variables.csv"}
LABELS = "CB2009-2011_variable_and_value_labels.json"
URL = "https://caucasusbarometer.org"
WEIGHTS = {2009: "INDWT", 2010: "WTIND", 2011: "INDWT"}  # 2010 names its individual weight WTIND
# Design, weight and demographic columns: not questions to tabulate.
NOT_QUESTIONS = {"CBYEAR", "ID", "COUNTRY", "STRATUM", "SUBSTRATUM", "PSU", "INDWT", "HHWT", "WTIND", "WTHH",
                 "RESPSEX", "RESPAGE", "AGE"}
# CRRC codes that take a respondent out of the base: the question did not apply to them.
OUT_OF_BASE = {-5: "Not applicable", -7: "Legal skip"}
# CRRC codes kept in the base as answers (a respondent was asked and gave no substantive answer).
KEPT_MISSING = {-1: "Don't know", -2: "Refuse to answer", -3: "Interviewer error", -9: "Break-off"}
COUNTRIES = {"1": "Armenia", "2": "Azerbaijan", "3": "Georgia"}


def _clean_label(s: str) -> str:
    s = s.replace("\x92", "'").replace("\u2019", "'")
    s = re.sub(r"\bDont know\b", "Don't know", s)
    s = re.sub(r"\bmarring\b", "marrying", s)
    return re.sub(r"\s+", " ", s).strip()


def frequencies(sources: Path) -> tuple[pd.DataFrame, list[str]]:
    """Weighted answer distributions for every question column of the three waves."""
    folder = sources / DIR
    meta = json.loads((folder / LABELS).read_text(encoding="utf-8"))
    recs, notes = [], []
    unlabelled: dict[str, set[int]] = {}
    for year, fname in FILES.items():
        raw = pd.read_csv(folder / fname, dtype=str, keep_default_na=False)
        wname = WEIGHTS[year]
        if wname not in raw.columns:
            raise ValueError(f"{fname}: weight column {wname} missing")
        if (raw[wname].str.strip() == "").any():
            raise ValueError(f"{fname}: {int((raw[wname] == '').sum())} respondents have no weight {wname}")
        w = raw[wname].astype(float)
        bad = sorted(set(raw["COUNTRY"]) - set(COUNTRIES))
        if bad:
            raise ValueError(f"{fname}: COUNTRY codes {bad}; allowed {sorted(COUNTRIES)}")
        variables = meta[str(year)]["variables"]
        for var in [c for c in raw.columns if c not in NOT_QUESTIONS]:
            if var not in variables:
                raise ValueError(f"{fname}: column {var} has no labels in {LABELS}")
            vlabels = {int(k): _clean_label(v) for k, v in variables[var]["value_labels"].items()}
            question = _clean_label(variables[var]["label"])
            for ccode, cname in COUNTRIES.items():
                sel = raw["COUNTRY"] == ccode
                col, wt = raw.loc[sel, var].str.strip(), w[sel]
                asked = col != ""  # empty = the question was not in this country's questionnaire
                if not asked.any():
                    continue
                codes = col[asked].map(lambda s: int(float(s)))
                in_base = ~codes.isin(list(OUT_OF_BASE))
                base_w = wt[asked][in_base].sum()
                base_n = int(in_base.sum())
                if base_n == 0:
                    continue
                for code in sorted(codes[in_base].unique()):
                    hit = codes[in_base] == code
                    if code in vlabels:
                        answer = vlabels[code]
                    elif code > 0:
                        # Scales labelled only at their end points (1 and 5): the point is its own label,
                        # as CRRC's 2009 file writes it ('2': '2').
                        answer = str(code)
                        unlabelled.setdefault(f"CB {year} {var}", set()).add(int(code))
                    else:
                        raise ValueError(f"{fname} {var}: missing code {code} has no value label")
                    recs.append({
                        "survey_year": year, "country": cname, "question_id": var, "question": question,
                        "code": int(code), "answer": answer,
                        "weighted_percent": round(100 * wt[asked][in_base][hit].sum() / base_w, 2),
                        "n": int(hit.sum()), "base_n": base_n, "nonsubstantive": bool(code < 0),
                        "weight_variable": wname,
                    })
                n_out = int((~in_base).sum())
                if n_out:
                    notes.append(f"CB {year} {cname} {var}: {n_out} respondents with codes "
                                 f"{sorted(set(codes[~in_base]))} left out of the base.")
    for k, codes in sorted(unlabelled.items()):
        notes.append(f"{k}: codes {sorted(codes)} have no value label (scale labelled only at its ends); "
                     "the code is used as the answer.")
    df = pd.DataFrame(recs).sort_values(["survey_year", "country", "question_id", "code"], kind="mergesort")
    return df.reset_index(drop=True), notes


def caucasus_barometer(sources: Path) -> Resource:
    df, skipped = frequencies(sources)
    fields = [
        field_("survey_year", "integer", "Year the Caucasus Barometer wave was fielded.", required=True,
               enum=sorted(FILES)),
        field_("country", "string", "Country surveyed (adults 18+; Nagorno-Karabakh was not surveyed).",
               required=True,
               enum=sorted(COUNTRIES.values())),
        field_("question_id", "string",
               "CRRC variable name (e.g. NK2, ENEMCNTR, BUSINARM). NK5AR_* (Armenia) and "
               "NK5AZ_* (Azerbaijan) list the same five settlement options in a different order.",
               required=True),
        field_("question", "string",
               "CRRC's short variable label (typos fixed; placeholders such as /country/ and "
               "[country] mean the respondent's own country).", required=True),
        field_("code", "integer", "CRRC answer code. Negative codes: -1 Don't know, -2 Refuse to answer, -3 "
               "Interviewer error, -9 Break-off (kept as answers); -5 Not applicable and -7 Legal skip are "
               "excluded from the base and have no row.", required=True),
        field_("answer", "string", "CRRC's value label for the code (Windows-1252 apostrophes fixed).",
               required=True),
        field_("weighted_percent", "number",
               "Weighted share of the base giving this answer, in PERCENT (0–100), rounded to 2 decimals. "
               "Base: respondents in that country and wave who were asked the question (codes -5 and -7 and "
               "blank cells excluded); Don't know / Refuse / Interviewer error / Break-off stay in the base.",
               required=True, minimum=0, maximum=100),
        field_("n", "integer", "Unweighted number of respondents giving this answer.", required=True,
               minimum=0),
        field_("base_n", "integer", "Unweighted number of respondents in the base.", required=True,
               minimum=1),
        field_("nonsubstantive", "boolean",
               "True for CRRC's negative codes kept in the base (Don't know, Refuse to "
               "answer, Interviewer error, Break-off).", required=True),
        field_("weight_variable", "string", "CRRC individual population weight used (INDWT; WTIND in 2010).",
               required=True, enum=["INDWT", "WTIND"]),
    ]
    caveats = [
        "These are weighted frequencies computed by nkteach from CRRC's 2011–2012 releases of the regional "
        "respondent files, not CRRC's published numbers. CRRC's online analysis tool (ODA) uses later "
        "cleaned data and may treat missing codes differently, so figures can differ slightly (CRRC warned "
        "the preliminary 2011 Armenian data could deviate by up to three percent).",
        "Base and missing codes: the denominator is everyone in the country and wave who was asked the "
        "question. -5 (not applicable) and -7 (legal skip) are excluded from the base; -1 Don't know, -2 "
        "Refuse to answer, -3 Interviewer error and -9 Break-off are kept as answers (flagged "
        "nonsubstantive), so substantive answers do not sum to 100%. Re-percentage without them if you want "
        "shares of those with an opinion, and say so.",
        "Weighted with CRRC's individual population weight (INDWT; called WTIND in 2010). Unweighted n is "
        "given so students can judge precision; sampling errors need the survey design (PSU, strata), which "
        "is not included.",
        "The Nagorno-Karabakh module (NK1–NK5, 2011) was asked only in Armenia and Azerbaijan. "
        "Nagorno-Karabakh itself was not surveyed, so the tables say nothing about its residents' views.",
        "Answer lists change between waves (e.g. IMPISS1 code 16 is 'Territorial integrity' in 2009–2010 but "
        "'Unsolved territorial conflicts' in 2011): compare waves by label, not by code, and check the "
        "wording.",
        "Survey answers reflect what people were willing to say to an interviewer; questions about the other "
        "group can be sensitive.",
        "Compare with the self-selected 2011 Facebook poll (facebook_poll_2011): CB is a probability sample.",
    ]
    return Resource(
        name="caucasus_barometer",
        title="Caucasus Barometer 2009–2011 (CRRC): weighted answers on the conflict, neighbours and society",
        description=("Weighted percentage of adults giving each answer, by wave (2009, 2010, 2011), country "
                     "(Armenia, Azerbaijan, Georgia) and question: the 2011 Nagorno-Karabakh module "
                     "(NK1–NK5), biggest friend and enemy of the country, approval of doing business with "
                     "and of women marrying Armenians, Azerbaijanis, Turks and Russians, trust in "
                     "institutions, most important national issues, and more. Computed by nkteach from "
                     "CRRC's respondent-level files."),
        fields=fields,
        sources=[{"title": f"Caucasus Barometer {y} regional dataset", "path": URL,
                  "publisher": "Caucasus Research Resource Centers (CRRC)", "release": rel, "file": FILES[y],
                  "via": f"GitHub endrudaud/PYTHONDATAIES_ArmeniaDataAnalytics, CAUCASUS BAROMETER/{orig}, "
                         "commit 432c453329109fe554b101ecb926a5592bdcaa2f"}
                 for y, rel, orig in [(2009, "2011-01-18 file (Stata 2011-02-18)",
                                       "CB2009_Regional_only_responses_18012011.dta"),
                                      (2010, "2011-03-21 file",
                                       "CB2010_Regional_only_responses_21032011.dta"),
                                      (2011, "2012 file (Stata 2012-07-12)",
                                       "CB2011_Regional_only_responses_1202012.dta")]],
        licenses=[{"name": "CRRC-terms", "path": URL,
                   "title": ("No explicit licence: CRRC distributes Caucasus Barometer data publicly and "
                             "free of charge and asks users to cite it. Only aggregated, weighted "
                             "frequencies are redistributed here.")}],
        citation=("The Caucasus Research Resource Centers. (2009, 2010, 2011) \"Caucasus Barometer\" "
                  "[regional datasets]. Weighted frequencies computed by nkteach. "
                  "http://caucasusbarometer.org"),
        bibtex=bibtex_entry("misc", "crrc_cb_2009_2011", author="{Caucasus Research Resource Centers}",
                            title="{Caucasus Barometer 2009, 2010, 2011}", year="2012",
                            note="Regional datasets; weighted frequencies computed by nkteach", url=URL),
        caveats=caveats,
        notes=[
            "Value labels: Windows-1252 apostrophes (byte 0x92) replaced by \"'\", 'Dont know' spelled "
            "\"Don't know\", 'marring' corrected to 'marrying', repeated spaces collapsed.",
            "Blank cells mean the question was not in that country's questionnaire; such country-question "
            "pairs have no rows.",
            "Design, weight and demographic columns (ID, STRATUM, SUBSTRATUM, PSU, weights, sex, age) are "
            "used for weighting only or not at all; ETHNIC is tabulated as a question.",
        ] + skipped,
        df=df, primary_key=["survey_year", "country", "question_id", "code"],
        extra={"percent_unit": "percent (0–100)",
               "base_rule": "exclude -5, -7 and blank; keep -1, -2, -3, -9"},
    )


def build(sources: Path, curated: Path) -> list[Resource]:
    return [caucasus_barometer(sources)]
