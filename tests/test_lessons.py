"""Every lesson follows the house style and runs top to bottom twice in one kernel.

nbval (pytest's testpaths include lessons/) checks each lesson once with the committed
`# NBVAL_CHECK_OUTPUT` outputs; here a second run-all in the same kernel catches what
students hit when they re-run cells (duplicate registrations, mutated module state...).
"""
from __future__ import annotations

import json

import pytest

import nkteach.widgets  # noqa: F401  (registers the explorer names the checker and time rule read)
from nkteach import lessoncheck
from tests.support.paths import LESSONS

TITLES = {1: "levels", 2: "roots", 3: "elite", 4: "nation", 5: "international", 6: "linkages",
          7: "forecast", 8: "sources", 9: "negotiating", 10: "law", 11: "2020-war", 12: "georgia"}


def test_all_lessons_exist_in_teaching_order():
    numbers = [int(p.name[:2]) for p in LESSONS]
    assert len(numbers) >= 8 and numbers == list(range(1, len(numbers) + 1)), [p.name for p in LESSONS]
    for p in LESSONS:
        assert TITLES[int(p.name[:2])] in p.name, p.name


# The house rules of nkteach.lessonfile.house (time, rubrics, closing cell, model answers) run
# in the checker too, so every lesson passes all of them.
@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.stem)
def test_lesson_structure(path):
    report = lessoncheck.check_notebook(path)
    assert report.ok, report.format()


def test_course_has_forty_classify_items():
    """At least 40 classify-by-level items across the course, drawn from `statements`."""
    import re

    import nkteach

    st = nkteach.load("statements")
    classify_ids = set(st.loc[st["level"] != "linkage", "item_id"])
    by_lesson = set(st.loc[st["level"] != "linkage", "lesson"].dropna().astype(int))
    used: set[str] = set()
    lessons_with_lesson_arg: set[int] = set()
    for p in LESSONS:
        nb = json.loads(p.read_text())
        for c in nb["cells"]:
            src = "".join(c["source"])
            for call in re.findall(r"ex\.classify\(([^)]*)\)", src):
                used |= set(re.findall(r"['\"]([A-Za-z0-9_-]+)['\"]", call)) & classify_ids
                m = re.search(r"lesson\s*=\s*(\d+)", call)
                if m:
                    lessons_with_lesson_arg.add(int(m.group(1)))
    for n in lessons_with_lesson_arg & by_lesson:
        used |= set(st.loc[(st["lesson"] == n) & (st["level"] != "linkage"), "item_id"])
    assert len(used) >= 40, f"only {len(used)} classify items are used across the lessons"


@pytest.mark.slow
@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.stem)
def test_lesson_runs_twice_in_one_kernel(path, tmp_path):
    import nbformat
    from nbclient import NotebookClient

    nb = nbformat.read(path, as_version=4)
    twice = nbformat.v4.new_notebook(metadata=nb.metadata)
    again = [nbformat.from_dict(json.loads(json.dumps(c))) for c in nb.cells]
    for c in again:
        c["id"] = f"{c.get('id', 'cell')}-again"
    twice.cells = list(nb.cells) + again
    client = NotebookClient(twice, timeout=300, kernel_name="python3",
                            resources={"metadata": {"path": str(tmp_path)}})
    # lessons read nothing from their folder, so running from a temp dir also proves that
    client.execute()
    errors = [o for c in twice.cells if c.cell_type == "code" for o in c.get("outputs", [])
              if o.get("output_type") == "error"]
    assert not errors, errors[0]
