"""The audit's rules: a registry (name -> function), like ``nkteach.charts.CHARTS``.

Each rule takes the :class:`~nkteach.audit.texts.Corpus` and returns a list of
:class:`Finding`; a rule's docstring is its documentation (``nkteach audit --rules`` prints it).
"""

from __future__ import annotations

import ast
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ..lessonfile.items import heading_anchor
from ..lessonfile.reader import cell_source
from ..lessonfile import house
from .names import find_pairs, pair_pattern, place_names
from .prose import loaded_unattributed, seed_counts
from .texts import Corpus, Doc

__all__ = [
    "Finding",
    "RULES",
    "rule",
    "syllabus_weeks",
    "Week",
    "prerequisites",
    "reference_seeds",
    "cited_text",
    "anchors_of",
    "myst_slug",
    "used_in_lessons",
    "MAX_CLASS_MINUTES",
    "WEEK_TIME_LINE",
    "lesson_lists",
    "links",
    "loaded_terms",
    "name_order",
    "name_pair_counts",
    "prerequisites_rule",
    "seeds_cited",
    "time_rule",
]

MAX_CLASS_MINUTES = 90


@dataclass
class Finding:
    """One problem a rule found: the rule, the file, where in it, and a message."""
    rule: str
    file: str  # path relative to the course root
    where: str  # cell / line
    message: str
    #: printed on stdout only, never in the Markdown report (a site page): e.g. the sentence of a
    #: code-cell string, which may be part of a model answer
    detail: str = ""

    def __str__(self) -> str:
        where = f" {self.where}" if self.where else ""
        detail = f": {self.detail}" if self.detail else ""
        return f"[{self.rule}] {self.file}{where}: {self.message}{detail}"


RULES: dict[str, Callable[[Corpus], list[Finding]]] = {}


def rule(name: str):
    """Decorator registering the function as the audit rule ``name`` in :data:`RULES`."""
    def deco(fn):
        fn.rule_name = name
        RULES[name] = fn
        return fn

    return deco


def _rel(c: Corpus, d: Doc | Path) -> str:
    p = d.path if isinstance(d, Doc) else d
    try:
        return p.relative_to(c.root).as_posix()
    except ValueError:
        return str(p)


def _line_of(text: str, pos: int) -> str:
    return f"line {text.count(chr(10), 0, pos) + 1}"


# ------------------------------------------------------------------------------ name order
@rule("name-order")
def name_order(c: Corpus) -> list[Finding]:
    """Every contested place pair of ``data/places.csv`` (name_en, name_hy, name_az, name_seed,
    name_historical), written "A / B", "A/B" or "A (B)" in either order in a lesson (Markdown
    cells and code-cell strings), a course page (lessons/*.md), README.md or site/*.md, follows the
    package's order rule (name_en's side first, historical names last: "Shusha / Shushi",
    "Stepanakert / Khankendi", "Ganja (Elisavetpol)"), or carries ``<!-- name-order: REASON -->``
    right after it (in a code cell also a comment line ``# name-order: REASON``)."""
    names = place_names(c.root)
    pat = pair_pattern(names)
    out = []
    for d in c.docs:
        for s in d.segments:
            if "name-order" in s.markers:
                continue
            for h in find_pairs(s.text, names, pat):
                if not h.in_order and not h.reason:
                    where = s.where or _line_of(s.text, s.text.replace("*", "").find(h.text))
                    out.append(
                        Finding(
                            "name-order",
                            _rel(c, d),
                            where,
                            f"{h.text!r}: the rule's order is {h.expected!r} (or mark a reason: "
                            "<!-- name-order: REASON -->)",
                        )
                    )
    return out


def name_pair_counts(c: Corpus) -> dict[str, dict[str, int]]:
    """Per document label: pairs in order, reversed with a marked reason, reversed unmarked."""
    names = place_names(c.root)
    pat = pair_pattern(names)
    out = {}
    for d in c.docs:
        n = {"in order": 0, "marked": 0, "reversed": 0}
        for s in d.segments:
            for h in find_pairs(s.text, names, pat):
                marked = h.reason or "name-order" in s.markers
                n["in order" if h.in_order else "marked" if marked else "reversed"] += 1
        out[d.label] = n
    return out


