"""Content checks on lessons and curated text: own words, both namings, attribution, sources.

Each test names its rule; "cell N" is the 0-based index into the notebook's cells.

copy-seed  No run of COPY_WINDOW (10) consecutive words of a lesson markdown cell, a string
    literal in a lesson code cell, a block (paragraph, list item, table row) of a course page
    (lessons/*.md: syllabus, glossary, readings, instructor guide; site/index.md; README.md) or a
    curated CSV text field occurs
    in a seed (../shared/seeds/00*.txt). Normalised first: NFKC, lowercase, apostrophes dropped, any other
    non-word character (punctuation, markdown/HTML markup) becomes a space, whitespace folded.
    Exemptions, all narrow:
    (1) a window whose every word lies inside quoted spans ("...", “...”) of at most
        QUOTE_MAX_WORDS (12) words each: short marked quotations, or a list of quoted terms
        (L8 lists the brief's neutral labels this way). A window running outside the quotation
        marks is checked as usual.
    (2) curated `cited_source` fields: bibliographic references reproduced from a seed's footnote
        (author, quoted title, venue), so a title matches the seed's reference by
        design (e.g. Gamaghelyan's article title in seed_facts H1). A separate test keeps these
        fields reference-sized (<= REFERENCE_MAX_WORDS words), so no prose can hide there.
    (3) a course page's reference entry, a block starting with PAGE_REFERENCE_MARK ("**Citation.**"),
        for the same reason; it is kept to <= PAGE_REFERENCE_MAX_WORDS words.
copy-brief  The same for lesson and course-page text against BRIEF.md with a 14-word window:
    lessons must not reuse the brief's sentences either. BRIEF windows stay within one line or table cell.
naming  Lesson markdown. Pairs come from the `places` dataset: name_hy against the
    Azerbaijani-side spellings (name_az, name_az_native, and name_en / seed spellings that resemble
    the Azerbaijani name more than the Armenian one, so "Mardakert" is not Azerbaijani-side).
    (a) An Armenian-usage name (Artsakh, Berdzor, Karvachar, Akna, Ivanyan, Stepanakert, Shushi...)
        needs an Azerbaijani-side name of the same place in the same cell.
    (b) An Azerbaijani-side name needs the Armenian name in the same cell when English usage
        follows the Armenian name (Khankendi, Asgaran) or Lesson 1 §5 names the pair
        explicitly although English follows Azerbaijani usage (AZ_NEEDS_HY: Shusha -> Shushi).
    (c) Other English conventional names that are also the Azerbaijani usage may stand alone
        (Nagorno-Karabakh, Khojaly, Fizuli...: the Armenian names of most districts are common
        usage, not in the seeds), except FIRST_MENTION places (Lachin, Kelbajar, Aghdam, whose
        Armenian names Lessons 1-2 teach): the first markdown cell of a lesson that uses
        one must also give its Armenian name; later cells ("the Lachin corridor") may use it alone.
    A name contained in another place's name shares its pairs (e.g. a "<town> corridor" name).
loaded  Lesson markdown, sentence by sentence (split at . ! ? plus a space, and at line breaks):
    a sentence using a LOADED term (the task's list plus "pogrom", "massacre", "occupied" and
    "capitulation", which Lesson 8 lists as loaded) in the package's own voice fails. Text in
    quotation marks or backticks is quoted,
    not the package's voice, and is removed first; a sentence with an ATTRIBUTION marker (a seed
    code 000-004, calls/called, describes/described, according to, says/said, labels/labelled,
    claims, frames, "in Azerbaijani usage", "in Armenian usage"...) is attributed and passes.
citation  A lesson markdown cell with a number of 3+ digits, a percentage or a money amount also
    names a source: a seed code 000-004, a dataset name (containing an underscore, or in
    backticks) or a named source (SIPRI, Freedom House, CRRC, UCDP, World Bank...). Not counted
    as numbers: years 1800-2030 standing alone (and "1990s"), seed codes, section and footnote
    numbers (§4.8, fn 188, note 16), durations ("120 minutes"), inline code and link targets.
    "The thesis says" is attribution but not a citation: give the code and section.
poll  Lesson 04's markdown teaches the Facebook poll's caveats: it says "self-selected" and "49.34".
name-order  In the prose of Lessons 1-8, the course pages, site/index.md and the README, a contested pair
    written "A / B" puts the name English-language usage shares (`name_en` in `places`) first, with spaces
    around the slash, unless a `<!-- name-order: REASON -->` marker follows it at once. Quoted text
    ("...", `...`) is a source's own usage and is skipped. Lessons 9-12 are checked by `nkteach audit`.
prerequisites  Each lesson's `nkteach.prerequisites` metadata (a list of lesson numbers) names the same
    lessons as the first cell's **Prerequisites:** line; Lessons 1-8 must have it.
syllabus  lessons/syllabus.md: weeks `### Week N: Title` with `**Lessons:**` and `**Class time:** NN minutes
    · **Homework:** NN minutes` lines; every lesson once, at most one per week, each after its prerequisites,
    class time at most 90 minutes a week.
rubric-leak  Students see each written task's rubric, so no criterion states the answer of one of the
    lesson's checked exercises: a numeric answer (as printed with its decimals), or a multiple-choice or
    ordering answer of three words or more.
used-in  Each seed's "**Used in.**" line in lessons/readings.md lists exactly the lessons whose
    `nkteach.references(..., seeds=[...])` call names that seed.
glossary-links  Every `glossary.md#anchor` link in a lesson or course page names an anchor the glossary
    defines (`<a id="anchor"></a>`), and every term row of the glossary has one.
"""
from __future__ import annotations

