"""Gradebook and item analysis from a folder of submission files (``nkteach gradebook``).

:func:`read_folder` reads every ``*.json`` under a folder (LMS downloads may nest them) and sorts
each into accepted or rejected (with the reason: not JSON or truncated, not a submission, edited by
hand, another lesson version, a lesson not in the course, a duplicate). Nothing in a file can make
it crash: every problem becomes a reason in the report.

:func:`grades` makes one row per student (``student``, then per lesson the score and the written
words, then the missing lessons); :func:`item_analysis` gives, per exercise, the share of students
right at the first attempt and the most chosen wrong answer; :func:`report_html` writes both into a
self-contained HTML page for the instructor.

The charts are plotly bar charts (the package's accessible template: pattern as well as colour,
each bar labelled with its count). A report is a file an instructor opens offline, mails or
prints, so plotly.js is embedded once per report (about 4.8 MB; nothing is fetched) and each chart
carries an SVG drawing of the same bars for readers with scripts off. Every chart has a text
summary beside it, so nothing depends on colour or on seeing the chart.
"""
from __future__ import annotations

import csv
import html
import io
import json
import os
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from .submission import verify
from .validation import InvalidArgumentError

__all__ = [
    "Folder",
    "GradebookError",
    "ItemStats",
    "Rejected",
    "answer_text",
    "grades",
    "item_analysis",
    "lesson_versions",
    "read_folder",
    "report_html",
    "write_outputs",
]

RIGHT = ("correct", "also defensible")
_GENERATOR = '<meta name="generator" content="nkteach gradebook">'
_SOURCES = {"lessons": "course lessons", "submissions": "submissions (the version most of them carry)"}


class GradebookError(InvalidArgumentError):
    """Bad input to the gradebook: missing or empty folder, unwritable output."""


@dataclass
class Rejected:
    file: str
    reason: str


@dataclass
class Folder:
    """What :func:`read_folder` found."""

    root: Path
    files: int = 0
    accepted: list[tuple[str, dict]] = field(default_factory=list)   # (file name, content)
    rejected: list[Rejected] = field(default_factory=list)
    versions: dict[str, str] = field(default_factory=dict)           # lesson key → expected version
    titles: dict[str, str] = field(default_factory=dict)
    lessons: list[str] = field(default_factory=list)                 # expected lesson keys, in order
    items: dict[str, list[tuple[str, str]]] = field(default_factory=dict)  # key → [(ex_id, question)]
    version_source: str = "lessons"


def _lesson_order(key: str):
    return (0, int(key), "") if key.isdigit() else (1, 0, key)


def lesson_versions(paths) -> dict[str, object]:
    """key → LessonItems of instructor lesson notebooks (their versions, titles and items)."""
    from .lessonitems import lesson_items, read_notebook

    out = {}
    for p in paths:
        li = lesson_items(read_notebook(p), p)
        out[li.key] = li
    return out


