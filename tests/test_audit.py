"""nkteach audit (issue 19 items 2-3): each rule on small fixture courses, the writer, the CLI.

Every rule gets a violation that is found, a compliant version that passes and, where the rule
has one, the marker that exempts. The fixture course (``course``) is built in tmp_path: two
lessons, the course pages, README, a site page and a four-place ``data/places.csv``.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from nkteach.audit import (
    RULES,
    closing_problems,
    lesson_times,
    model_answer_problems,
    report_markdown,
    rubric_problems,
    run_audit,
    summary_text,
    time_problems,
    write_times,
)
from nkteach.audit import house
from nkteach.cli.audit import main
from nkteach.audit.names import find_pairs, place_names
from nkteach.audit.prose import claim_counts, loaded_unattributed
from tests.conftest import ROOT

PLACES = """place_id,name_en,name_hy,name_az,name_az_native,name_seed,name_historical
shusha,Shusha,Shushi,Shusha,Şuşa,Shusha,
stepanakert,Stepanakert,Stepanakert,Khankendi,Xankəndi,Stepanakert,
lachin,Lachin,Berdzor,Lachin,Laçın,Lachin,
ganja,Ganja,Gandzak,Ganja,Gəncə,Ganja,Elisavetpol; Kirovabad
"""
RUBRIC = [
    "Levels — strong: two levels with evidence / weak: one level",
    "Linkage — strong: a directed link with its mechanism / weak: no link",
    "Evidence — strong: every claim cited to a seed / weak: no citation",
]
MODEL = " ".join(["Word"] * 130)


def md(text: str, **meta) -> dict:
    return {"cell_type": "markdown", "metadata": meta, "source": text}


def code(text: str, **meta) -> dict:
    return {"cell_type": "code", "metadata": meta, "source": text, "outputs": [], "execution_count": None}


def written(ex_id: str, *, min_words=120, rubric=RUBRIC, model=MODEL) -> dict:
    args = f"{ex_id!r}, 'Explain at two levels.', min_words={min_words}"
    if rubric is not None:
        args += f", rubric={rubric!r}"
    if model is not None:
        args += f", model_answer={model!r}"
    return code(f"ex.written({args})")


def lesson(n: int, *, prereq=(), body: str = "Prose citing 002 §I.A: Shusha / Shushi.") -> dict:
    named = "none" if not prereq else " and ".join(f"Lesson {p}" for p in prereq)
    named = named if len(prereq) < 2 else "Lessons " + named.replace("Lesson ", "")
    nb = {
        "nbformat": 4,
        "nbformat_minor": 5,
        "metadata": {"nkteach": {"lesson": n, "title": f"T{n}", "prerequisites": list(prereq)}},
        "cells": [
            md(
                f"# Lesson {n} — T{n}\n\n**What you will learn:** x.\n\n## Learning objectives\n\n- x\n\n"
                f"**Estimated time:** 50 minutes\n\n**Prerequisites:** {named}. Lesson 1 helps."
            ),
            code("import nkteach\nfrom nkteach import exercises as ex"),
            md("## 1. Section one\n\n" + body),
            code(f"ex.multiple_choice('l{n}-a', 'Q?', ['a', 'b'], answer='a')"),
            code("widgets.arms_explorer()"),
            written(f"l{n}-w1"),
            md("", tags=["written-answer"]),
            written(f"l{n}-w2"),
            md("## Your progress\n\nThe checklist."),
            code("ex.progress()"),
            md("## References"),
            code("nkteach.references(['places'], seeds=['002'])"),
        ],
    }
    return write_times_into(nb)


def write_times_into(nb: dict) -> dict:
    from nkteach.audit.writer import notebook_with_times

    return notebook_with_times(nb)


SYLLABUS = """---
title: Syllabus
---

# Syllabus

### Week 1: Tools

**Lessons:** 1
{w1}

### Week 2: More