import ast
import csv
import json
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.support.paths import ROOT, shared_files

LESSONS = sorted((ROOT / "lessons").glob("[0-9][0-9]-*.ipynb"))
PAGES = sorted((ROOT / "lessons").glob("*.md"))  # the course kit: syllabus, glossary, readings, guide
# Every page a reader sees besides the lessons: the course kit, the site's home page and the README.
SITE_PAGES = PAGES + [p for p in (ROOT / "site" / "index.md", ROOT / "README.md") if p.is_file()]
CURATED = sorted((ROOT / "data" / "curated").glob("*.csv"))
COPY_WINDOW = 10
BRIEF_WINDOW = 14
QUOTE_MAX_WORDS = 12
REFERENCE_COLUMNS = {"cited_source"}
REFERENCE_MAX_WORDS = 25
# A course page's bibliographic entry: a paragraph or list item starting with this marker reproduces a
# seed's title by design (as `cited_source` does); it is exempt while it stays reference-sized.
PAGE_REFERENCE_MARK = "**Citation.**"
PAGE_REFERENCE_MAX_WORDS = 45

# ---------------------------------------------------------------------------------------- fixtures




@pytest.fixture(scope="module")
def seed_windows() -> dict:
    """Every COPY_WINDOW-word window of every seed -> seed file name."""
    out: dict = {}
    for f in shared_files("seeds", glob="00*.txt"):
        words = normalise(f.read_text(encoding="utf-8")).split()
        for w in _windows(words, COPY_WINDOW):
            out.setdefault(w, f.name[:3])
    return out


@pytest.fixture(scope="module")
def brief_windows() -> set:
    (brief,) = shared_files("curriculum", "BRIEF.md")
    out: set = set()
    for line in brief.read_text(encoding="utf-8").splitlines():
        for segment in line.split("|"):
            out.update(_windows(normalise(segment).split(), BRIEF_WINDOW))
    return out


# ----------------------------------------------------------------------------------------- reading


@dataclass
class Text:
    where: str  # "01-levels-of-analysis cell 3 (markdown)" / "statements.csv row 7 statement"
    text: str
    lesson: str = ""
    cell: int = -1


def lesson_cells(path: Path) -> list[dict]:
    return json.loads(path.read_text(encoding="utf-8"))["cells"]


def markdown_texts(path: Path) -> list[Text]:
    return [Text(f"{path.stem} cell {i} (markdown)", "".join(c["source"]), path.stem, i)
            for i, c in enumerate(lesson_cells(path)) if c["cell_type"] == "markdown"]


def code_string_texts(path: Path) -> list[Text]:
    """String literals of each code cell (IPython magics and shell lines dropped before parsing)."""
    out = []
    for i, c in enumerate(lesson_cells(path)):
        if c["cell_type"] != "code":
            continue
        src = "\n".join(line for line in "".join(c["source"]).splitlines()
                        if not line.lstrip().startswith(("%", "!")))
        tree = ast.parse(src)  # a lesson cell that is not Python is itself a bug
        strings = [n.value for n in ast.walk(tree)
                   if isinstance(n, ast.Constant) and isinstance(n.value, str)]
        out += [Text(f"{path.stem} cell {i} (code string)", s, path.stem, i)
                for s in strings if len(s.split()) >= COPY_WINDOW]
    return out


def _page_blocks(path: Path) -> list[str]:
    """A Markdown page split into paragraphs, list items and table rows (a copied run cannot hide
    across two of them, and a reference entry is one block)."""
    blocks, cur = [], []
    for line in path.read_text(encoding="utf-8").splitlines():
        starts = (not line.strip() or line.lstrip().startswith(("- ", "* ", "|", "#"))
                  or re.match(r"\s*\d+\. ", line))
        if starts and cur:
            blocks.append(" ".join(cur))
            cur = []
        if line.strip():
            cur.append(line.strip())
    if cur:
        blocks.append(" ".join(cur))
    return blocks


def _is_page_reference(block: str) -> bool:
    return re.sub(r"^[-*]\s+", "", block).startswith(PAGE_REFERENCE_MARK)


def page_texts(path: Path) -> list[Text]:
    """The blocks of a course page, minus its reference entries (checked for size separately)."""
    where = path.relative_to(ROOT) if path.is_relative_to(ROOT) else path.name
    return [Text(f"{where} block {i}", b) for i, b in enumerate(_page_blocks(path))
            if not _is_page_reference(b)]


def curated_texts() -> list[Text]:
    out = []
    for f in CURATED:
        with f.open(encoding="utf-8", newline="") as fh:
            for n, row in enumerate(csv.DictReader(fh), start=2):  # line 1 is the header
                out += [Text(f"data/curated/{f.name} line {n} column {k}", v)
                        for k, v in row.items() if v and len(v.split()) >= COPY_WINDOW
                        and k not in REFERENCE_COLUMNS]
    return out