# ---------------------------------------------------------------------------- loaded terms
@rule("loaded-terms")
def loaded_terms(c: Corpus) -> list[Finding]:
    """Every sentence that uses a loaded term (``prose.LOADED``: the test_content list extended
    with the terms the seeds treat as contested) is attributed: the term is quoted ("…", `…`), or
    the same sentence names who uses it (a verb of saying, "according to", "usage", "term" …),
    or cites a seed (000–004). Otherwise ``<!-- loaded-term: REASON -->`` right after the
    sentence marks an exception (in a code cell: a comment line ``# loaded-term: REASON`` exempts
    the cell's strings, e.g. the deliberately loaded wrong options of an exercise). A code-cell
    string of 3 words or fewer (an option, a label) is a mention, not a sentence."""
    out = []
    for d in c.docs:
        for s in d.segments:
            if "loaded-term" in s.markers:
                continue
            for term, sent in loaded_unattributed(s.text, code_string=s.kind == "code"):
                where = s.where or _line_of(s.text, s.text.find(sent[:40]))
                out.append(
                    Finding(
                        "loaded-terms",
                        _rel(c, d),
                        where,
                        f"{term!r} in the package's own voice"
                        + (
                            f": {sent[:160]!r}" if s.kind != "code" else " (a sentence of a code-cell string)"
                        ),
                        "" if s.kind != "code" else repr(sent[:160]),
                    )
                )
    return out


# ------------------------------------------------------------------------------ seeds cited
_REF_CALL = re.compile(r"\breferences\s*\(")


def cited_text(d: Doc) -> str:
    """A lesson's prose for counting citations: Markdown and code strings, not the references call."""
    skip = {i for i, cell in enumerate((d.nb or {}).get("cells", [])) if _REF_CALL.search(cell_source(cell))}
    return "\n".join(s.text for s in d.segments if s.cell not in skip)


@rule("seeds-cited")
def seeds_cited(c: Corpus) -> list[Finding]:
    """Every lesson cites at least one seed (000–004) in its text (the references call at the end
    does not count). The per-lesson counts of claims attributed to each party and of citations of
    each seed are in the report (informational)."""
    return [
        Finding("seeds-cited", _rel(c, d), "", "the lesson cites no seed (000–004) in its text")
        for d in c.lessons
        if not seed_counts(cited_text(d))
    ]


# ------------------------------------------------------------------------------------ links
_MD_LINK = re.compile(r"(?<!!)\[(?:[^\]\n]|\][^(\n])*?\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
_HREF = re.compile(r"\bhref\s*=\s*[\"']([^\"']+)[\"']", re.I)
_HEADING = re.compile(r"^(#{1,6})\s+(.+?)\s*#*\s*$", re.M)
_IDS = re.compile(r"\b(?:id|name)\s*=\s*[\"']([^\"']+)[\"']|^\(([^)\s]+)\)=\s*$", re.M)
_FENCE = re.compile(r"^```.*?^```", re.M | re.S)


def myst_slug(text: str) -> str:
    """The anchor MyST (Jupyter Book) gives a heading: lower case, markup and punctuation dropped,
    spaces to hyphens."""
    plain = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)
    plain = re.sub(r"[*_`]", "", plain).strip().lower()
    plain = re.sub(r"[^\w\- ]", "", plain)
    return re.sub(r" ", "-", plain)


def _anchors_of_text(text: str) -> set[str]:
    text = _FENCE.sub("", text)
    out = set()
    for m in _HEADING.finditer(text):
        out |= {myst_slug(m.group(2)), heading_anchor(m.group(2))}
    for m in _IDS.finditer(text):
        out.add(m.group(1) or m.group(2))
    return out


def anchors_of(path: Path, cache: dict) -> set[str] | None:
    """Anchors a link may name in ``path`` (a .md page or a notebook); None for other files."""
    if path in cache:
        return cache[path]
    res = None
    if path.suffix == ".md":
        res = _anchors_of_text(path.read_text(encoding="utf-8", errors="replace"))
    elif path.suffix == ".ipynb":
        from ..lessonfile.reader import read_notebook

        nb = read_notebook(path)
        res = set()
        for cell in nb.get("cells", []):
            if cell.get("cell_type") == "markdown":
                res |= _anchors_of_text(cell_source(cell))
    cache[path] = res
    return res