def read_folder(folder, lessons: dict | None = None) -> Folder:
    """Read and sort every submission file under ``folder``. ``lessons``: key → LessonItems of the
    course's lessons (their versions are the current ones); without it, the version most
    submissions of a lesson carry counts as current."""
    root = Path(folder)
    if not root.exists():
        raise GradebookError(f"submissions folder {root} does not exist")
    if not root.is_dir():
        raise GradebookError(f"{root} is not a folder; give the folder that holds the submission files")
    files = sorted(p for p in root.rglob("*.json")
                   if p.is_file() and not any(part.startswith(".") for part in p.relative_to(root).parts))
    if not files:
        raise GradebookError(f"no submission files (*.json) in {root}; students write them with "
                             "'nkteach submit LESSON.ipynb' or the Hand in button")
    fo = Folder(root, files=len(files))
    valid: list[tuple[str, dict]] = []
    for p in files:
        name = str(p.relative_to(root))
        try:
            content = json.loads(p.read_text(encoding="utf-8"))
        except UnicodeDecodeError:
            fo.rejected.append(Rejected(name, "not a text file"))
            continue
        except ValueError:
            fo.rejected.append(Rejected(name, "not valid JSON: truncated, or not a submission file"))
            continue
        except OSError as e:
            fo.rejected.append(Rejected(name, f"cannot be read: {e.strerror or e}"))
            continue
        problem = verify(content)
        if problem:
            fo.rejected.append(Rejected(name, problem))
            continue
        valid.append((name, content))
    if lessons:
        fo.lessons = sorted(lessons, key=_lesson_order)
        fo.versions = {k: li.version for k, li in lessons.items()}
        fo.titles = {k: li.title for k, li in lessons.items()}
        fo.items = {k: [(i.ex_id, i.question) for i in li.checked] for k, li in lessons.items()}
    else:
        fo.version_source = "submissions"
        by_key: dict[str, Counter] = {}
        for _name, c in valid:
            by_key.setdefault(c["lesson"]["key"], Counter())[c["lesson"].get("version")] += 1
        fo.versions = {k: min(cnt.items(), key=lambda kv: (-kv[1], str(kv[0])))[0]
                       for k, cnt in by_key.items()}
        fo.lessons = sorted(by_key, key=_lesson_order)
    kept: dict[tuple[str, str], tuple[str, dict]] = {}
    for name, c in valid:
        key, version = c["lesson"]["key"], c["lesson"].get("version")
        if key not in fo.versions:
            fo.rejected.append(Rejected(name, f"lesson {key!r} is not one of the course's lessons "
                                              f"({', '.join(fo.lessons)})"))
            continue
        if version != fo.versions[key]:
            fo.rejected.append(Rejected(name, f"made for another version of lesson {key} "
                                              f"({str(version)[:19]}…, current {fo.versions[key][:19]}…)"))
            continue
        if key not in fo.titles:
            fo.titles[key] = c["lesson"].get("title") or ""
        if key not in fo.items:
            fo.items[key] = [(e.get("id"), e.get("question", "")) for e in c["exercises"]]
        sk = (c["student"], key)
        if sk in kept:
            old_name, old = kept[sk]
            same_time = str(c.get("submitted_at")) == str(old.get("submitted_at"))
            newer_is_new = (str(c.get("submitted_at")), name) > (str(old.get("submitted_at")), old_name)
            keep, drop = ((name, c), old_name) if newer_is_new else ((old_name, old), name)
            why = "same time stamp" if same_time else "submitted later"
            fo.rejected.append(Rejected(drop, f"duplicate: {c['student']}'s lesson {key} is also in "
                                              f"{keep[0]} ({why}), which is used"))
            kept[sk] = keep
        else:
            kept[sk] = (name, c)
    fo.accepted = sorted(kept.values(),
                         key=lambda nc: (nc[1]["student"], _lesson_order(nc[1]["lesson"]["key"])))
    fo.rejected.sort(key=lambda r: r.file)
    return fo


def _col(key: str) -> str:
    return f"lesson_{int(key):02d}" if key.isdigit() else f"lesson_{key}"


def grades(fo: Folder) -> tuple[list[str], list[dict]]:
    """CSV header and one row per student: per lesson the score (% of checked exercises right or
    also defensible) and the written words, then the lessons submitted and missing."""
    header = ["student"]
    for k in fo.lessons:
        header += [f"{_col(k)}_score", f"{_col(k)}_written_words"]
    header += ["lessons_submitted", "missing_lessons"]
    by_student: dict[str, dict[str, dict]] = {}
    for _name, c in fo.accepted:
        by_student.setdefault(c["student"], {})[c["lesson"]["key"]] = c
    rows = []
    for student in sorted(by_student):
        subs = by_student[student]
        row = {"student": student}
        for k in fo.lessons:
            c = subs.get(k)
            pct = c["score"].get("percent") if c else None
            row[f"{_col(k)}_score"] = "" if pct is None else f"{pct:.1f}"
            row[f"{_col(k)}_written_words"] = (sum(int(w.get("words") or 0) for w in c["written"])
                                               if c else "")
        row["lessons_submitted"] = len(subs)
        row["missing_lessons"] = "; ".join(k for k in fo.lessons if k not in subs)
        rows.append(row)
    return header, rows