# ------------------------------------------------------------------------------------------ copying

_QUOTE = re.compile(r'"([^"\n]*)"|“([^”]*)”')


def normalise(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).lower()
    text = re.sub(r"['’‘]", "", text)
    return " ".join(re.sub(r"[\W_]+", " ", text).split())


def _windows(words: list[str], n: int):
    return (" ".join(words[i:i + n]) for i in range(len(words) - n + 1))


def _tokens_with_quote_ids(text: str) -> tuple[list[str], list[int]]:
    """Normalised words, and for each the id of the short quotation it sits in (0 = none)."""
    words: list[str] = []
    qid: list[int] = []
    pos, k = 0, 0
    for m in _QUOTE.finditer(text):
        before = normalise(text[pos:m.start()]).split()
        words += before
        qid += [0] * len(before)
        inner = normalise(m.group(1) if m.group(1) is not None else m.group(2)).split()
        k += 1
        words += inner
        qid += [k if len(inner) <= QUOTE_MAX_WORDS else 0] * len(inner)
        pos = m.end()
    rest = normalise(text[pos:]).split()
    return words + rest, qid + [0] * len(rest)


def copied_runs(text: str, windows, n: int) -> list[str]:
    """Maximal runs of `text` (>= n words) made of windows found in `windows`, quotes exempted."""
    words, qid = _tokens_with_quote_ids(text)
    hits = []
    for i in range(len(words) - n + 1):
        if all(qid[i:i + n]):
            continue  # every word inside short quotations
        if " ".join(words[i:i + n]) in windows:
            hits.append(i)
    runs, start, end = [], None, None
    for i in hits:  # merge overlapping windows into one run for a readable report
        if start is not None and i <= end:
            end = i + n
        else:
            if start is not None:
                runs.append(" ".join(words[start:end]))
            start, end = i, i + n
    if start is not None:
        runs.append(" ".join(words[start:end]))
    return runs


def lesson_texts(path: Path) -> list[Text]:
    return markdown_texts(path) + code_string_texts(path)


def copy_findings(texts: list[Text], windows, n: int, label) -> list[str]:
    out = []
    for t in texts:
        for run in copied_runs(t.text, windows, n):
            src = label(windows, run, n)
            out.append(f"{t.where}: {len(run.split())} words as in {src}: \"{run}\"")
    return out


def _seed_label(windows, run, n):
    return "seed " + windows[" ".join(run.split()[:n])]


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.stem)
def test_lesson_does_not_copy_seeds(path, seed_windows):
    found = copy_findings(lesson_texts(path), seed_windows, COPY_WINDOW, _seed_label)
    assert not found, "copy-seed: text copied from a seed:\n" + "\n".join(found)


def test_course_pages_exist():
    names = {p.name for p in PAGES}
    assert {"syllabus.md", "glossary.md", "readings.md", "instructor-guide.md"} <= names, names


@pytest.mark.parametrize("path", SITE_PAGES, ids=lambda p: str(p.relative_to(ROOT)))
def test_page_does_not_copy_seeds(path, seed_windows):
    found = copy_findings(page_texts(path), seed_windows, COPY_WINDOW, _seed_label)
    assert not found, "copy-seed: course-page text copied from a seed:\n" + "\n".join(found)


@pytest.mark.parametrize("path", SITE_PAGES, ids=lambda p: str(p.relative_to(ROOT)))
def test_page_does_not_copy_brief(path, brief_windows):
    found = copy_findings(page_texts(path), brief_windows, BRIEF_WINDOW, lambda *a: "BRIEF.md")
    assert not found, "copy-brief: course-page text reuses the brief's wording:\n" + "\n".join(found)


@pytest.mark.parametrize("path", SITE_PAGES, ids=lambda p: str(p.relative_to(ROOT)))
def test_page_reference_entries_stay_reference_sized(path):
    long = [b for b in _page_blocks(path)
            if _is_page_reference(b) and len(b.split()) > PAGE_REFERENCE_MAX_WORDS]
    assert not long, (f"copy-seed: {path.name} reference entries are exempt only while short:\n"
                      + "\n".join(long))


def test_page_copy_check_catches_a_copied_sentence(seed_windows, tmp_path):
    """A seed sentence pasted into a page paragraph is caught; the same in a reference entry is not."""
    some = next(iter(seed_windows))
    page = tmp_path / "page.md"
    page.write_text(f"# Page\n\nIntro.\n\n- As we saw, {some}.\n- {PAGE_REFERENCE_MARK} {some}.\n",
                    encoding="utf-8")
    found = copy_findings(page_texts(page), seed_windows, COPY_WINDOW, _seed_label)
    assert len(found) == 1 and "block 2" in found[0], found


def test_glossary_place_names_follow_the_places_dataset():
    """The glossary's naming table lists exactly the places with both usages, named as the data say."""
    import nkteach

    places = nkteach.load("places")
    want = {(r.name_en, r.name_hy, r.name_az) for r in places.itertuples()
            if isinstance(r.name_hy, str) and isinstance(r.name_az, str)}
    rows = [[c.strip() for c in line.strip().strip("|").split("|")]
            for line in (ROOT / "lessons" / "glossary.md").read_text(encoding="utf-8").splitlines()
            if line.startswith("| ") and line.count("|") == 6]
    got = {tuple(r[:3]) for r in rows if r[0] != "Place (English)"}
    assert got == want, f"glossary naming table out of date: missing {want - got}, extra {got - want}"


