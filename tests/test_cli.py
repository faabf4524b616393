"""The instructor CLI, run as a subprocess (`python -m nkteach`), with good and bad input."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

import nkteach
from nkteach import data

COMMANDS = ["datasets", "info", "cite", "lessons", "check", "new-lesson", "student-build", "release-answers",
            "links", "progress", "submit", "gradebook", "audit", "export-html"]


def run(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "nkteach", *map(str, args)], cwd=cwd,
                          capture_output=True, text=True, timeout=600)


@pytest.fixture()
def course(tmp_path) -> Path:
    """A folder with lessons/01-… and 02-… scaffolded from the template."""
    for title in ("Levels of analysis: a toolkit", "Roots"):
        r = run("new-lesson", title, cwd=tmp_path)
        assert r.returncode == 0, r.stderr
    return tmp_path


def test_help_of_every_command():
    r = run("--help")
    assert r.returncode == 0
    for c in COMMANDS:
        assert c in r.stdout
    for c in COMMANDS:
        r = run(c, "--help")
        assert r.returncode == 0, (c, r.stderr)
        assert r.stdout.startswith(f"usage: nkteach {c}"), r.stdout


def test_unknown_command_lists_the_allowed_ones():
    r = run("frobnicate")
    assert r.returncode == 2
    assert "'frobnicate'" in r.stderr
    for c in COMMANDS:
        assert c in r.stderr


def test_no_command_is_an_error():
    r = run()
    assert r.returncode == 2 and "COMMAND" in r.stderr


def test_datasets_lists_every_dataset():
    r = run("datasets")
    assert r.returncode == 0, r.stderr
    names = data.names()
    assert len(names) > 5
    listed = [ln.split()[0] for ln in r.stdout.splitlines()[1:] if ln.strip() and not ln.startswith(" ")]
    assert listed[:len(names)] == names
    assert f"{len(names)} datasets" in r.stdout


def test_info_good_and_bad():
    name = data.names()[0]
    r = run("info", name)
    assert r.returncode == 0, r.stderr
    i = nkteach.info(name)
    assert i.title in r.stdout and "**Licence:**" in r.stdout and i.citation in r.stdout
    r = run("info", "no_such_dataset")
    assert r.returncode == 2
    assert "'no_such_dataset'" in r.stderr and "Known datasets" in r.stderr and name in r.stderr
    assert "Traceback" not in r.stderr


def test_info_suggests_the_closest_name():
    r = run("info", "arms_imprts")
    assert r.returncode == 2 and "Did you mean 'arms_imports'" in r.stderr


def test_cite_text_and_bibtex():
    name = data.names()[0]
    r = run("cite", name)
    assert r.returncode == 0 and r.stdout.strip() == nkteach.cite(name).strip()
    r = run("cite", name, "--bibtex")
    assert r.returncode == 0 and r.stdout.lstrip().startswith("@")
    assert r.stdout.strip() == nkteach.cite(name, style="bibtex").strip()
    r = run("cite", "nope")
    assert r.returncode == 2 and "'nope'" in r.stderr and "Known datasets" in r.stderr
    r = run("cite", name, "--apa")
    assert r.returncode == 2 and "--apa" in r.stderr


def test_new_lesson_numbers_and_names(course):
    files = sorted(p.name for p in (course / "lessons").glob("*.ipynb"))
    assert files == ["01-levels-of-analysis-a-toolkit.ipynb", "02-roots.ipynb"]
    nb = json.loads((course / "lessons" / files[1]).read_text())
    assert nb["metadata"]["nkteach"]["lesson"] == 2
    assert nb["metadata"]["nkteach"]["title"] == "Roots"
    assert nb["cells"][0]["source"].startswith("# Lesson 2 — Roots")
    assert "{{" not in json.dumps(nb)
    ids = [c["id"] for c in nb["cells"]]
    other = [c["id"] for c in json.loads((course / "lessons" / files[0]).read_text())["cells"]]
    assert len(set(ids)) == len(ids) and not set(ids) & set(other)
    r = run("new-lesson", "Energy", "--number", "5", cwd=course)
    assert r.returncode == 0 and (course / "lessons" / "05-energy.ipynb").is_file()


@pytest.mark.parametrize("args, expect", [
    (["--number", "2"], "lesson 02 already exists"),
    (["--number", "0"], "between 1 and 99, got 0"),
    (["--number", "100"], "between 1 and 99, got 100"),
    (["--number", "two"], "expected a whole number, got 'two'"),
])
def test_new_lesson_bad_number(course, args, expect):
    r = run("new-lesson", "Another", *args, cwd=course)
    assert r.returncode == 2 and expect in r.stderr, r.stderr


def test_new_lesson_title_without_letters(tmp_path):
    r = run("new-lesson", "???", cwd=tmp_path)
    assert r.returncode == 2 and "'???'" in r.stderr


def test_lessons_lists_title_time_and_objectives(course):
    r = run("lessons", cwd=course)
    assert r.returncode == 0, r.stderr
    assert "01  Levels of analysis: a toolkit  [40 min]" in r.stdout
    assert "02  Roots  [40 min]" in r.stdout
    assert r.stdout.count("- TODO: objective 1") == 2


def test_lessons_bad_path(tmp_path):
    r = run("lessons", tmp_path / "missing", cwd=tmp_path)
    assert r.returncode == 2 and "missing" in r.stderr
    (tmp_path / "notes.txt").write_text("x")
    r = run("lessons", tmp_path / "notes.txt", cwd=tmp_path)
    assert r.returncode == 2 and "notes.txt" in r.stderr and ".ipynb" in r.stderr
    (tmp_path / "lessons").mkdir()       # ./lessons exists but holds no NN-*.ipynb
    r = run("lessons", cwd=tmp_path)
    assert r.returncode == 2 and "no lesson notebooks (NN-*.ipynb) in folder" in r.stderr


def test_check_structure_pass_and_fail(course):
    r = run("check", "--no-run", cwd=course)
    assert r.returncode == 0, r.stdout + r.stderr
    assert "PASS  01-levels-of-analysis-a-toolkit.ipynb" in r.stdout
    assert "2 of 2 lessons pass" in r.stdout
    # break lesson 2 in three ways
    p = course / "lessons" / "02-roots.ipynb"
    nb = json.loads(p.read_text())
    code = [c for c in nb["cells"] if c["cell_type"] == "code"]
    code[1]["source"] = "\n".join(f"x{i} = {i}" for i in range(11))
    code[1]["outputs"] = [{"output_type": "stream", "name": "stdout", "text": "1\n"}]
    nb["cells"] = [c for c in nb["cells"] if "ex.numeric" not in "".join(c["source"])]
    p.write_text(json.dumps(nb))
    r = run("check", "--no-run", cwd=course)
    assert r.returncode == 1
    assert "FAIL  02-roots.ipynb" in r.stdout and "PASS  01-" in r.stdout
    assert "[cell-length]" in r.stdout and "11 lines (at most 10)" in r.stdout
    assert "[outputs]" in r.stdout
    assert "[exercises] 3 exercise call(s)" in r.stdout


def test_check_bad_input(tmp_path):
    r = run("check", tmp_path / "nope.ipynb", cwd=tmp_path)
    assert r.returncode == 2 and "nope.ipynb" in r.stderr
    bad = tmp_path / "01-bad.ipynb"
    bad.write_text("{not json")
    r = run("check", "--no-run", bad, cwd=tmp_path)
    assert r.returncode == 2 and "01-bad.ipynb" in r.stderr and "JSON" in r.stderr


@pytest.mark.slow
def test_check_runs_the_lesson_under_nbval(course):
    """The scaffold is a runnable lesson: structure passes and nbval executes every cell."""
    lesson = course / "lessons" / "01-levels-of-analysis-a-toolkit.ipynb"
    r = run("check", lesson, cwd=course)
    assert r.returncode == 0, r.stdout[-3000:] + r.stderr[-2000:]
    assert "nbval: pass" in r.stdout
    # a failing cell makes check fail
    nb = json.loads(lesson.read_text())
    nb["cells"][1]["source"] += "\nraise RuntimeError('boom')"
    lesson.write_text(json.dumps(nb))
    r = run("check", lesson, cwd=course)
    assert r.returncode == 1 and "nbval: FAILED" in r.stdout


def test_student_build_cli(course, tmp_path):
    out = course / "student"
    r = run("student-build", out, cwd=course)
    assert r.returncode == 0, r.stderr
    assert sorted(p.name for p in out.glob("*.ipynb")) == sorted(
        p.name for p in (course / "lessons").glob("*.ipynb"))
    r = run("student-build", out, cwd=course)           # not empty now
    assert r.returncode == 2 and "--force" in r.stderr and "student" in r.stderr
    r = run("student-build", out, "--force", cwd=course)
    assert r.returncode == 0
    r = run("student-build", tmp_path / "o2", course / "nothing.ipynb", cwd=course)
    assert r.returncode == 2 and "nothing.ipynb" in r.stderr


def test_links(course):
    r = run("links", "--hub", "https://hub.example.edu/", "--lesson", "1", cwd=course)
    assert r.returncode == 0, r.stderr
    out = r.stdout
    assert ("https://hub.example.edu/hub/user-redirect/git-pull?repo=https%3A%2F%2Fgithub.com"
            "%2Fnkteach%2Fnkteach&urlpath=lab%2Ftree%2Fnkteach%2Flessons%2F"
            "01-levels-of-analysis-a-toolkit.ipynb&branch=main") in out
    assert ("https://mybinder.org/v2/gh/nkteach/nkteach/main?labpath=lessons%2F"
            "01-levels-of-analysis-a-toolkit.ipynb") in out
    assert "02-roots" not in out
    r = run("links", "--hub", "https://hub.example.edu", "--branch", "spring-2027",
            "--repo", "https://gitlab.example.org/ir/nkteach.git", cwd=course)
    assert r.returncode == 0
    assert r.stdout.count("&branch=spring-2027") == 2
    assert "mybinder.org/v2/git/https%3A%2F%2Fgitlab.example.org%2Fir%2Fnkteach.git/spring-2027" in r.stdout


@pytest.mark.parametrize("args, expect", [
    ([], "--hub"),
    (["--hub", "hub.example.edu"], "--hub must be an http(s) URL"),
    (["--hub", "https://h.org", "--lesson", "9"], "no lesson 9; available: 1, 2"),
    (["--hub", "https://h.org", "--repo", "github.com/x"], "--repo must be an http(s) URL"),
    (["--hub", "https://h.org", "--branch", "a b"], "not a valid branch name"),
])
def test_links_bad_input(course, args, expect):
    r = run("links", *args, cwd=course)
    assert r.returncode == 2 and expect in r.stderr, r.stderr


def test_strip_outputs_hook_keeps_check_output_cells(tmp_path):
    """scripts/strip_outputs.py (pre-commit): clears outputs except '# NBVAL_CHECK_OUTPUT' cells."""
    out = [{"output_type": "stream", "name": "stdout", "text": "49.34%\n"}]
    nb = {"nbformat": 4, "nbformat_minor": 5,
          "metadata": {"widgets": {"state": {}}, "kernelspec": {"name": "python3"}},
          "cells": [{"cell_type": "code", "id": "a", "execution_count": 1, "outputs": out,
                     "metadata": {"scrolled": True, "tags": ["solution"]}, "source": "print(1)"},
                    {"cell_type": "code", "id": "b", "execution_count": 2, "outputs": out,
                     "metadata": {}, "source": "# NBVAL_CHECK_OUTPUT\nprint(2)"}]}
    p = tmp_path / "01-x.ipynb"
    p.write_text(json.dumps(nb))
    script = [sys.executable, str(Path(__file__).resolve().parent.parent / "scripts" / "strip_outputs.py")]
    r = subprocess.run(script + ["--check", str(p)], capture_output=True, text=True)
    assert r.returncode == 1 and "would strip" in r.stdout
    assert json.loads(p.read_text()) == nb                       # --check writes nothing
    r = subprocess.run(script + [str(p)], capture_output=True, text=True)
    assert r.returncode == 1
    got = json.loads(p.read_text())
    assert got["cells"][0]["outputs"] == [] and got["cells"][0]["execution_count"] is None
    assert got["cells"][0]["metadata"] == {"tags": ["solution"]}
    assert got["cells"][1]["outputs"] == out and got["cells"][1]["execution_count"] == 2
    assert "widgets" not in got["metadata"]
    r = subprocess.run(script + [str(p)], capture_output=True, text=True)
    assert r.returncode == 0 and r.stdout == ""                  # idempotent
    r = subprocess.run(script + [str(tmp_path / "x.txt")], capture_output=True, text=True)
    assert r.returncode == 2 and "x.txt" in r.stderr


def _template_nb() -> dict:
    from nkteach.cli import TEMPLATE

    text = TEMPLATE.read_text().replace("{{NUMBER}}", "3").replace("{{NN}}", "03")
    nb = json.loads(text.replace("{{TITLE}}", "Sample"))
    nb["metadata"]["nkteach"]["lesson"] = 3           # what new-lesson fills in
    return nb


def _rules(nb) -> set[str]:
    from nkteach import lessoncheck

    return {p.rule for p in lessoncheck.check_notebook(nb).problems}


def test_lessoncheck_template_passes_and_each_rule_can_fail():
    from nkteach.lessoncheck import RULES

    nb = _template_nb()
    assert _rules(nb) == set()

    def code(src, outputs=()):
        return {"cell_type": "code", "id": "t", "metadata": {}, "execution_count": None,
                "outputs": list(outputs), "source": src}

    cases = {
        "chart-summary": lambda n: n["cells"].insert(5, code("m = maps.overview()\nm")),
        "headings": lambda n: n["cells"].__setitem__(
            next(i for i, c in enumerate(n["cells"]) if c["source"].startswith("## Source criticism")),
            {"cell_type": "markdown", "id": "h", "metadata": {}, "source": "## Sources"}),
        "references": lambda n: n["cells"].pop(),
        "outputs": lambda n: n["cells"].insert(5, code("# NBVAL_CHECK_OUTPUT\nprint(1)")),
        "sealable": lambda n: n["cells"].insert(5, code('ex.numeric("q", "Share?", answer=share)')),
        "metadata": lambda n: n["metadata"].pop("nkteach"),
        "first-cell": lambda n: n["cells"][0].__setitem__("source", "# Sample"),
        "explorer": lambda n: [c.__setitem__("source", "pass") for c in n["cells"]
                               if "_explorer(" in c["source"]],
        "setup": lambda n: [c.__setitem__("source", "pass") for c in n["cells"]
                            if c["source"].startswith("import nkteach")],
    }
    for rule, breakit in cases.items():
        assert rule in RULES
        n = _template_nb()
        breakit(n)
        assert rule in _rules(n), rule
    # a helper that returns a table is not a chart that needs show()
    n = _template_nb()
    n["cells"].insert(5, code("shares = charts.supplier_shares()\nprint(shares)"))
    assert "chart-summary" not in _rules(n)


# ---------------------------------------------------------------- every input error: file + problem, exit 2

@pytest.mark.parametrize("content, expect", [
    (b"{not json", "not valid JSON"),
    (b"\xff\xfe\x00", "not UTF-8"),
    (b"[1, 2]", "not a Jupyter notebook"),
    (b'{"cells": "x", "nbformat": 4}', "not a Jupyter notebook"),
])
@pytest.mark.parametrize("command", ["check", "lessons"])
def test_bad_notebook_files_are_named(tmp_path, command, content, expect):
    bad = tmp_path / "01-bad.ipynb"
    bad.write_bytes(content)
    args = [command, "--no-run", bad] if command == "check" else [command, bad]
    r = run(*args, cwd=tmp_path)
    assert r.returncode == 2, r.stdout + r.stderr
    assert "01-bad.ipynb" in r.stderr and expect in r.stderr and "Traceback" not in r.stderr


def test_folder_given_as_notebook_and_file_given_as_folder(course, tmp_path):
    d = tmp_path / "01-dir.ipynb"
    d.mkdir()
    (d / "x").write_text("")
    r = run("check", "--no-run", d, cwd=tmp_path)
    assert r.returncode == 2 and "01-dir.ipynb" in r.stderr and "Traceback" not in r.stderr
    f = tmp_path / "file.txt"
    f.write_text("x")
    r = run("new-lesson", "Sample", "--dir", f, cwd=tmp_path)
    assert r.returncode == 2 and "file.txt" in r.stderr and "Traceback" not in r.stderr


def test_subcommand_modules_register_through_one_list():
    """One module per command group, each registering its own parsers; every command function
    has a docstring; the registry is the only list of commands."""
    import argparse
    import importlib

    from nkteach import cli

    assert isinstance(cli.COMMAND_MODULES, list) and len(cli.COMMAND_MODULES) >= 5
    seen = {}
    for name in cli.COMMAND_MODULES:
        mod = importlib.import_module(name, "nkteach.cli")
        p = argparse.ArgumentParser()
        sub = p.add_subparsers(dest="command")
        mod.register(sub)
        assert mod.register.__doc__, name
        for command, parser in sub.choices.items():
            func = parser.get_default("func")
            assert func.__module__ == mod.__name__ and func.__doc__, (command, func)
            assert command not in seen, f"{command} registered by {seen.get(command)} and {name}"
            seen[command] = name
    assert sorted(seen) == sorted(COMMANDS)


def test_shared_code_lives_in_the_library_and_old_paths_stay():
    import nkteach.studentbuild
    from nkteach import cli, nbgrader_export
    from nkteach.editions import links, nbgrader, scaffold, student

    assert cli.lesson_links is links.lesson_links and cli.DEFAULT_REPO == links.DEFAULT_REPO
    assert cli.TEMPLATE == scaffold.TEMPLATE and cli.TEMPLATE.is_file()
    assert nkteach.studentbuild is student and nbgrader_export is nbgrader
    for path in ("bench/hub_load.py", "scripts/build_site.py"):
        text = (Path(__file__).resolve().parent.parent / path).read_text(encoding="utf-8")
        assert "nkteach.editions.links import" in text and "nkteach.cli import" not in text, path


def test_library_messages_name_arguments_not_flags(tmp_path):
    from nkteach.editions import scaffold
    from nkteach.editions.nbgrader import NbgraderExportError, export_course
    from nkteach.validation import InvalidArgumentError
    from tests.support import classroom as cr

    with pytest.raises(InvalidArgumentError, match="lesson number must be between 1 and 99, got 0") as e:
        scaffold.new_lesson("Energy", tmp_path, number=0)
    assert "--" not in str(e.value)
    lesson = cr.write(cr.mini_lesson(1), tmp_path / "l" / "01-mini.ipynb")
    export_course(tmp_path / "c", [lesson])
    with pytest.raises(NbgraderExportError) as e:
        export_course(tmp_path / "c", [lesson])
    assert "--" not in str(e.value) and e.value.needs == "force"


def test_release_answers_prints_the_code_of_the_course_secret(course):
    from nkteach.editions.secret import course_secret
    from nkteach.sealing import release_code

    r = run("release-answers", "2", cwd=course)
    assert r.returncode == 2 and "no course secret" in r.stderr and "Traceback" not in r.stderr
    assert run("student-build", course / "student", cwd=course).returncode == 0   # makes the secret
    r = run("release-answers", "2", cwd=course)
    assert r.returncode == 0, r.stderr
    assert f"Lesson 2 release code: {release_code(course_secret(course), 2)}" in r.stdout
    r2 = run("release-answers", "02-roots.ipynb", "--course", course, cwd=course)
    assert r2.stdout == r.stdout
    for bad in ("0", "100", "two"):
        r = run("release-answers", bad, cwd=course)
        assert r.returncode == 2 and f"got {bad!r}" in r.stderr, r.stderr


def test_read_only_output_is_a_clear_error(course, monkeypatch, capsys):
    """An OSError from the file system (read-only folder) is a message naming the path, exit 2."""
    from nkteach import cli, studentbuild

    def read_only(*a, **k):
        raise PermissionError(13, "Permission denied", str(course / "student"))

    monkeypatch.chdir(course)
    monkeypatch.setattr(studentbuild, "build", read_only)
    assert cli.main(["student-build", "student"]) == 2
    err = capsys.readouterr().err
    assert "student: permission denied (read-only?)" in err and "Traceback" not in err


def test_lessons_lists_the_course_pages(capsys):
    from nkteach.cli import main

    assert main(["lessons"]) == 0
    out = capsys.readouterr().out
    assert "Course pages:" in out
    for page in ("syllabus.md", "glossary.md", "readings.md", "instructor-guide.md"):
        assert page in out