def answer_text(answer) -> str:
    """An answer as one line: an order as 'a → b → c', a number without trailing zeros."""
    if isinstance(answer, dict):   # ordering given as {item: position}
        try:
            answer = [k for k, _ in sorted(answer.items(), key=lambda kv: float(kv[1]))]
        except (TypeError, ValueError):
            return json.dumps(answer, ensure_ascii=False, sort_keys=True)
    if isinstance(answer, list):
        return " → ".join(answer_text(a) for a in answer)
    if isinstance(answer, bool) or answer is None:
        return str(answer)
    if isinstance(answer, float):
        return f"{answer:g}"
    return " ".join(str(answer).split())


@dataclass
class ItemStats:
    ex_id: str
    question: str
    answered: int = 0          # students with at least one attempt
    right_first: int = 0       # of those, right (or also defensible) at the first attempt
    wrong: Counter = field(default_factory=Counter)   # wrong answer → number of students giving it

    @property
    def share_first(self) -> float | None:
        return self.right_first / self.answered if self.answered else None

    @property
    def top_wrong(self) -> tuple[str, int] | None:
        if not self.wrong:
            return None
        return min(self.wrong.items(), key=lambda kv: (-kv[1], kv[0]))


def item_analysis(fo: Folder, key: str) -> list[ItemStats]:
    """Per exercise of lesson ``key``, over the accepted submissions: how many students answered,
    how many were right at the first attempt, and each wrong answer with how many students gave
    it (a student counts once per answer, however often they repeated it)."""
    stats = {ex_id: ItemStats(ex_id, q) for ex_id, q in fo.items.get(key, [])}
    for _name, c in fo.accepted:
        if c["lesson"]["key"] != key:
            continue
        for e in c["exercises"]:
            if not isinstance(e, dict) or not e.get("id"):
                continue
            st = stats.setdefault(e["id"], ItemStats(e["id"], e.get("question", "")))
            if not e.get("attempts"):
                continue
            st.answered += 1
            st.right_first += e.get("first_outcome") in RIGHT
            wrong = {answer_text(a.get("answer")) for a in e.get("answers", [])
                     if isinstance(a, dict) and a.get("outcome") == "not yet"}
            st.wrong.update(wrong)
    return list(stats.values())


def _pct(x: float | None) -> str:
    return "—" if x is None else f"{100 * x:.0f}%"


def lesson_summary(key: str, title: str, stats: list[ItemStats]) -> str:
    """The text summary beside a lesson's chart: the hardest exercises first."""
    answered = [s for s in stats if s.answered]
    if not answered:
        return f"Lesson {key}: no exercise was answered in the accepted submissions."
    hard = sorted(answered, key=lambda s: (s.share_first, s.ex_id))[:3]
    parts = []
    for s in hard:
        t = f"{s.ex_id}: {s.right_first} of {s.answered} ({_pct(s.share_first)}) right at the first attempt"
        if s.top_wrong:
            t += f"; most chosen wrong answer “{s.top_wrong[0]}” ({s.top_wrong[1]} student" \
                 f"{'s' if s.top_wrong[1] != 1 else ''})"
        parts.append(t)
    mean = sum(s.share_first for s in answered) / len(answered)
    return (f"Lesson {key}{' — ' + title if title else ''}: {len(answered)} exercises answered; on average "
            f"{_pct(mean)} of students were right at the first attempt. Hardest: " + ". ".join(parts) + ".")