@rule("links")
def links(c: Corpus) -> list[Finding]:
    """Every relative link (Markdown ``[text](target)`` or ``href``) in a lesson, course page,
    README or site page resolves: the file exists, and a ``#anchor`` names a heading of the target
    (its MyST slug or its JupyterLab anchor), an ``id=``/``name=`` attribute or a MyST target
    ``(label)=``: glossary entries, lesson sections and course pages alike. Web links (with a
    scheme) are not fetched."""
    out = []
    cache: dict = {}
    for d in c.docs:
        for s in d.segments:
            if s.kind == "code":
                continue
            text = _FENCE.sub(lambda m: "\n" * m.group(0).count("\n"), s.text)
            for m in list(_MD_LINK.finditer(text)) + list(_HREF.finditer(text)):
                target = m.group(1)
                if re.match(r"^[a-zA-Z][\w+.-]*:", target) or target.startswith("/"):
                    continue
                file, _, anchor = target.partition("#")
                where = s.where or _line_of(text, m.start())
                dest = (d.path.parent / file).resolve() if file else d.path
                if file and not dest.exists():
                    out.append(Finding("links", _rel(c, d), where, f"link {target!r}: no file {file!r}"))
                    continue
                if anchor:
                    found = anchors_of(dest, cache)
                    if found is not None and anchor not in found:
                        out.append(
                            Finding(
                                "links",
                                _rel(c, d),
                                where,
                                f"link {target!r}: {dest.name} has no anchor {anchor!r}",
                            )
                        )
    return out


# ---------------------------------------------------------------------- lesson lists agree
def reference_seeds(d: Doc) -> set[str]:
    """The seeds a lesson's ``references(..., seeds=[...])`` call lists."""
    for cell in (d.nb or {}).get("cells", []):
        src = cell_source(cell)
        if cell.get("cell_type") != "code" or not _REF_CALL.search(src):
            continue
        try:
            tree = ast.parse(src)
        except SyntaxError:
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.Call):
                for k in node.keywords:
                    if k.arg == "seeds":
                        try:
                            return {str(x) for x in ast.literal_eval(k.value)}
                        except ValueError:
                            return set()
    return set()


_NUMS = re.compile(r"\b(\d{1,2})(?:\s*[–-]\s*(\d{1,2}))?\b")
_LESSON_LIST = re.compile(r"\bLessons?\s+((?:\d{1,2}(?:\s*[–-]\s*\d{1,2})?(?:\s*,\s*|\s+and\s+|\s*;\s*)?)+)")


def _numbers(text: str) -> set[int]:
    out: set[int] = set()
    for m in _NUMS.finditer(text):
        a = int(m.group(1))
        b = int(m.group(2)) if m.group(2) else a
        out |= set(range(a, b + 1)) if a <= b else {a}
    return out


def used_in_lessons(text: str, all_lessons: set[int]) -> set[int]:
    """The lessons a readings entry's ``**Used in.**`` item names: "Every lesson"/"all lessons",
    "Lesson 9", "Lessons 1, 2 and 5", "Lessons 01–08" (every such list in the item)."""
    if re.search(r"\b(?:every|all(?: the)?) lessons?\b", text, re.I):
        found = set(all_lessons)
    else:
        found = set()
    for m in _LESSON_LIST.finditer(text):
        found |= _numbers(m.group(1))
    return found


_NUMBER_WORDS = {
    w: i
    for i, w in enumerate(
        "zero one two three four five six seven eight nine ten eleven "
        "twelve thirteen fourteen fifteen sixteen twenty".split()
    )
}
_NUMBER_WORDS["twenty"] = 20
_COUNT = re.compile(
    r"(?:^|(?<=[.!?]\s)|\bthe\s+|\ball\s+)(" + "|".join(_NUMBER_WORDS) + r"|\d{1,2})\s+"
    r"(?:short\s+)?lesson(?:s| notebooks)\b",
    re.I | re.M,
)
_LEGEND = re.compile(r"\bL(\d{1,2})\s*=\s*\[Lesson\s+(\d{1,2})\]\(([^)]+)\)")


def _sections(text: str) -> list[tuple[str, str]]:
    parts = re.split(r"^(##\s+.+)$", text, flags=re.M)
    return [(parts[i].lstrip("# ").strip(), parts[i + 1]) for i in range(1, len(parts) - 1, 2)]