def test_curated_text_does_not_copy_seeds(seed_windows):
    found = copy_findings(curated_texts(), seed_windows, COPY_WINDOW, _seed_label)
    assert not found, "copy-seed: curated text copied from a seed:\n" + "\n".join(found)


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.stem)
def test_lesson_does_not_copy_brief(path, brief_windows):
    found = copy_findings(lesson_texts(path), brief_windows, BRIEF_WINDOW, lambda *a: "BRIEF.md")
    assert not found, "copy-brief: lesson text reuses the brief's wording:\n" + "\n".join(found)


def test_curated_reference_fields_stay_reference_sized():
    long = []
    for f in CURATED:
        with f.open(encoding="utf-8", newline="") as fh:
            for n, row in enumerate(csv.DictReader(fh), start=2):
                long += [f"{f.name} line {n} {k}: {v}" for k, v in row.items()
                         if k in REFERENCE_COLUMNS and v and len(v.split()) > REFERENCE_MAX_WORDS]
    assert not long, "copy-seed: reference fields are exempt only while short:\n" + "\n".join(long)


def test_copy_check_catches_a_copied_sentence(seed_windows):
    """The check itself works: a seed sentence pasted into prose is caught, a short quote is not."""
    some = next(iter(seed_windows))
    assert copied_runs(f"As we saw, {some.upper()}. Then more.", seed_windows, COPY_WINDOW)
    short = " ".join(some.split()[:COPY_WINDOW])
    assert not copied_runs(f'The seed says "{short}".', seed_windows, COPY_WINDOW)


# ------------------------------------------------------------------------------------------- naming

# Both directions are required for the pairs Lesson 1 §5 names even where English follows one side.
AZ_NEEDS_HY = {"shusha"}
# English names that are also the Azerbaijani usage: the lesson's first mention pairs them.
FIRST_MENTION = {"lachin", "kelbajar", "aghdam"}


@dataclass
class Pair:
    place_id: str
    hy: str
    az: set[str]
    az_needs_hy: bool
    first_mention: bool


def _split_names(value) -> list[str]:
    if value is None or value != value:  # None / NA
        return []
    return [s.strip() for s in str(value).split(";") if s.strip()]


def _similar(a: str, b: str) -> float:
    import difflib

    return difflib.SequenceMatcher(None, a.lower(), b.lower()).ratio()


def naming_pairs() -> list[Pair]:
    import nkteach

    pairs: dict[str, Pair] = {}
    for r in nkteach.load("places", as_frame=False):
        hy, az = (r.get("name_hy") or None), (r.get("name_az") or None)
        if not hy or not az or hy == az or hy in pairs:
            continue
        base = {az} | set(_split_names(r.get("name_az_native")))
        others = [re.sub(r" district$", "", n) for n in
                  [r.get("name_en") or "", *_split_names(r.get("name_seed"))]]
        # a seed spelling counts for the side it resembles ("Agdam" -> Aghdam; "Mardakert" is a
        # spelling of the Armenian name Martakert, not an Azerbaijani-side name)
        base |= {n for n in others if n and hy not in n
                 and max(_similar(n, b) for b in base) > _similar(n, hy)}
        en = re.sub(r" district$", "", r.get("name_en") or "")
        az_needs_hy = en == hy or r["place_id"] in AZ_NEEDS_HY
        pairs[hy] = Pair(r["place_id"], hy, base, az_needs_hy, r["place_id"] in FIRST_MENTION)
    for p in pairs.values():  # "Berdzor corridor" is also given as "Lachin/Berdzor corridor"
        for q in pairs.values():
            if q is not p and _name_re([q.hy]).search(p.hy):
                p.az |= q.az
    return list(pairs.values())


def _name_re(names) -> re.Pattern:
    alts = sorted((re.escape(n).replace(r"\-", "[- ]").replace(r"\ ", "[- ]") for n in names),
                  key=len, reverse=True)
    return re.compile(r"(?<!\w)(?:" + "|".join(alts) + r")(?!\w)")


def naming_findings(path: Path, pairs: list[Pair]) -> list[str]:
    out = []
    seen_first: set[str] = set()
    for t in markdown_texts(path):
        for p in pairs:
            has_hy = bool(_name_re([p.hy]).search(t.text))
            m_az = _name_re(p.az).search(t.text)
            if has_hy and not m_az:
                out.append(f"{t.where}: uses the Armenian name {p.hy!r} without "
                           f"{' / '.join(sorted(p.az))}")
            if m_az and not has_hy:
                if p.az_needs_hy:
                    out.append(f"{t.where}: uses {m_az.group(0)!r} without the Armenian name "
                               f"{p.hy!r}")
                elif p.first_mention and p.place_id not in seen_first:
                    out.append(f"{t.where}: first mention of {m_az.group(0)!r} in this lesson "
                               f"without the Armenian name {p.hy!r}")
            if m_az:
                seen_first.add(p.place_id)
    return out