def _svg(stats: list[ItemStats], label: str) -> str:
    rows = [s for s in stats if s.answered]
    if not rows:
        return ""
    bar_w, left, h = 320, 170, 22
    height = h * len(rows) + 30
    e = html.escape
    out = [(f'<svg xmlns="http://www.w3.org/2000/svg" role="img" width="{left + bar_w + 140}" '
            f'height="{height}" aria-label="{e(label)}"><title>{e(label)}</title>'),
           f'<text x="{left}" y="12" font-size="11">share right at the first attempt (0–100%)</text>']
    for i, s in enumerate(rows):
        y = 20 + i * h
        w = round(bar_w * (s.share_first or 0))
        out.append(f'<text x="{left - 6}" y="{y + 14}" font-size="12" text-anchor="end">{e(s.ex_id)}</text>')
        out.append(f'<rect x="{left}" y="{y + 3}" width="{bar_w}" height="{h - 8}" fill="none" '
                   f'stroke="#000000" stroke-width="0.5"/>')
        out.append(f'<rect x="{left}" y="{y + 3}" width="{w}" height="{h - 8}" fill="#0072B2"/>')
        out.append(f'<text x="{left + bar_w + 6}" y="{y + 14}" font-size="12">{s.right_first} of '
                   f'{s.answered} ({_pct(s.share_first)})</text>')
    out.append("</svg>")
    return "\n".join(out)


def _figure(stats: list[ItemStats], label: str):
    """The same item analysis as a plotly bar chart (pattern as well as colour, values on the bars)."""
    import plotly.graph_objects as go

    from .charts import TEMPLATE   # registers the package's accessible plotly template

    rows = [s for s in stats if s.answered]
    if not rows:
        return None
    pct = [round(100 * (s.share_first or 0), 1) for s in rows]
    fig = go.Figure(go.Bar(
        y=[s.ex_id for s in rows], x=pct, orientation="h", marker={"color": "#0072B2",
                                                                 "pattern": {"shape": "/"}},
        text=[f"{s.right_first} of {s.answered} ({_pct(s.share_first)})" for s in rows],
        textposition="outside", cliponaxis=False,
        hovertemplate="%{y}: %{text} right at the first attempt<extra></extra>"))
    fig.update_layout(template=TEMPLATE, title={"text": label}, height=120 + 28 * len(rows),
                      xaxis={"title": "share right at the first attempt (%)", "range": [0, 130]},
                      yaxis={"autorange": "reversed"}, showlegend=False,
                      margin={"l": 140, "r": 30, "t": 60, "b": 50})
    return fig


def _chart_html(stats: list[ItemStats], label: str, with_plotly_js: bool) -> str:
    """The plotly chart (plotly.js inlined once per report, so it works offline and as a
    single file), with the SVG drawing as the fallback when scripts are off."""
    fig = _figure(stats, label)
    if fig is None:
        return ""
    div = fig.to_html(full_html=False, include_plotlyjs=with_plotly_js,
                      config={"displaylogo": False, "responsive": True})
    return (f'<div role="img" aria-label="{html.escape(label)}">{div}</div>'
            f"<noscript>{_svg(stats, label)}</noscript>")