def _readings_used_in(c: Corpus, nums: set) -> list[Finding]:
    """Each seed's ``**Used in.**`` item in readings.md against the lessons whose references list it."""
    readings = c.page("readings.md")
    if readings is None:
        return []
    out = []
    for head, body in _sections(readings.segments[0].text):
        m = re.match(r"(00[0-4])\b", head)
        if not m:
            continue
        seed = m.group(1)
        item = re.search(r"\*\*Used in\.?\*\*(.*?)(?=\n\s*[-*]\s|\n\s*\n|\Z)", body, re.S)
        truth = {d.number for d in c.lessons if seed in reference_seeds(d)}
        if not item:
            message = f"no '**Used in.**' item; the lessons citing {seed} are {_fmt(truth)}"
        else:
            said = used_in_lessons(item.group(1), nums)
            if said == truth:
                continue
            message = (
                f"'Used in' names lessons {_fmt(said)}; the lessons whose references list "
                f"{seed} are {_fmt(truth)}"
            )
        out.append(Finding("lesson-lists", _rel(c, readings), f"section {head!r}", message))
    return out


def _lesson_counts(c: Corpus) -> list[Finding]:
    """A count of lessons in README.md, site/index.md or the syllabus that is not the number of lessons."""
    out = []
    for d in c.others + [p for p in c.pages if p.name == "syllabus.md"]:
        if d.kind == "site-page" and d.name != "index.md":
            continue
        text = d.segments[0].text
        for m in _COUNT.finditer(text):
            w = m.group(1).lower()
            n = int(w) if w.isdigit() else _NUMBER_WORDS[w]
            if n != len(c.lessons):
                where = _line_of(text, m.start())
                message = f"{m.group(0).strip()!r}: there are {len(c.lessons)} lessons"
                out.append(Finding("lesson-lists", _rel(c, d), where, message))
    return out


def _glossary_legend(c: Corpus, nums: set, files: dict) -> list[Finding]:
    """The glossary's legend against the lessons and their files."""
    glossary = c.page("glossary.md")
    if glossary is None:
        return []
    out = []
    legend = {int(a): (int(b), f) for a, b, f in _LEGEND.findall(glossary.segments[0].text)}
    for n in sorted(nums - set(legend)):
        message = f"the lesson legend has no 'L{n} = [Lesson {n}]({files[n]})'"
        out.append(Finding("lesson-lists", _rel(c, glossary), "legend", message))
    for n, (n2, f) in sorted(legend.items()):
        if n != n2 or files.get(n) != f:
            message = f"'L{n} = [Lesson {n2}]({f})' does not match the lesson file {files.get(n)!r}"
            out.append(Finding("lesson-lists", _rel(c, glossary), "legend", message))
    return out


def _syllabus_lessons(c: Corpus, nums: set) -> list[Finding]:
    """The syllabus's weeks list every lesson exactly once, and no lesson that does not exist."""
    weeks = syllabus_weeks(c)
    if weeks is None:
        return []
    listed = [n for w in weeks for n in w.lessons]
    syl = _rel(c, c.page("syllabus.md"))
    messages = [f"Lesson {n} is in no week's '**Lessons:**' line" for n in sorted(nums - set(listed))]
    twice = sorted({n for n in listed if listed.count(n) > 1})
    messages += [f"Lesson {n} is listed in more than one week" for n in twice]
    messages += [f"the syllabus lists Lesson {n}, which does not exist" for n in sorted(set(listed) - nums)]
    return [Finding("lesson-lists", syl, "", m) for m in messages]


@rule("lesson-lists")
def lesson_lists(c: Corpus) -> list[Finding]:
    """The course kit lists the lessons as they are: each seed's ``**Used in.**`` item in
    lessons/readings.md names exactly the lessons whose ``references(seeds=[...])`` lists that seed;
    a count of lessons ("Twelve lesson notebooks", "the twelve lessons") in README.md,
    site/index.md or the syllabus equals the number of lessons; the glossary's legend
    (``L9 = [Lesson 9](09-….ipynb)``) covers every lesson with its file; the syllabus's weeks list
    every lesson exactly once (``**Lessons:**`` lines)."""
    nums = {d.number for d in c.lessons if d.number is not None}
    files = {d.number: d.path.name for d in c.lessons}
    return (
        _readings_used_in(c, nums)
        + _lesson_counts(c)
        + _glossary_legend(c, nums, files)
        + _syllabus_lessons(c, nums)
    )

