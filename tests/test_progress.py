"""The progress store: where it lives, what a record holds, two kernels writing at once,
surviving a restart, and the checklist built from it."""
from __future__ import annotations

import json
import subprocess
import sys
import textwrap

import pytest

from nkteach import progress
from nkteach.classroom import progress as store_module
from nkteach.lessonitems import lesson_key, lesson_of_id
from nkteach.validation import InvalidArgumentError
from tests.support import classroom as cr


@pytest.fixture
def store(monkeypatch, tmp_path):
    monkeypatch.setenv(progress.ENV_DATA_DIR, str(tmp_path / "data"))
    monkeypatch.delenv("JPY_SESSION_NAME", raising=False)
    monkeypatch.delenv("NBGRADER_EXECUTION", raising=False)
    return tmp_path / "data" / progress.STORE_NAME


def test_record_fields_and_lesson_resolution(store, monkeypatch, tmp_path):
    progress.record(ex_id="l5-revision", kind="multiple_choice", outcome="not yet", answer="Russia",
                    attempt=1, some_future_keyword=True)          # extra keywords are ignored
    progress.record(ex_id="classify:C08", kind="classify", outcome="correct", answer="Elite", lesson=3)
    nb = cr.write(cr.mini_lesson(7), tmp_path / "07-mini.ipynb")
    monkeypatch.setenv("JPY_SESSION_NAME", str(nb))
    progress.record(ex_id="classify:C01", kind="classify", outcome="also defensible", answer={"x": 1.5})
    rows = [json.loads(line) for line in store.read_text().splitlines()]
    assert [r["lesson"] for r in rows] == ["5", "3", "7"]          # id prefix, argument, notebook
    assert rows[0]["answer"] == "Russia" and rows[0]["attempt"] == 1 and rows[0]["outcome"] == "not yet"
    assert rows[2]["notebook"] == str(nb.resolve()) and rows[2]["answer"] == {"x": 1.5}
    assert all(r["time"].endswith("+00:00") for r in rows)
    assert [r["ex_id"] for r in progress.records(lesson="L05")] == ["l5-revision"]


def test_lesson_keys():
    assert lesson_key(5) == lesson_key("05") == lesson_key("L5") == lesson_key("lesson 5") == "5"
    assert lesson_key("scratch") == "scratch"
    assert lesson_of_id("l12-x") == "12" and lesson_of_id("c:1") is None
    with pytest.raises(InvalidArgumentError, match="lesson must be"):
        lesson_key(True)


def test_bad_records_raise_naming_the_argument(store):
    with pytest.raises(InvalidArgumentError, match="outcome"):
        progress.record(ex_id="l1-a", kind="multiple_choice", outcome="right")
    with pytest.raises(InvalidArgumentError, match="ex_id"):
        progress.record(ex_id="", kind="multiple_choice", outcome="correct")
    with pytest.raises(InvalidArgumentError, match="attempt"):
        progress.record(ex_id="l1-a", kind="multiple_choice", outcome="correct", attempt="2")
    assert not store.exists()


def test_nothing_recorded_while_nbgrader_autogrades(store, monkeypatch):
    monkeypatch.setenv("NBGRADER_EXECUTION", "autograde")
    progress.record(ex_id="l1-a", kind="multiple_choice", outcome="correct", answer="beta")
    assert progress.records() == []


def test_store_never_inside_the_repository(monkeypatch, root):
    monkeypatch.setenv(progress.ENV_DATA_DIR, str(root / "data" / "progress"))
    with pytest.raises(progress.StoreError, match="inside the nkteach repository"):
        progress.data_dir()
    monkeypatch.delenv(progress.ENV_DATA_DIR)
    d = progress.data_dir()                                         # the platformdirs default
    assert root not in d.resolve().parents and "nkteach" in str(d)


