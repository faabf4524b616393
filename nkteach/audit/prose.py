"""Sentence-level heuristics: loaded terms and their attribution, claims attributed to parties,
seed citations. Each pattern here is documented in docs/audit.md.
"""

from __future__ import annotations

import re
from collections import Counter

__all__ = [
    "LOADED",
    "ATTRIBUTION",
    "LOADED_MARKER",
    "sentences",
    "loaded_unattributed",
    "PARTIES",
    "OUTSIDE_POWERS",
    "SAY",
    "claim_counts",
    "SEED",
    "seed_counts",
    "SHORT_STRING_WORDS",
]

#: the loaded terms: tests/test_content.py's list (occupied/occupation, liberated/liberation,
#: terrorist, aggressor, genocide, ethnic cleansing, pogrom, massacre, capitulation) extended with the
#: terms the seeds themselves treat as contested: aggression (002 §III.W's heading, 000),
#: terrorism / counter-terrorism (000 on both sides' framing of 2023), separatism/separatist (003),
#: occupy/occupying, liberate, and "liberated lands" (002 §IV).
LOADED = re.compile(
    r"\b(occupied(?: territor(?:y|ies))?|occupation|occupy(?:ing)?|liberat(?:e|ed|ion)(?: lands)?"
    r"|(?:counter-|anti-)?terroris[mt]s?|aggressors?|aggression|genocide|ethnic cleansing|pogroms?"
    r"|massacres?|capitulat\w*|separatis[mt]s?)\b",
    re.I,
)

#: a sentence is attributed when it names who uses the term (a verb of saying, "according to",
#: "usage", "term" …), quotes it (the term inside quotation marks or backticks), or cites a seed
ATTRIBUTION = re.compile(
    r"(?<![\w.,§])00[0-4](?![\w]|[.,]\d)"
    r"|\b(?:calls?|called|calling|describes?|described|according to|says?|said"
    r"|labels?|labell?ed|termed|terms?|refers? to|referred to|frames?|framed|claims?|claimed"
    r"|writes?|wrote|argues?|argued|accus\w+|insists?|insisted|denounc\w+|portray\w*|characteri[sz]\w*"
    r"|alleg\w+|brand\w*|dubb?\w*|speaks? of|spoke of|usage|used by|uses|narratives?|rhetoric"
    r"|in (?:armenian|azerbaijani|russian|turkish) usage)\b",
    re.I,
)
#: a marked exception, written right after the sentence: <!-- loaded-term: REASON -->
LOADED_MARKER = re.compile(r"<!--\s*loaded-term:\s*(?P<reason>[^>]*?\S)\s*-->")
_QUOTED = re.compile(r'"[^"\n]*"|“[^”]*”|‘[^’]*’|`[^`\n]*`|(?<!\w)\'[^\'\n]*\'(?!\w)')
_SENTENCE = re.compile(r"(?<=[.!?])\s+(?!<!--)|\n+")
#: a code-cell string this short is a label or an option (a list of terms), not a sentence
SHORT_STRING_WORDS = 3


def sentences(text: str) -> list[str]:
    """The non-blank sentences of ``text``."""
    return [s for s in _SENTENCE.split(text) if s.strip()]


def loaded_unattributed(text: str, *, code_string: bool = False) -> list[tuple[str, str]]:
    """(term, sentence) for every sentence using a loaded term in the package's own voice."""
    if code_string and len(text.split()) <= SHORT_STRING_WORDS:
        return []
    out = []
    for s in sentences(text):
        if LOADED_MARKER.search(s):
            continue
        voice = _QUOTED.sub(" ", re.sub(r"<!--.*?-->", " ", s))
        m = LOADED.search(voice)
        if m and not ATTRIBUTION.search(voice):
            out.append((m.group(0), s.strip()))
    return out


# ------------------------------------------------------------------ claims attributed to parties
#: party -> how a sentence names it (the parties to the conflict)
PARTIES = {
    "Armenia": r"Armenia(?:'s)?|Armenians?|Yerevan|Pashinyan|Kocharyan|Sargsyan|Ter-Petrosyan",
    "Azerbaijan": r"Azerbaijan(?:'s)?|Azerbaijanis?|Baku|Aliyev",
    "Karabakh Armenians": r"Karabakh Armenians?|Armenians of (?:Nagorno-)?Karabakh|de facto authorities"
    r"|Artsakh (?:government|authorities|leaders)|Stepanakert(?: authorities)?",
}
#: outside powers and organisations
OUTSIDE_POWERS = {
    "Russia": r"Russia(?:'s)?|Russian|Moscow|the Kremlin|Putin|Medvedev|Lavrov|Yeltsin",
    "Turkey": r"Turkey(?:'s)?|Turkish|Ankara|Erdoğan|Erdogan",
    "Iran": r"Iran(?:'s)?|Iranian|Tehran|Rafsanjani",
    "USA": r"the United States|the US|the USA|American|Washington|the State Department|Congress",
    "EU": r"the EU|the European Union|Brussels|the European Parliament",
    "OSCE Minsk Group": r"the (?:OSCE )?Minsk Group|the OSCE|the CSCE|the co-chairs|co-chairs",
    "UN": r"the UN|the United Nations|the (?:UN )?Security Council",
    "France": r"France|French|Paris|Macron",
    "Georgia": r"Georgia(?:'s)?|Georgian|Tbilisi",
}
#: verbs (and "according to") that attribute a claim to whoever the sentence names before them
SAY = re.compile(
    r"\b(?:says?|said|claims?|claimed|argues?|argued|insists?|insisted|asserts?|asserted"
    r"|denies|denied|accus\w+|calls?|called|describes?|described|demands?|demanded"
    r"|rejects?|rejected|maintains?|maintained|holds|held that|sees|saw|views?|viewed"
    r"|considers?|considered|blames?|blamed|proposed|warns?|warned|stated?|declared?)\b"
)
_ACTORS = {**PARTIES, **OUTSIDE_POWERS}
_ACTOR_RES = {k: re.compile(rf"(?<![\w-])(?:{v})(?![\w-])") for k, v in _ACTORS.items()}
_ACCORDING = re.compile(r"\baccording to\b", re.I)


def claim_counts(text: str) -> Counter:
    """How many sentences attribute a claim to each party or outside power: the actor named
    last before the first verb of saying (within the sentence), or the actor right after
    "according to"."""
    out: Counter = Counter()
    for s in sentences(text):
        for m in _ACCORDING.finditer(s):
            after = s[m.end() : m.end() + 60]
            hits = [
                (mm.start(), -len(mm.group(0)), k) for k, r in _ACTOR_RES.items() if (mm := r.search(after))
            ]
            if hits:
                out[min(hits)[2]] += 1
        v = SAY.search(s)
        if not v:
            continue
        before = s[max(0, v.start() - 80) : v.start()]
        # the actor named last; of two ending together ("Karabakh Armenians"), the longer name
        hits = [
            (mm.end(), mm.end() - mm.start(), k) for k, r in _ACTOR_RES.items() for mm in r.finditer(before)
        ]
        if hits:
            out[max(hits)[2]] += 1
    return out


SEED = re.compile(r"(?<![\w.,§])(00[0-4])(?![\w]|[.,]\d)")


def seed_counts(text: str) -> Counter:
    """How often each seed file code (``000``–``004``) is cited in ``text``."""
    return Counter(SEED.findall(text))