def _fmt(nums) -> str:
    return ", ".join(map(str, sorted(nums))) or "none"


# ------------------------------------------------------------------------------- syllabus
@dataclass
class Week:
    """One week of the syllabus page: its lessons and stated time, with the lines they are on."""
    number: int
    title: str
    lessons: list[int]
    line: int  # line of the heading
    lessons_line: int | None
    time: tuple[int, int] | None  # stated (class, homework)
    time_line: int | None


_WEEK = re.compile(r"^###\s+Week\s+(\d+)\s*:\s*(.+?)\s*$", re.M)
_WEEK_LESSONS = re.compile(r"^\*\*Lessons:\*\*\s*(.*?)\s*$", re.M)
_WEEK_TIME = re.compile(
    r"^\*\*Class time:\*\*\s*(\d+)\s+minutes\s*·\s*\*\*Homework:\*\*\s*(\d+)\s+minutes\s*$", re.M
)
WEEK_TIME_LINE = "**Class time:** {c} minutes · **Homework:** {h} minutes"


def syllabus_weeks(c: Corpus) -> list[Week] | None:
    """The weeks of lessons/syllabus.md in the format of CONTENT_RULES (``### Week N: Title``,
    ``**Lessons:** 3, 4`` or ``none``, ``**Class time:** NN minutes · **Homework:** NN minutes``);
    None when there is no syllabus, [] when it has no such week."""
    page = c.page("syllabus.md")
    if page is None:
        return None
    text = page.segments[0].text
    heads = list(_WEEK.finditer(text))
    weeks = []
    for k, h in enumerate(heads):
        end = heads[k + 1].start() if k + 1 < len(heads) else len(text)
        nxt = re.search(r"^#{1,3}\s", text[h.end() : end], re.M)
        body_end = h.end() + nxt.start() if nxt else end
        body = text[h.end() : body_end]
        ls = _WEEK_LESSONS.search(body)
        tm = _WEEK_TIME.search(body)
        lessons = (
            []
            if not ls or ls.group(1).strip().lower() == "none"
            else [int(x) for x in re.findall(r"\d+", ls.group(1))]
        )
        weeks.append(
            Week(
                int(h.group(1)),
                h.group(2),
                lessons,
                text.count("\n", 0, h.start()) + 1,
                text.count("\n", 0, h.end() + ls.start()) + 1 if ls else None,
                (int(tm.group(1)), int(tm.group(2))) if tm else None,
                text.count("\n", 0, h.end() + tm.start()) + 1 if tm else None,
            )
        )
    return weeks


def _syllabus_format(c: Corpus) -> list[Finding]:
    weeks = syllabus_weeks(c)
    page = c.page("syllabus.md")
    if weeks is None:
        return [Finding("prerequisites", "lessons/syllabus.md", "", "no syllabus page")]
    out = []
    if not weeks:
        out.append(
            Finding(
                "prerequisites",
                _rel(c, page),
                "",
                "no '### Week N: Title' sections "
                "(the syllabus format: a heading per week, a '**Lessons:** …' line and a "
                "'**Class time:** NN minutes · **Homework:** NN minutes' line)",
            )
        )
    for w in weeks:
        if w.lessons_line is None:
            out.append(
                Finding(
                    "prerequisites",
                    _rel(c, page),
                    f"line {w.line}",
                    f"Week {w.number} has no '**Lessons:** N' (or 'none') line",
                )
            )
    return out


# ---------------------------------------------------------------------------- prerequisites
# a clause of the first sentence that offers a lesson as optional help, not a prerequisite
_OPTIONAL = re.compile(r"\b(?:helps?|useful|optional|recommended)\b", re.I)
_PREREQ_LINE = re.compile(r"^\*\*Prerequisites:?\*\*:?\s*(.*)$", re.M)