def test_naming_pairs_come_from_the_places_dataset():
    by_hy = {p.hy: p for p in naming_pairs()}
    for hy, az in [("Stepanakert", "Khankendi"), ("Shushi", "Shusha"),
                   ("Artsakh", "Nagorno-Karabakh"), ("Berdzor", "Lachin"),
                   ("Karvachar", "Kelbajar"), ("Akna", "Aghdam"), ("Ivanyan", "Khojaly")]:
        assert hy in by_hy and az in by_hy[hy].az, (hy, az, by_hy.get(hy))
    assert by_hy["Stepanakert"].az_needs_hy and by_hy["Shushi"].az_needs_hy
    assert not by_hy["Artsakh"].az_needs_hy and not by_hy["Berdzor"].az_needs_hy
    assert "Martakert" not in by_hy  # no source gives its Azerbaijani name, so no pair is required


def test_naming_rule_examples(tmp_path):
    nb = {"cells": [{"cell_type": "markdown", "source": [s]} for s in (
        "Artsakh is used by the de facto authorities.",        # 0: Armenian name alone
        "Stepanakert/Khankendi and the Lachin/Berdzor corridor.",
        "Shusha was taken on 8 November.",                      # 2: Lesson 1 §5 pair, one side
        "The road through Lachin.",                             # 3: Lachin already paired
        "Kelbajar fell in April 1993.")],                       # 4: first mention, unpaired
        "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    p = tmp_path / "99-x.ipynb"
    p.write_text(json.dumps(nb))
    found = naming_findings(p, naming_pairs())
    assert [f.split(":")[0] for f in found] == ["99-x cell 0 (markdown)", "99-x cell 2 (markdown)",
                                                 "99-x cell 4 (markdown)"], found


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.stem)
def test_lesson_gives_both_names(path):
    found = naming_findings(path, naming_pairs())
    assert not found, "naming: one side's name without the other's:\n" + "\n".join(found)


# ------------------------------------------------------------------------------------ loaded words

LOADED = re.compile(r"\b(occupied(?: territor(?:y|ies))?|liberat(?:ed|ion)|occupation|terrorist"
                    r"|aggressor|genocide|ethnic cleansing|pogroms?|massacres?|capitulat\w*)\b", re.I)
ATTRIBUTION = re.compile(
    r"\b00[0-4]\b|\b(?:calls?|called|calling|describes?|described|according to|says?|said"
    r"|labels?|labell?ed|termed|refers? to|referred to|frames?|framed|claims?|claimed"
    r"|writes?|wrote|in (?:armenian|azerbaijani|russian|turkish) usage)\b", re.I)
_QUOTED_ANY = re.compile(r'"[^"\n]*"|“[^”]*”|‘[^’]*’|`[^`\n]*`')
_SENTENCE = re.compile(r"(?<=[.!?])\s+|\n+")


def loaded_findings(path: Path) -> list[str]:
    out = []
    for t in markdown_texts(path):
        for sentence in _SENTENCE.split(t.text):
            voice = _QUOTED_ANY.sub(" ", sentence)
            m = LOADED.search(voice)
            if m and not ATTRIBUTION.search(sentence):
                out.append(f"{t.where}: {m.group(0)!r} unattributed in: {sentence.strip()}")
    return out


def test_loaded_word_rule_examples(tmp_path):
    nb = {"cells": [{"cell_type": "markdown", "source": [s]} for s in (
        "003 calls them the occupied territories.",
        "What Azerbaijan called anti-terrorist measures.",
        'The "liberated lands" talk.', "The districts were liberated in 2020.")],
        "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    p = tmp_path / "99-x.ipynb"
    p.write_text(json.dumps(nb))
    found = loaded_findings(p)
    assert len(found) == 1 and "cell 3" in found[0], found


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.stem)
def test_lesson_attributes_loaded_words(path):
    found = loaded_findings(path)
    assert not found, "loaded: one-sided term in the package's own voice:\n" + "\n".join(found)


# --------------------------------------------------------------------------------------- citations

NAMED_SOURCES = ("SIPRI", "Freedom House", "CRRC", "Caucasus Barometer", "UCDP", "World Bank",
                 "Nations in Transit", "GeoNames", "Natural Earth", "Transparency International")
_NUMBER = re.compile(r"(?<![\w.,§])(\$\s?)?(\d[\d,]*(?:\.\d+)?)(\s?%|\s?per ?cent\b|\s?percent\b"
                     r"|\s?(?:bn|billion|million|m)\b)?", re.I)
_YEARISH = re.compile(r"^(18\d\d|19\d\d|20[0-2]\d|2030)$")


def _numbers(text: str) -> list[str]:
    text = re.sub(r"`[^`\n]*`", " ", text)  # inline code
    text = re.sub(r"\]\([^)]*\)", "]", text)  # link targets
    text = re.sub(r"§\s?[\w.]+|\bfn\s?\d+(?:[–-]\d+)?|\bnotes?\s\d+", " ", text)  # references
    out = []
    for m in _NUMBER.finditer(text):
        money, num, unit = m.group(1), m.group(2).rstrip(",."), m.group(3)
        digits = re.sub(r"\D", "", num.split(".")[0])
        after = text[m.end():m.end() + 12]
        if re.match(r"s\b", after) and _YEARISH.match(num):
            continue  # the 1990s
        if re.match(r"\s?(?:minutes?|mins?)\b", after, re.I):
            continue
        if money or unit:
            out.append(m.group(0).strip())
        elif len(digits) >= 3 and not _YEARISH.match(num) and not re.fullmatch(r"00[0-4]", num):
            out.append(num)
    return out