def test_unwritable_store_warns_once_and_the_check_goes_on(monkeypatch, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    monkeypatch.setenv(progress.ENV_DATA_DIR, str(blocker / "data"))   # a folder under a file
    monkeypatch.setattr(store_module, "_warned", False)
    with pytest.warns(UserWarning, match="could not save your progress"):
        progress.record(ex_id="l1-a", kind="multiple_choice", outcome="correct")
    progress.record(ex_id="l1-a", kind="multiple_choice", outcome="correct")   # no second warning


def test_a_line_cut_short_by_a_crash_is_skipped(store):
    progress.record(ex_id="l1-a", kind="multiple_choice", outcome="correct", answer="beta")
    with open(store, "a") as f:
        f.write('{"v": 1, "ex_id": "l1-n", "outc')
    progress.record(ex_id="l1-n", kind="numeric", outcome="not yet", answer=3)
    assert [r["ex_id"] for r in progress.records()] == ["l1-a", "l1-n"]
    assert len(store.read_text().splitlines()) == 3


WRITER = textwrap.dedent("""
    import sys
    from nkteach import progress
    who, n = sys.argv[1], int(sys.argv[2])
    for i in range(n):
        progress.record(ex_id=f"l1-{who}", kind="multiple_choice", outcome="not yet",
                        answer=who * 300 + str(i), attempt=i + 1)
""")


def test_two_kernels_writing_at_once(store, tmp_path):
    script = tmp_path / "writer.py"
    script.write_text(WRITER)
    n = 300
    procs = [subprocess.Popen([sys.executable, str(script), who, str(n)]) for who in ("a", "b")]
    assert [p.wait(timeout=120) for p in procs] == [0, 0]
    lines = store.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 2 * n
    rows = [json.loads(line) for line in lines]                   # every line whole
    for who in ("a", "b"):
        mine = [r["attempt"] for r in rows if r["ex_id"] == f"l1-{who}"]
        assert mine == list(range(1, n + 1))                      # each writer's order kept


def test_checklist_survives_a_restart(store, tmp_path):
    nb = cr.write(cr.mini_lesson(1), tmp_path / "01-mini.ipynb")
    progress.record(ex_id="l1-a", kind="multiple_choice", outcome="not yet", answer="alpha", lesson=1)
    progress.record(ex_id="l1-a", kind="multiple_choice", outcome="correct", answer="beta", lesson=1)
    progress.record(ex_id="l1-n", kind="numeric", outcome="no answer", lesson=1)
    # a new process (a restarted kernel) reads the same store
    code = ("from nkteach import progress; "
            f"print(progress.progress(notebook={str(nb)!r}))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         env={**__import__("os").environ}).stdout
    assert "✔ correct (2 attempts)" in out and "l1-a" in out
    assert "○ no answer yet" in out and "○ not attempted" in out
    assert "✍ not written yet (at least 20 words)" in out
    html = progress.progress(notebook=nb)._repr_html_()
    assert '<a href="#Exercise-1-—-lenses">Exercise 1 — lenses</a>' in html
    assert "✔ correct" in html and "not attempted" in html   # a word and an icon, not colour alone
    lp = progress.lesson_progress(notebook=nb)
    assert lp.counts() == {"correct": 1, "also defensible": 0, "not yet": 1, "not attempted": 3}


def test_progress_without_a_notebook_asks_which_lesson(store, monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)                                          # no lesson notebooks here
    monkeypatch.setattr(store_module, "_SESSION", {})
    assert "does not say which notebook" in str(progress.progress())     # a message, not an error
    with pytest.raises(InvalidArgumentError, match="which lesson"):
        progress.lesson_progress()
    progress.record(ex_id="l4-x", kind="numeric", outcome="not yet", answer=2)
    assert "✘ not yet (1 attempt)" in str(progress.progress())           # this kernel checked lesson 4
    progress.record(ex_id="l4-x", kind="numeric", outcome="correct", answer=1)
    assert "✔ correct (2 attempts)" in str(progress.progress(lesson=4))


# ---------------------------------------------------------------- attacks: writing through a link

def test_a_symlinked_store_is_refused_and_its_target_untouched(store, monkeypatch, tmp_path):
    """A planted progress.jsonl → a file elsewhere (e.g. in the repository): the store warns and
    writes nothing through the link."""
    target = tmp_path / "victim.txt"
    target.write_text("precious\n")
    store.parent.mkdir(parents=True)
    store.symlink_to(target)
    monkeypatch.setattr(store_module, "_warned", False)
    with pytest.warns(UserWarning, match="symbolic link"):
        progress.record(ex_id="l1-a", kind="multiple_choice", outcome="correct", answer="beta")
    assert target.read_text() == "precious\n" and store.is_symlink()
    assert progress.records() == []                    # a link is not read as the store either


def test_a_symlinked_data_folder_is_refused(monkeypatch, tmp_path):
    real = tmp_path / "elsewhere"
    real.mkdir()
    (tmp_path / "data").symlink_to(real, target_is_directory=True)
    monkeypatch.setenv(progress.ENV_DATA_DIR, str(tmp_path / "data"))
    monkeypatch.delenv("NBGRADER_EXECUTION", raising=False)
    with pytest.raises(InvalidArgumentError, match="symbolic link"):
        progress.data_dir()
    monkeypatch.setattr(store_module, "_warned", False)
    with pytest.warns(UserWarning, match="symbolic link"):
        progress.record(ex_id="l1-a", kind="multiple_choice", outcome="correct")
    assert list(real.iterdir()) == []


def test_the_store_imports_neither_exercises_nor_submission():
    code = ("import sys, nkteach.classroom.progress; "
            "print(sorted(m for m in sys.modules if m in ('nkteach.exercises', "
            "'nkteach.classroom.submission', 'nkteach.submission', 'nkteach.widgets.progress', "
            "'ipywidgets')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_panel_escapes_text_and_the_release_box_calls_unlock(store, tmp_path):
    from nkteach.widgets.progress import ProgressPanel, panel_html

    nb = cr.mini_lesson(1)
    nb["metadata"]["nkteach"]["title"] = "<img src=x onerror=alert(1)>"
    path = cr.write(nb, tmp_path / "01-mini.ipynb")
    lp = progress.lesson_progress(notebook=path)
    html = panel_html(lp)
    assert "<img" not in html and "&lt;img src=x" in html
    calls = []

    def unlock(code):
        calls.append(code)
        if code != "GOOD-CODE-0000":
            raise ValueError("this code does not open Lesson 1")
        return "Lesson 1: 3 explanations opened."

    panel = ProgressPanel(lp, unlock=unlock)
    assert "does not open Lesson 1" in panel.unlock("BAD") and "✘" in panel.unlock("BAD")
    assert "3 explanations opened" in panel.unlock("GOOD-CODE-0000")
    box = panel.widget()
    box.code.value = "<b>GOOD"
    box.unlock()
    assert calls[-1] == "<b>GOOD" and "&lt;b&gt;GOOD" not in box.children[-1].value   # code not echoed
    assert "<b>GOOD" not in box.children[-1].value


def test_panel_bundle_has_the_widget_and_a_kernel_free_html_fallback(store, tmp_path):
    """A page without a kernel (nbconvert, the site) shows the checklist, escaped, and says where
    the buttons work; JupyterLab gets the widget view."""
    from nkteach.widgets.progress import STATIC_NOTE, ProgressPanel, panel_html

    nb = cr.mini_lesson(1)
    nb["metadata"]["nkteach"]["title"] = "<script>alert(1)</script>"
    lp = progress.lesson_progress(notebook=cr.write(nb, tmp_path / "01-mini.ipynb"))
    data = ProgressPanel(lp)._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in data
    page = data["text/html"]
    assert page.startswith(panel_html(lp)) and STATIC_NOTE in page
    assert "<script>" not in page and "&lt;script&gt;" in page
    assert data["text/plain"] == progress.format_text(lp)