def prerequisites(d: Doc) -> tuple[object, set[int] | None]:
    """(metadata value, lessons named by the first cell's line) of a lesson. The line names its
    prerequisites in its first sentence ("Lessons 5 and 6 (…). Lesson 2 helps …" → {5, 6}),
    leaving out text in brackets and clauses (split at ``;``, or at a comma before "Lesson") that
    offer a lesson as help ("helps", "useful", "optional", "recommended"); "none" names none;
    None when there is no such line."""
    meta = ((d.nb or {}).get("metadata") or {}).get("nkteach") or {}
    cells = (d.nb or {}).get("cells", [])
    first = cell_source(cells[0]) if cells and cells[0].get("cell_type") == "markdown" else ""
    m = _PREREQ_LINE.search(first)
    if not m:
        return meta.get("prerequisites", ...), None
    head = re.split(r"(?<=[.!?])\s+(?=[A-Z])", m.group(1).strip(), maxsplit=1)[0]
    head = re.sub(r"\([^)]*\)", " ", head)
    named: set[int] = set()
    if not re.match(r"\s*none\b", head, re.I):
        for clause in re.split(r";|,(?=\s*Lessons?\b)", head):
            if _OPTIONAL.search(clause):
                continue
            for mm in _LESSON_LIST.finditer(clause):
                named |= _numbers(mm.group(1))
    return meta.get("prerequisites", ...), named


def _metadata_prerequisites(meta, number, nums: set) -> tuple[list | None, str | None]:
    """(the usable prerequisites list or None, the problem with the metadata value or None)."""
    if meta is ...:
        return None, "no nkteach.prerequisites list (e.g. [1, 5]; [] for none)"
    if not isinstance(meta, list) or not all(isinstance(x, int) and not isinstance(x, bool) for x in meta):
        return None, f"nkteach.prerequisites must be a list of lesson numbers (ints), got {meta!r}"
    bad = sorted(set(meta) - (nums - {number}))
    return meta, (f"prerequisites {bad} are not other lessons of the course" if bad else None)


def _lesson_prerequisites(c: Corpus, d: Doc, nums: set) -> tuple[list[Finding], list | None]:
    """One lesson's findings (metadata, then its first cell's line) and its usable prerequisites list."""
    out = []
    rel = _rel(c, d)
    raw, named = prerequisites(d)
    meta, problem = _metadata_prerequisites(raw, d.number, nums)
    if problem:
        out.append(Finding("prerequisites", rel, "metadata", problem))
    if named is None:
        out.append(Finding("prerequisites", rel, "cell 0", "no '**Prerequisites:**' line"))
    elif meta is not None and named != set(meta):
        message = (
            f"the '**Prerequisites:**' line names lessons "
            f"{_fmt(named)} in its first sentence; the metadata says {_fmt(meta)}"
        )
        out.append(Finding("prerequisites", rel, "cell 0", message))
    return out, meta


def _prerequisite_order(c: Corpus, reqs: dict[int, set[int]]) -> list[Finding]:
    """Every prerequisite the syllabus places in no week, or not before the lesson that needs it."""
    out = []
    weeks = syllabus_weeks(c) or []
    pos = {n: (w.number, k) for w in weeks for k, n in enumerate(w.lessons)}
    syl = _rel(c, c.page("syllabus.md")) if c.page("syllabus.md") else "lessons/syllabus.md"
    for n, need in sorted(reqs.items()):
        if n not in pos:
            continue
        for p in sorted(need):
            if p in pos and pos[p] >= pos[n]:
                message = (
                    f"Lesson {n} requires Lesson {p}, "
                    f"which the syllabus teaches in week {pos[p][0]}"
                    + (" after it" if pos[p][0] == pos[n][0] else "")
                )
            elif p not in pos and weeks:
                message = f"Lesson {n} requires Lesson {p}, which is in no week"
            else:
                continue
            out.append(Finding("prerequisites", syl, f"week {pos[n][0]}", message))
    return out


@rule("prerequisites")
def prerequisites_rule(c: Corpus) -> list[Finding]:
    """Each lesson's metadata ``nkteach.prerequisites`` is a list of existing lesson numbers (ints,
    ``[]`` for none, never the lesson itself); its first cell's ``**Prerequisites:**`` line names the
    same lessons in its first sentence (further sentences are free prose); and the syllabus (weeks
    in the CONTENT_RULES format) places every prerequisite in an earlier week, or earlier on the
    same week's ``**Lessons:**`` line."""
    out = []
    nums = {d.number for d in c.lessons}
    reqs: dict[int, set[int]] = {}
    for d in c.lessons:
        found, meta = _lesson_prerequisites(c, d, nums)
        out += found
        if meta is not None:
            reqs[d.number] = set(meta)
    return out + _syllabus_format(c) + _prerequisite_order(c, reqs)