def report_html(fo: Folder) -> str:
    """The instructor's report: rejected files, then per lesson the item analysis (chart, text
    summary, table), starting each lesson with its commonest misconception."""
    e = html.escape
    header, rows = grades(fo)
    out = ["<!DOCTYPE html>", '<html lang="en"><head><meta charset="utf-8">', _GENERATOR,
           "<title>nkteach gradebook report</title>",
           ("<style>body{font-family:sans-serif;max-width:60em;margin:1em auto;padding:0 1em}"
            "table{border-collapse:collapse}td,th{border:1px solid #999;padding:2px 6px;text-align:left}"
            "</style></head><body>"),
           "<h1>Gradebook report</h1>",
           (f"<p>{fo.files} submission files read from <code>{e(str(fo.root))}</code>: "
            f"{len(fo.accepted)} accepted, {len(fo.rejected)} rejected; {len(rows)} students; "
            f"lesson versions from the {_SOURCES[fo.version_source]}.</p>")]
    out.append("<h2>Rejected files</h2>")
    if fo.rejected:
        out.append("<table><thead><tr><th scope='col'>File</th><th scope='col'>Reason</th></tr></thead>"
                   "<tbody>")
        out += [f"<tr><td>{e(r.file)}</td><td>{e(r.reason)}</td></tr>" for r in fo.rejected]
        out.append("</tbody></table>")
    else:
        out.append("<p>None: every file was read.</p>")
    out.append("<h2>Start the next class with</h2><ul>")
    starts = []
    for k in fo.lessons:
        answered = [s for s in item_analysis(fo, k) if s.answered]
        if answered:
            s = min(answered, key=lambda s: (s.share_first, s.ex_id))
            wrong = (f"; most chosen wrong answer “{e(s.top_wrong[0])}” ({s.top_wrong[1]})"
                     if s.top_wrong else "")
            starts.append(f"<li>Lesson {e(k)}: <b>{e(s.ex_id)}</b> — {s.right_first} of {s.answered} "
                          f"right at the first attempt{wrong}.</li>")
    out += starts or ["<li>No exercises answered yet.</li>"]
    out.append("</ul>")
    plotly_js_in = False   # plotly.js goes into the report once, before the first chart
    for k in fo.lessons:
        stats = item_analysis(fo, k)
        title = fo.titles.get(k, "")
        out.append(f"<h2>Lesson {e(k)}{' — ' + e(title) if title else ''}</h2>")
        summary = lesson_summary(k, title, stats)
        chart = _chart_html(stats, f"Share of students right at the first attempt, lesson {k}",
                            with_plotly_js=not plotly_js_in)
        plotly_js_in = plotly_js_in or bool(chart)
        out.append(chart)
        out.append(f"<p><b>Summary.</b> {e(summary)}</p>")
        out.append("<table><thead><tr><th scope='col'>Exercise</th><th scope='col'>Question</th>"
                   "<th scope='col'>Answered</th><th scope='col'>Right at first attempt</th>"
                   "<th scope='col'>Most chosen wrong answer</th></tr></thead><tbody>")
        for s in stats:
            tw = f"{e(s.top_wrong[0])} ({s.top_wrong[1]})" if s.top_wrong else "—"
            q = s.question if len(s.question) <= 120 else s.question[:117] + "…"
            out.append(f"<tr><td>{e(s.ex_id)}</td><td>{e(q)}</td><td>{s.answered}</td>"
                       f"<td>{s.right_first} ({_pct(s.share_first)})</td><td>{tw}</td></tr>")
        out.append("</tbody></table>")
    out.append("<h2>Grades</h2><table><thead><tr>")
    out += [f"<th scope='col'>{e(h)}</th>" for h in header]
    out.append("</tr></thead><tbody>")
    for r in rows:
        out.append("<tr>" + "".join(f"<td>{e(str(r[h]))}</td>" for h in header) + "</tr>")
    out.append("</tbody></table></body></html>")
    return "\n".join(out) + "\n"


def _ours(path: Path, kind: str) -> bool:
    try:
        head = path.read_text(encoding="utf-8", errors="replace")[:4000]
    except OSError:
        return False
    if kind == "csv":
        return head.startswith("student,") and "missing_lessons" in head.splitlines()[0]
    return _GENERATOR in head


def write_outputs(fo: Folder, csv_path, html_path) -> None:
    """Write grades CSV and report HTML; replaces only files this command wrote before."""
    header, rows = grades(fo)
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=header, lineterminator="\n")
    w.writeheader()
    w.writerows(rows)
    outputs = ((Path(csv_path), buf.getvalue(), "csv"), (Path(html_path), report_html(fo), "html"))
    for path, text, kind in outputs:
        if path.exists() and (path.is_dir() or not _ours(path, kind)):
            raise GradebookError(f"{path} exists and was not written by nkteach gradebook; not replacing "
                                 "it (choose another --out/--report)")
        if not path.parent.is_dir():
            raise GradebookError(f"cannot write {path}: folder {path.parent} does not exist")
        tmp = path.with_name(path.name + ".part")
        try:
            tmp.write_text(text, encoding="utf-8")
            os.replace(tmp, path)
        except OSError as e:
            raise GradebookError(f"cannot write {path}: {e.strerror or e}") from None