def _cites(text: str, datasets: list[str]) -> bool:
    if re.search(r"\b00[0-4]\b", text) or any(s.lower() in text.lower() for s in NAMED_SOURCES):
        return True
    return any(re.search(rf"`[^`]*\b{re.escape(d)}\b[^`]*`", text) or ("_" in d and d in text)
               for d in datasets)


def citation_findings(path: Path) -> list[str]:
    import nkteach

    datasets = list(nkteach.datasets()["name"])
    out = []
    for t in markdown_texts(path):
        nums = _numbers(t.text)
        if nums and not _cites(t.text, datasets):
            out.append(f"{t.where}: numbers {', '.join(dict.fromkeys(nums))} without a source; "
                       f"text starts: {' '.join(t.text.split())[:160]}")
    return out


def test_number_rule_examples():
    assert _numbers("From 1805 to 1994, in the 1990s, lesson 3, 45 minutes, 120 minutes, "
                    "002 §4.8, fn 188") == []
    assert _numbers("1,372 answered; 49.34% chose war; $3.7bn") == ["1,372", "49.34%", "$3.7bn"]


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.stem)
def test_lesson_numbers_carry_a_source(path):
    found = citation_findings(path)
    assert not found, "citation: numbers without a source in the same cell:\n" + "\n".join(found)


# ------------------------------------------------------------------------------------ Facebook poll


def test_lesson_04_criticises_the_facebook_poll():
    (path,) = [p for p in LESSONS if p.name.startswith("04-")]
    prose = "\n".join(t.text for t in markdown_texts(path))
    missing = [w for w in ("self-selected", "49.34") if w not in prose]
    assert not missing, f"poll: lesson 04 markdown never says {missing}"


# ------------------------------------------------------------------------------------ name order

# Lessons whose prose content18 keeps in order; Lessons 9-12 are covered by `nkteach audit`.
ORDERED_LESSONS = [p for p in LESSONS if int(p.name[:2]) <= 8]
_ORDER_MARK = re.compile(r"\s*<!--\s*name-order:\s*\S[^>]*-->")
_QUOTED_SPAN = re.compile(r'"[^"\n]{0,300}"|“[^”]{0,300}”|`[^`\n]*`|"[^"]{0,300}"')


@dataclass
class OrderPair:
    place_id: str
    first: set[str]   # name_en and the spellings of the same usage
    second: set[str]  # the other usage


def order_pairs() -> list[OrderPair]:
    """Each contested place: the name English-language usage shares (name_en) and the other usage."""
    import nkteach

    out, seen = [], set()
    for r in nkteach.load("places", as_frame=False):
        hy, az = r.get("name_hy") or "", r.get("name_az") or ""
        if not hy or not az or hy == az:
            continue
        en = re.sub(r" district$", "", r.get("name_en") or "")
        if (en, hy, az) in seen:
            continue
        seen.add((en, hy, az))
        az_side = {az, en, *_split_names(r.get("name_az_native")),
                   *[n for n in _split_names(r.get("name_seed")) if hy not in n]}
        if en == hy:   # English follows the Armenian usage: Stepanakert / Khankendi
            out.append(OrderPair(r["place_id"], {hy}, az_side - {hy}))
        else:          # English follows the Azerbaijani usage: Shusha / Shushi
            out.append(OrderPair(r["place_id"], az_side, {hy}))
    return out


def _alternation(names) -> str:
    """Names as one regex alternation, longest first; a hyphen or space matches either."""
    return "|".join(sorted((re.escape(n).replace(r"\-", "[- ]").replace(r"\ ", "[- ]") for n in names),
                           key=len, reverse=True))


def order_findings(where: str, text: str, pairs: list[OrderPair]) -> list[str]:
    prose = _QUOTED_SPAN.sub(lambda m: " " * len(m.group(0)), text)
    out = []
    for p in pairs:
        first, second = _alternation(p.first), _alternation(p.second)
        for m in re.finditer(rf"(?<!\w)(?:{first}|{second})\s*/\s*(?:{first}|{second})(?!\w)", prose):
            a, b = [s.strip() for s in m.group(0).split("/", 1)]
            if _name_re(p.first).fullmatch(a) and _name_re(p.first).fullmatch(b):
                continue  # two spellings of one usage
            marked = _ORDER_MARK.match(prose, m.end())
            if _name_re(p.second).fullmatch(a) and not marked:
                out.append(f"{where}: {m.group(0)!r} puts the other usage first; write "
                           f"'{b} / {a}' or mark the reason with <!-- name-order: REASON -->")
            elif not re.search(r"\s/\s", m.group(0)) and not marked:
                out.append(f"{where}: {m.group(0)!r}: write a pair as 'A / B' (spaces around the slash)")
    return out