# ------------------------------------------------------------------- per-lesson house rules
def _house(name: str, fn) -> Callable[[Corpus], list[Finding]]:
    def run(c: Corpus) -> list[Finding]:
        return [Finding(name, _rel(c, d), "", p) for d in c.lessons for p in fn(d.nb)]

    run.__doc__ = fn.__doc__
    run.__name__ = name.replace("-", "_")
    return run


rule("model-answers")(_house("model-answers", house.model_answer_problems))
rule("closing-cell")(_house("closing-cell", house.closing_problems))
rule("rubrics")(_house("rubrics", house.rubric_problems))


_RANGE = re.compile(r"(\d{1,3})\s*[–-]\s*(\d{1,3})\s*(?:minutes|min)\b")


def _per_lesson_claims(c: Corpus, lo: int, hi: int) -> list[Finding]:
    """README.md and site/index.md: a sentence about lessons giving "A–B minutes" must cover every
    lesson's class minutes (A <= the shortest, B >= the longest)."""
    out = []
    for d in c.others:
        if d.kind == "site-page" and d.name != "index.md":
            continue
        text = d.segments[0].text
        flat = re.sub(r"(?<!\n)\n(?!\n)", " ", text)  # the lines of a paragraph joined (same offsets)
        for sent in re.finditer(r"[^.!?\n]+(?:[.!?]+|$)", flat, re.M):
            if not re.search(r"\blessons?\b", sent.group(0), re.I):
                continue
            for m in _RANGE.finditer(sent.group(0)):
                a, b = int(m.group(1)), int(m.group(2))
                if not (a <= lo and hi <= b):
                    out.append(
                        Finding(
                            "time",
                            _rel(c, d),
                            _line_of(text, sent.start() + m.start()),
                            f"{m.group(0)!r} for a lesson; the time rule gives {lo}–{hi} minutes in class"
                            if lo != hi
                            else f"{m.group(0)!r} for a lesson; the time rule gives {lo} minutes in class",
                        )
                    )
    return out


@rule("time")
def time_rule(c: Corpus) -> list[Finding]:
    """Each lesson's metadata and first-cell ``**Estimated time:**`` line state the class and
    homework minutes the one time rule computes (nkteach.lessonfile.house; docs/audit.md), and each
    syllabus week's ``**Class time:** NN minutes · **Homework:** NN minutes`` line states the sums
    of its lessons' minutes, with class time at most 90 minutes (one session); a sentence of README.md
    or site/index.md about lessons that gives a range "A–B minutes" covers every lesson's class
    minutes."""
    out = [Finding("time", _rel(c, d), "", p) for d in c.lessons for p in house.time_problems(d.nb)]
    times = {d.number: house.lesson_times(d.nb) for d in c.lessons}
    page = c.page("syllabus.md")
    for w in syllabus_weeks(c) or []:
        want = (
            sum(times[n].class_minutes for n in w.lessons if n in times),
            sum(times[n].homework_minutes for n in w.lessons if n in times),
        )
        where = f"week {w.number}"
        if w.time is None:
            out.append(
                Finding(
                    "time",
                    _rel(c, page),
                    where,
                    "no line '"
                    + WEEK_TIME_LINE.format(c=want[0], h=want[1])
                    + "' (run nkteach audit --write-times)",
                )
            )
        elif w.time != want:
            out.append(
                Finding(
                    "time",
                    _rel(c, page),
                    where,
                    f"states {w.time[0]} + {w.time[1]} minutes; its lessons "
                    f"add up to {want[0]} + {want[1]} (run nkteach audit --write-times)",
                )
            )
        if want[0] > MAX_CLASS_MINUTES:
            out.append(
                Finding(
                    "time",
                    _rel(c, page),
                    where,
                    f"{want[0]} minutes of class work (lessons "
                    f"{_fmt(w.lessons)}); a week has one {MAX_CLASS_MINUTES}-minute session",
                )
            )
    if times:
        cls = [t.class_minutes for t in times.values()]
        out += _per_lesson_claims(c, min(cls), max(cls))
    return out