**Lessons:** 2
{w2}
"""


def syllabus_text(times: dict) -> str:
    line = "**Class time:** {} minutes · **Homework:** {} minutes"
    return SYLLABUS.format(w1=line.format(*times[1]), w2=line.format(*times[2]))


@pytest.fixture
def course(tmp_path) -> Path:
    root = tmp_path / "course"
    (root / "lessons").mkdir(parents=True)
    (root / "data").mkdir()
    (root / "site").mkdir()
    (root / "data" / "places.csv").write_text(PLACES, encoding="utf-8")
    nbs = {1: lesson(1), 2: lesson(2, prereq=(1,))}
    for n, nb in nbs.items():
        save(root / "lessons" / f"0{n}-t{n}.ipynb", nb)
    times = {n: (lesson_times(nb).class_minutes, lesson_times(nb).homework_minutes) for n, nb in nbs.items()}
    (root / "lessons" / "syllabus.md").write_text(syllabus_text(times), encoding="utf-8")
    (root / "lessons" / "glossary.md").write_text(
        "# Glossary\n\nL1 = [Lesson 1](01-t1.ipynb), L2 = [Lesson 2](02-t2.ipynb).\n\n"
        '## Terms\n\n<a id="linkage"></a>**Linkage**: a mechanism across levels.\n',
        encoding="utf-8",
    )
    (root / "lessons" / "readings.md").write_text(
        "# Readings\n\n## 002 — the thesis\n\n- **Citation.** x.\n- **Used in.** Lessons 1 and 2.\n",
        encoding="utf-8",
    )
    (root / "README.md").write_text(
        "# Course\n\nTwo lesson notebooks teach it. See [the glossary](lessons/glossary.md#linkage).\n",
        encoding="utf-8",
    )
    (root / "site" / "index.md").write_text("# Home\n\nTwo short lessons.\n", encoding="utf-8")
    return root


def save(path: Path, nb: dict) -> None:
    path.write_text(json.dumps(nb, indent=1, sort_keys=True, ensure_ascii=False) + "\n", encoding="utf-8")


def load(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def edit_lesson(root: Path, n: int, fn) -> None:
    p = root / "lessons" / f"0{n}-t{n}.ipynb"
    nb = load(p)
    fn(nb)
    save(p, nb)


def findings(root: Path, rule: str) -> list:
    return run_audit(root, [rule]).findings[rule]


# ------------------------------------------------------------------------------ the fixture


def test_fixture_course_passes_every_rule(course):
    res = run_audit(course)
    assert res.ok, summary_text(res)
    assert set(res.findings) == set(RULES)


def test_every_rule_is_documented():
    for name, fn in RULES.items():
        assert fn.__doc__ and len(fn.__doc__.split()) > 15, name


# ---------------------------------------------------------------------------- name order


def test_name_pairs_in_every_form_and_order(tmp_path):
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "places.csv").write_text(PLACES, encoding="utf-8")
    names = place_names(tmp_path)
    hits = find_pairs(
        "Shushi/Shusha, Shusha / Shushi, Khankendi (Stepanakert), Berdzor / Lachin corridor, "
        "*Shushi* / *Shusha*, Ganja (Elisavetpol), Elisavetpol / Ganja",
        names,
    )
    got = [(h.text, h.in_order) for h in hits]
    assert got == [
        ("Shushi/Shusha", False),
        ("Shusha / Shushi", True),
        ("Khankendi (Stepanakert)", False),
        ("Berdzor / Lachin", False),
        ("Shushi / Shusha", False),
        ("Ganja (Elisavetpol)", True),
        ("Elisavetpol / Ganja", False),
    ]


def test_name_order_violation_found_and_marker_exempts(course):
    edit_lesson(course, 1, lambda nb: nb["cells"].append(md("In Shushi/Shusha and Berdzor (Lachin).")))
    got = findings(course, "name-order")
    assert len(got) == 2 and "'Shusha / Shushi'" in got[0].message and "01-t1.ipynb" in got[0].file
    edit_lesson(
        course,
        1,
        lambda nb: nb["cells"].__setitem__(
            -1, md("In Shushi/Shusha <!-- name-order: quotation from 002 §III.S --> and Lachin / Berdzor.")
        ),
    )
    assert findings(course, "name-order") == []
    res = run_audit(course, ["name-order"])
    assert res.pairs["Lesson 1"] == {"in order": 2, "marked": 1, "reversed": 0}


def test_name_order_in_code_strings_pages_and_readme(course):
    edit_lesson(
        course,
        2,
        lambda nb: nb["cells"].append(
            code("ex.multiple_choice('l2-x', 'Was Khankendi / Stepanakert shelled?', ['a', 'b'], answer='a')")
        ),
    )
    (course / "site" / "index.md").write_text("# Home\n\nTwo short lessons on Berdzor/Lachin.\n")
    got = findings(course, "name-order")
    assert sorted(f.file for f in got) == ["lessons/02-t2.ipynb", "site/index.md"]
    assert got[1].where == "line 3"
    edit_lesson(
        course,
        2,
        lambda nb: nb["cells"][-1].__setitem__(
            "source", "# name-order: the seed's own order (002 §III.S)\n" + nb["cells"][-1]["source"]
        ),
    )
    assert [f.file for f in findings(course, "name-order")] == ["site/index.md"]


# --------------------------------------------------------------------------- loaded terms


def test_loaded_terms_rule_examples():
    assert loaded_unattributed("The districts were liberated in 2020.") == [
        ("liberated", "The districts were liberated in 2020.")
    ]
    assert loaded_unattributed("003 calls them the occupied territories.") == []
    assert loaded_unattributed("The occupation displaced 75,000 people.")[0][0] == "occupation"
    assert loaded_unattributed("The occupation is described in 002 §III.S.") == []
    assert loaded_unattributed("Baku spoke of an anti-terrorist operation.") == []
    assert loaded_unattributed('The "liberated lands" talk.') == []
    assert loaded_unattributed("Separatism grew in the region.")[0][0] == "Separatism"
    assert loaded_unattributed("The liberation began. <!-- loaded-term: example to correct -->") == []
    assert loaded_unattributed("occupied territories", code_string=True) == []


def test_loaded_term_violation_found_and_marker_exempts(course):
    edit_lesson(
        course, 1, lambda nb: nb["cells"].append(md("The occupation ended in 2020. Then peace came."))
    )
    got = findings(course, "loaded-terms")
    assert len(got) == 1 and "'occupation'" in got[0].message
    edit_lesson(
        course,
        1,
        lambda nb: nb["cells"].__setitem__(
            -1, md("Azerbaijani officials call it the end of the occupation; 002 §IV uses the term too.")
        ),
    )
    assert findings(course, "loaded-terms") == []
    edit_lesson(
        course,
        1,
        lambda nb: nb["cells"].__setitem__(
            -1,
            code(
                "# loaded-term: the wrong options show unattributed use\n"
                "ex.multiple_choice('l1-z', 'Which is attributed?', ['The genocide began on that day.', "
                "'000 calls it an attempted genocide.'], answer='000 calls it an attempted genocide.')"
            ),
        ),
    )
    assert findings(course, "loaded-terms") == []
    (course / "lessons" / "glossary.md").write_text(
        (course / "lessons" / "glossary.md").read_text() + "\nThe pogrom happened.\n"
    )
    assert [f.file for f in findings(course, "loaded-terms")] == ["lessons/glossary.md"]


# ---------------------------------------------------------------------- claims and seeds


def test_claims_counted_per_party_and_seed_rule(course):
    c = claim_counts(
        "Azerbaijani officials said the talks failed. According to Russia, both sides agreed. "
        "Yerevan rejected the plan, 002 reports. The Karabakh Armenians insisted on a vote. "
        "Armenian officials denied it. The weather was fine."
    )
    assert c == {"Azerbaijan": 1, "Russia": 1, "Armenia": 2, "Karabakh Armenians": 1}
    edit_lesson(
        course, 2, lambda nb: nb["cells"].__setitem__(2, md("## 1. Section one\n\nNo citation here."))
    )
    got = findings(course, "seeds-cited")
    assert [f.file for f in got] == ["lessons/02-t2.ipynb"]
    res = run_audit(course, ["seeds-cited"])
    assert res.lessons[0].seeds["002"] == 1 and not res.lessons[1].seeds


# ---------------------------------------------------------------------------------- links


def test_links_resolve_files_and_anchors(course):
    edit_lesson(
        course,
        2,
        lambda nb: nb["cells"].append(
            md(
                "See [linkage](glossary.md#linkage), [section](01-t1.ipynb#1.-Section-one), "
                "[myst](01-t1.ipynb#1-section-one), [home](syllabus.md#week-1-tools) and [web](https://x.org/#y)."
            )
        ),
    )
    assert findings(course, "links") == []
    edit_lesson(
        course,
        2,
        lambda nb: nb["cells"].__setitem__(
            -1, md("See [a](glossary.md#self-determination), [b](01-t1.ipynb#No-such) and [c](missing.md).")
        ),
    )
    got = [f.message for f in findings(course, "links")]
    assert len(got) == 3
    assert (
        "no anchor 'self-determination'" in got[0] and "no anchor 'No-such'" in got[1] and "no file" in got[2]
    )


# ---------------------------------------------------------------------------- lesson lists


def test_lesson_lists_checked_against_the_lessons(course):
    g = course / "lessons" / "glossary.md"
    g.write_text(g.read_text().replace(", L2 = [Lesson 2](02-t2.ipynb)", ""))
    r = course / "lessons" / "readings.md"
    r.write_text(r.read_text().replace("Lessons 1 and 2", "Lesson 1"))
    (course / "site" / "index.md").write_text("# Home\n\nEight short lessons.\n")
    got = " | ".join(f.message for f in findings(course, "lesson-lists"))
    assert "no 'L2 = [Lesson 2](02-t2.ipynb)'" in got
    assert "'Used in' names lessons 1; the lessons whose references list 002 are 1, 2" in got
    assert "'Eight short lessons': there are 2 lessons" in got
    s = course / "lessons" / "syllabus.md"
    s.write_text(s.read_text().replace("**Lessons:** 2", "**Lessons:** 1"))
    got = " | ".join(f.message for f in findings(course, "lesson-lists"))
    assert "Lesson 2 is in no week" in got and "Lesson 1 is listed in more than one week" in got


# ---------------------------------------------------------------------------- prerequisites


def test_prerequisites_metadata_first_cell_and_syllabus_order(course):
    def meta(nb):
        nb["metadata"]["nkteach"]["prerequisites"] = [1, 3]

    edit_lesson(course, 2, meta)
    got = [f.message for f in findings(course, "prerequisites")]
    assert any("[3] are not other lessons" in m for m in got)
    assert any("names lessons 1 in its first sentence; the metadata says 1, 3" in m for m in got)

    def swap(nb):
        nb["metadata"]["nkteach"]["prerequisites"] = [1]

    edit_lesson(course, 2, swap)
    assert findings(course, "prerequisites") == []
    s = course / "lessons" / "syllabus.md"
    s.write_text(
        s.read_text()
        .replace("**Lessons:** 1", "**Lessons:** X")
        .replace("**Lessons:** 2", "**Lessons:** 1")
        .replace("**Lessons:** X", "**Lessons:** 2")
    )
    got = [f.message for f in findings(course, "prerequisites")]
    assert got == ["Lesson 2 requires Lesson 1, which the syllabus teaches in week 2"]
    edit_lesson(course, 1, lambda nb: nb["metadata"]["nkteach"].pop("prerequisites"))
    assert any("no nkteach.prerequisites list" in f.message for f in findings(course, "prerequisites"))


def test_prerequisites_line_first_sentence_and_optional_clauses(tmp_path):
    from nkteach.audit.rules import prerequisites
    from nkteach.audit.texts import Doc

    def named(line):
        nb = {"cells": [md(f"# Lesson 9 — T\n\n**Prerequisites:** {line}")], "metadata": {}}
        return prerequisites(Doc(tmp_path / "09-t.ipynb", "lesson", [], nb, 9))[1]

    assert named("Lessons 3, 4 and 5 (one for each level). Lesson 1 for the idea.") == {3, 4, 5}
    assert named("Lesson 1 (levels); Lesson 2 helps with the names of leaders.") == {1}
    assert named("Lesson 1 (x), Lesson 5 (y) and Lesson 6 (z). Lesson 7 helps.") == {1, 5, 6}
    assert named("Lessons 1–7. This is the capstone.") == set(range(1, 8))
    assert named("none. You only need to run cells.") == set()


# ------------------------------------------------------------- house rules on one notebook


def test_model_answer_words():
    nb = lesson(1)
    assert model_answer_problems(nb) == []
    nb["cells"][5] = written("l1-w1", min_words=150, model=" ".join(["w"] * 149))
    got = model_answer_problems(nb)
    assert len(got) == 1 and "149 words" in got[0] and "at least 150" in got[0]


def test_rubric_format():
    nb = lesson(1)
    assert rubric_problems(nb) == []
    nb["cells"][5] = written("l1-w1", rubric=["Fairness: both sides (4 = both; 2 = one; 0 = none)"] * 3)
    nb["cells"][7] = written("l1-w2", rubric=None)
    got = rubric_problems(nb)
    assert len(got) == 4 and "'Name — strong: … / weak: …'" in got[0] and "no rubric" in got[3]
    nb["cells"][7] = written("l1-w2", rubric=RUBRIC[:2])
    assert "2 criteria, allowed 3-4" in rubric_problems(nb)[-1]


def test_closing_cell():
    nb = lesson(1)
    assert closing_problems(nb) == []
    nb["cells"][9] = code("ex.show_progress()")
    assert "no code cell 'ex.progress()'" in closing_problems(nb)[0]
    nb = lesson(1)
    nb["cells"].insert(9, md("## Extra"))
    assert "found '## Extra' between them" in closing_problems(nb)[0]
    nb = lesson(1)
    del nb["cells"][8:10]
    assert "no '## Your progress' heading" in closing_problems(nb)[0]


def test_time_rule_counts_and_check():
    nb = lesson(1)
    t = lesson_times(nb)
    assert (t.checked, t.explorers, t.written, t.written_words) == (1, 1, 2, 240)
    words = t.prose_words
    want = house.SETUP_MINUTES + words / house.READING_WPM + 3 + 8 + 10
    assert t.class_minutes == max(5, 5 * round(want / 5))
    assert t.homework_minutes == 40  # 2 x (120 / 10 + 8)
    assert time_problems(nb) == []
    assert f"**Estimated time:** {t.class_minutes} minutes in class + 40 minutes of homework" in "".join(
        nb["cells"][0]["source"]
    )
    nb["cells"][2]["source"] += " word" * 2000  # 25 more minutes of reading
    got = time_problems(nb)
    assert len(got) == 2 and "metadata" in got[0] and "first cell states" in got[1]


def test_time_rule_syllabus_weeks_and_90_minutes(course):
    s = course / "lessons" / "syllabus.md"
    s.write_text(s.read_text().replace("**Class time:** ", "**Class time:** 1", 1))
    assert "its lessons add up to" in findings(course, "time")[0].message
    write_times(course)
    assert findings(course, "time") == []
    edit_lesson(
        course, 1, lambda nb: nb["cells"][2].__setitem__("source", nb["cells"][2]["source"] + " w" * 8000)
    )
    got = [f.message for f in findings(course, "time")]
    assert any("run nkteach audit --write-times" in m for m in got)
    changed = write_times(course)
    assert sorted(p.name for p in changed) == ["01-t1.ipynb", "syllabus.md"]
    assert write_times(course) == []  # nothing changes twice
    got = [f.message for f in findings(course, "time")]
    assert len(got) == 1 and "a week has one 90-minute session" in got[0]
    nb = load(course / "lessons" / "01-t1.ipynb")
    assert nb["metadata"]["nkteach"]["time_class_minutes"] > 90


def test_time_claims_per_lesson_on_readme_and_home(course):
    idx = course / "site" / "index.md"
    idx.write_text("# Home\n\nTwo short lessons.\nWork through the lessons;\neach takes 5–10 minutes.\n")
    got = findings(course, "time")
    assert len(got) == 1 and got[0].file == "site/index.md" and got[0].where == "line 5"
    assert "'5–10 minutes' for a lesson" in got[0].message
    idx.write_text("# Home\n\nTwo short lessons, each 5–200 minutes. A break of 5–10 minutes.\n")
    assert findings(course, "time") == []


def test_write_times_adds_missing_week_line_and_refuses_symlinks(course, tmp_path):
    s = course / "lessons" / "syllabus.md"
    s.write_text("\n".join(ln for ln in s.read_text().split("\n") if not ln.startswith("**Class time")))
    assert len(findings(course, "time")) == 2
    write_times(course)
    assert findings(course, "time") == []
    real = tmp_path / "real.md"
    real.write_text(s.read_text().replace("**Class time:** ", "**Class time:** 9", 1))
    s.unlink()
    s.symlink_to(real)
    from nkteach.audit import AuditInputError

    with pytest.raises(AuditInputError, match="symbolic link"):
        write_times(course)


# ------------------------------------------------------------------------- report and CLI


def test_report_markdown_is_a_myst_page_with_the_tables(course):
    edit_lesson(course, 1, lambda nb: nb["cells"].append(md("Shushi/Shusha <b>|x</b>")))
    text = report_markdown(root=course)
    assert text.startswith("---\ntitle: Course audit\n---\n")
    assert "| Lesson 1 | 1 | 0 | 1 |" in text  # pairs: in order, marked, reversed
    assert "### name-order (1)" in text and "<b>" not in text
    assert "| 1 | 0 | 0 | 1 | 0 | 0 | — | — |" in text  # lesson 1 cites 002 once, lists it


def test_report_never_reprints_code_strings(course):
    edit_lesson(
        course,
        2,
        lambda nb: nb["cells"].__setitem__(7, written("l2-w2", model=MODEL + ". The liberation came.")),
    )
    res = run_audit(course, ["loaded-terms"])
    assert len(res.findings["loaded-terms"]) == 1
    assert "The liberation came." in summary_text(res)  # the author sees it on stdout
    assert "liberation came" not in report_markdown(res)  # the site page does not


def test_cli_exit_codes(course, tmp_path, capsys):
    assert main([str(course)]) == 0
    edit_lesson(course, 1, lambda nb: nb["cells"].append(md("Berdzor/Lachin.")))
    out = tmp_path / "r.md"
    assert main([str(course), "--report", str(out)]) == 1
    assert "FAIL  name-order" in capsys.readouterr().out and "# Course audit" in out.read_text()
    assert main([str(tmp_path / "nope")]) == 2
    assert "root=" in capsys.readouterr().err
    assert main([str(course), "--report", str(tmp_path / "r.txt")]) == 2
    assert main([str(course), "--rule", "no-such-rule"]) == 2
    (course / "lessons" / "01-t1.ipynb").write_text("{not json")
    assert main([str(course)]) == 2
    assert "not valid JSON" in capsys.readouterr().err


def test_cli_write_times_then_pass(course, capsys):
    edit_lesson(course, 2, lambda nb: nb["metadata"]["nkteach"].update(time_class_minutes=1))
    assert main([str(course), "--rule", "time"]) == 1
    assert main([str(course), "--write-times", "--rule", "time"]) == 0
    assert "wrote times:" in capsys.readouterr().out


def test_python_m_nkteach_audit_runs(course):
    r = subprocess.run(
        [sys.executable, "-m", "nkteach.audit", str(course), "--rule", "links"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={"PYTHONPATH": str(ROOT), "PATH": ""},
    )
    assert r.returncode == 0, r.stderr
    assert "PASS  links" in r.stdout


def test_register_adds_the_audit_subcommand(course):
    import argparse

    from nkteach.cli.audit import register

    p = argparse.ArgumentParser()
    register(p.add_subparsers(dest="command"))
    args = p.parse_args(["audit", str(course), "--rule", "links"])
    assert args.func(args) == 0


# ---------------------------------------------------------------------- the real course


def test_real_course_passes_the_audit():
    res = run_audit(ROOT)
    assert res.ok, summary_text(res, limit=20)