def test_order_rule_examples():
    pairs = order_pairs()
    text = ("Shushi/Shusha and Stepanakert / Khankendi. Lachin/Berdzor. Khankendi / Stepanakert "
            "<!-- name-order: quotation from 000 --> and \"Nagorno-Karabakh/Artsakh\" as 000 writes it.")
    found = order_findings("x", text, pairs)
    assert len(found) == 2, found
    assert any("'Shushi/Shusha' puts the other usage first" in f for f in found), found
    assert any("'Lachin/Berdzor': write a pair as 'A / B'" in f for f in found), found


@pytest.mark.parametrize("path", ORDERED_LESSONS + SITE_PAGES, ids=lambda p: p.name)
def test_name_pairs_follow_the_order_rule(path):
    pairs = order_pairs()
    if path.suffix == ".ipynb":
        texts = [(t.where, t.text) for t in markdown_texts(path) + code_string_texts(path)]
    else:
        texts = [(str(path.relative_to(ROOT)), path.read_text(encoding="utf-8"))]
    found = [f for where, text in texts for f in order_findings(where, text, pairs)]
    assert not found, "name-order:\n" + "\n".join(found)


# --------------------------------------------------------------------------------- prerequisites

_PREREQ_LINE = re.compile(r"^\*\*Prerequisites:\*\*(.*)$", re.M)


def prerequisites_in_line(first_cell: str) -> list[int] | None:
    """Lesson numbers the first cell's **Prerequisites:** line names ("Lesson 7", "Lessons 7 and 8",
    "Lessons 1, 3, 4 and 5"); [] for "none"; None without the line."""
    m = _PREREQ_LINE.search(first_cell)
    if not m:
        return None
    nums: set[int] = set()
    for run in re.finditer(r"\bLessons?\s+(\d+(?:\s*(?:,|and|&)\s*\d+)*)", m.group(1)):
        nums |= {int(n) for n in re.findall(r"\d+", run.group(1))}
    return sorted(nums)


def lesson_meta(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))["metadata"].get("nkteach", {})


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.stem)
def test_prerequisites_are_machine_readable(path):
    meta = lesson_meta(path)
    number = int(path.name[:2])
    if "prerequisites" not in meta:
        assert number > 8, f"prerequisites: {path.name} has no nkteach.prerequisites metadata"
        pytest.skip("Lessons 9-12: content912 adds the metadata")
    pre = meta["prerequisites"]
    assert isinstance(pre, list) and all(isinstance(n, int) and 1 <= n < number for n in pre), pre
    line = prerequisites_in_line("".join(lesson_cells(path)[0]["source"]))
    assert line is not None, f"prerequisites: {path.name} first cell has no **Prerequisites:** line"
    assert line == sorted(pre), f"prerequisites: {path.name} metadata {pre} but the line names {line}"


def test_prerequisite_line_parser():
    assert prerequisites_in_line("**Prerequisites:** none. Run cells.") == []
    assert prerequisites_in_line("**Prerequisites:** Lessons 1, 3, 4 and 5 (one per level).") == [1, 3, 4, 5]
    assert prerequisites_in_line("**Prerequisites:** Lesson 2 (roots) and Lesson 9.") == [2, 9]
    assert prerequisites_in_line("no line") is None


# -------------------------------------------------------------------------------------- syllabus

_WEEK = re.compile(r"^### Week (\d+): .+\n+\*\*Lessons:\*\* (none|\d+(?:, \d+)*)\n+"
                   r"\*\*Class time:\*\* (\d+) minutes · \*\*Homework:\*\* (\d+) minutes$", re.M)


def syllabus_weeks(text: str) -> list[tuple[int, list[int], int]]:
    return [(int(m.group(1)), [] if m.group(2) == "none" else [int(n) for n in m.group(2).split(", ")],
             int(m.group(3))) for m in _WEEK.finditer(text)]


def test_syllabus_respects_prerequisites_and_load():
    text = (ROOT / "lessons" / "syllabus.md").read_text(encoding="utf-8")
    weeks = syllabus_weeks(text)
    assert len(weeks) == text.count("### Week "), "syllabus: a week heading without its two lines"
    assert [w for w, _, _ in weeks] == list(range(1, len(weeks) + 1)), "syllabus: weeks out of sequence"
    when = {}
    for week, lessons, minutes in weeks:
        assert len(lessons) <= 1, f"syllabus: week {week} holds {len(lessons)} lessons"
        assert minutes <= 90, f"syllabus: week {week} has {minutes} minutes of class"
        for n in lessons:
            assert n not in when, f"syllabus: Lesson {n} twice"
            when[n] = week
    numbers = sorted(int(p.name[:2]) for p in LESSONS)
    assert sorted(when) == numbers, f"syllabus: lessons {sorted(when)}, notebooks {numbers}"
    for p in LESSONS:
        n = int(p.name[:2])
        pre = lesson_meta(p).get("prerequisites")
        if pre is None:
            pre = prerequisites_in_line("".join(lesson_cells(p)[0]["source"])) or []
        late = [q for q in pre if when.get(q, 0) >= when[n]]
        assert not late, f"syllabus: Lesson {n} (week {when[n]}) comes before its prerequisites {late}"


# ------------------------------------------------------------------------------- glossary links

def glossary_anchors() -> list[str]:
    return re.findall(r'<a id="([^"]+)"></a>', (ROOT / "lessons" / "glossary.md").read_text(encoding="utf-8"))


def test_glossary_terms_have_unique_anchors():
    text = (ROOT / "lessons" / "glossary.md").read_text(encoding="utf-8")
    anchors = glossary_anchors()
    assert len(anchors) == len(set(anchors)), "glossary-links: duplicate anchors"
    term_rows = [line for line in text.split("## Both namings")[0].splitlines()
                 if line.startswith("| ") and not line.startswith("| Term |")]
    bare = [r for r in term_rows if "<a id=" not in r]
    assert term_rows and not bare, "glossary-links: term rows without an anchor:\n" + "\n".join(bare)


@pytest.mark.parametrize("path", LESSONS + PAGES, ids=lambda p: p.name)
def test_glossary_links_resolve(path):
    text = path.read_text(encoding="utf-8")
    anchors = set(glossary_anchors())
    missing = sorted({a for a in re.findall(r"glossary\.md#([\w-]+)", text) if a not in anchors})
    assert not missing, f"glossary-links: {path.name} links anchors the glossary lacks: {missing}"


# ------------------------------------------------------------------------------------- used in

def seeds_referenced(path: Path) -> set[str]:
    """The seed codes of a lesson's nkteach.references(..., seeds=[...]) call."""
    out: set[str] = set()
    for c in lesson_cells(path):
        if c["cell_type"] != "code":
            continue
        for node in ast.walk(ast.parse("".join(c["source"]))):
            if isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "references":
                out |= {s for kw in node.keywords if kw.arg == "seeds" for s in ast.literal_eval(kw.value)}
    return out


def test_readings_used_in_lines_come_from_the_lessons():
    text = (ROOT / "lessons" / "readings.md").read_text(encoding="utf-8")
    sections = re.split(r"^## ", text, flags=re.M)
    checked = 0
    for code in ("000", "001", "002", "003", "004"):
        (section,) = [s for s in sections if s.startswith(f"{code} ")]
        m = re.search(r"\*\*Used in\.\*\* Lessons? ([^(.;]*)", section)
        assert m, f"used-in: readings has no Used in line for {code}"
        listed = {int(n) for n in re.findall(r"\d+", m.group(1))}
        want = {int(p.name[:2]) for p in LESSONS if code in seeds_referenced(p)}
        assert listed == want, f"used-in: {code} lists lessons {sorted(listed)}, the lessons' references " \
                               f"name it in {sorted(want)}"
        checked += 1
    assert checked == 5


# ----------------------------------------------------------------------------------- rubric leaks

def exercise_answers_and_rubrics(path: Path) -> tuple[list[tuple[str, object]], list[str]]:
    """(exercise id, literal answer) of numeric / multiple-choice / ordering calls; every rubric criterion."""
    answers, rubrics = [], []
    for c in lesson_cells(path):
        if c["cell_type"] != "code":
            continue
        for node in ast.walk(ast.parse("".join(c["source"]))):
            if not isinstance(node, ast.Call):
                continue
            kind, kw = getattr(node.func, "attr", ""), {k.arg: k.value for k in node.keywords}
            if kind == "written" and "rubric" in kw:
                rubrics += ast.literal_eval(kw["rubric"])
            elif kind in ("numeric", "multiple_choice", "ordering") and "answer" in kw and node.args:
                answers.append((ast.literal_eval(node.args[0]), ast.literal_eval(kw["answer"])))
    return answers, rubrics


def rubric_leaks(path: Path) -> list[str]:
    answers, rubrics = exercise_answers_and_rubrics(path)
    out = []
    for ident, answer in answers:
        if isinstance(answer, (int, float)):
            shown = {f"{answer:g}", f"{answer:.1f}", f"{answer:.2f}"}
            pats = [rf"(?<![\d.,]){re.escape(s)}(?![\d])" for s in shown if len(re.sub(r"\D", "", s)) >= 2]
        else:
            texts = answer if isinstance(answer, list) else [answer]
            pats = [re.escape(normalise(s)) for s in texts if isinstance(s, str) and len(s.split()) >= 3]
        for r in rubrics:
            target = r if isinstance(answer, (int, float)) else normalise(r)
            if any(re.search(p, target) for p in pats):
                out.append(f"{path.name}: the rubric criterion {r[:70]!r}… states the answer of {ident}")
    return out


def test_rubric_leak_rule_example(tmp_path):
    cells = ['ex.numeric("x-share", "Share?", answer=49.34, why="w")',
             'ex.multiple_choice("x-mc", "Why?", ["It was cheap", "Russia had levers over both"], '
             'answer="Russia had levers over both", why="w")',
             'ex.written("x-w1", prompt="p", model_answer="m", '
             'rubric=["Poll — strong: cites 49.34% / weak: no", '
             '"Why — strong: says Russia had levers over both / weak: no", "Fine — strong: a / weak: b"])']
    nb = {"cells": [{"cell_type": "code", "source": [s], "metadata": {}} for s in cells],
          "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    p = tmp_path / "99-x.ipynb"
    p.write_text(json.dumps(nb))
    found = rubric_leaks(p)
    assert len(found) == 2 and "x-share" in found[0] and "x-mc" in found[1], found


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.stem)
def test_rubrics_do_not_give_away_exercise_answers(path):
    found = rubric_leaks(path)
    assert not found, "rubric-leak: students see the criteria:\n" + "\n".join(found)
