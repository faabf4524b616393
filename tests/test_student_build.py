"""Student copies: no answer, solution or instructor note survives, and the copies still run.

The leak search works on the raw JSON of each student notebook (cells, metadata, widget
state). Secrets are collected from the instructor version: every `why=` text, every answer
that is not also one of the options shown to students, the right order of every ordering
exercise, every line of solution/instructor cells, and everything in metadata that the
sample lesson plants there.
"""
from __future__ import annotations

import ast
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from nkteach import exercises, studentbuild
from nkteach.cli import TEMPLATE
from nkteach.lessoncheck import CHECK_OUTPUT_MARKER
from tests.conftest import LESSONS, ROOT

PLANTED = ["planted-notebook-metadata-secret", "planted-cell-metadata-secret",
           "planted-widget-state-secret", "planted-output-secret"]


def _src(cell) -> str:
    s = cell.get("source", "")
    return "".join(s) if isinstance(s, list) else s


def sample_lesson(path: Path) -> Path:
    """The lesson template, filled in, with secrets planted in every place a build could miss."""
    nb = json.loads(TEMPLATE.read_text(encoding="utf-8"))
    text = json.dumps(nb).replace("{{NUMBER}}", "1").replace("{{NN}}", "01").replace("{{TITLE}}", "Sample")
    nb = json.loads(text)
    nb["metadata"]["nkteach"]["answers"] = PLANTED[0]
    nb["metadata"]["widgets"] = {"application/vnd.jupyter.widget-state+json": {
        "state": {"abc": {"model_name": "TextModel", "state": {"value": PLANTED[2]}}},
        "version_major": 2, "version_minor": 0}}
    code = [c for c in nb["cells"] if c["cell_type"] == "code"]
    code[0]["metadata"]["answer_note"] = PLANTED[1]
    code[0]["outputs"] = [{"output_type": "stream", "name": "stdout", "text": PLANTED[3]}]
    code[0]["execution_count"] = 3
    nb["cells"].append({"cell_type": "code", "id": "fact", "metadata": {}, "execution_count": 1,
                        "source": f"{CHECK_OUTPUT_MARKER}\nprint(f'{{677 / 1372:.2%}}')",
                        "outputs": [{"output_type": "stream", "name": "stdout", "text": "49.34%\n"}]})
    path.write_text(json.dumps(nb, indent=1), encoding="utf-8")
    return path


def _options(call: ast.Call) -> set[str]:
    """Strings a student sees anyway: the options/items of the exercise call."""
    for node in call.args[2:3] + [k.value for k in call.keywords if k.arg in ("options", "items")]:
        try:
            return {str(x) for x in ast.literal_eval(node)}
        except ValueError:
            pass
    return set()


def secrets(nb: dict) -> list[str]:
    """Every text that must not occur in the student copy of ``nb``."""
    out: list[str] = []
    for c in nb["cells"]:
        src = _src(c)
        tags = set(c.get("metadata", {}).get("tags", []))
        if tags & studentbuild.DROP_TAGS:
            out += [ln.strip() for ln in src.splitlines() if len(ln.strip()) >= 12]
            continue
        if c["cell_type"] != "code":
            continue
        for call in exercises._calls(src):
            shown = _options(call)
            for k in call.keywords:
                if k.arg == "why":
                    out += [str(n.value) for n in ast.walk(k.value) if isinstance(n, ast.Constant)]
                elif k.arg in ("answer", "also"):
                    value = exercises._literal(k.value, k.arg)
                    if isinstance(value, list) and exercises._func_name(call) == "ordering":
                        out.append(ast.get_source_segment(src, k.value))   # the order itself
                    for v in (value if isinstance(value, list) else [value]):
                        if str(v) not in shown:
                            out.append(str(v))
    return [s for s in out if s.strip()]


def _where(raw: str, secret: str) -> str:
    """Cell index and context of the first hit, so a failure says what to fix."""
    for i, c in enumerate(json.loads(raw)["cells"]):
        if _find(json.dumps(c, ensure_ascii=False), secret):
            text = _src(c)
            at = max(text.find(secret), 0)
            return f"{secret!r} in cell {i} ({c['cell_type']}): ...{text[max(at - 60, 0):at + 60]!r}..."
    return f"{secret!r} in notebook metadata"


def _find(raw: str, secret: str) -> bool:
    """Is ``secret`` in the notebook JSON? Numbers match as whole numbers only (49.34, not 149.345)."""
    for hay in (raw, json.dumps(json.loads(raw), ensure_ascii=False)):
        if re.fullmatch(r"-?\d+(\.\d+)?", secret):
            if re.search(rf"(?<![\d.]){re.escape(secret)}(?![\d])", hay):
                return True
        elif secret in hay or json.dumps(secret)[1:-1] in hay:
            return True
    return False


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    src = tmp_path_factory.mktemp("instructor")
    sample = sample_lesson(src / "00-sample.ipynb")
    out = tmp_path_factory.mktemp("student")
    written = studentbuild.build(out, [sample, *LESSONS], force=True)
    return {"sample": sample, "out": out, "written": written}


def _cases():
    return ["sample"] + [p.name for p in LESSONS]


def _pair(built, case):
    inst = built["sample"] if case == "sample" else ROOT / "lessons" / case
    return inst, built["out"] / inst.name


def test_sample_has_the_secrets_the_test_looks_for(built):
    """Guard against a vacuous leak test: the instructor sample must contain every secret."""
    raw = built["sample"].read_text()
    found = secrets(json.loads(raw))
    assert len(found) >= 8
    for s in found + PLANTED:
        assert _find(raw, s), s
    assert "49.34%" in raw


@pytest.mark.parametrize("case", _cases())
def test_no_answer_text_survives(built, case):
    inst, student = _pair(built, case)
    nb = json.loads(inst.read_text())
    raw = student.read_text(encoding="utf-8")
    leaked = [_where(raw, s) for s in secrets(nb) + (PLANTED if case == "sample" else [])
              if _find(raw, s)]
    assert not leaked, (f"{student.name}: answer text survives in the student copy (move it into a "
                        "cell tagged 'solution', or do not state it in prose):\n" + "\n".join(leaked))
    snb = json.loads(raw)
    for c in snb["cells"]:
        assert not set(c["metadata"].get("tags", [])) & studentbuild.DROP_TAGS
        if c["cell_type"] == "code":
            assert c["outputs"] == [] and c["execution_count"] is None
            assert exercises.answer_texts(_src(c)) == [], _src(c)
            assert CHECK_OUTPUT_MARKER not in _src(c)
        assert set(c["metadata"]) <= {"tags"}
    assert set(snb["metadata"]) <= {"kernelspec", "language_info", "nkteach"}
    assert "widgets" not in snb["metadata"]


@pytest.mark.parametrize("case", _cases())
def test_student_copy_keeps_the_lesson(built, case):
    """Sealing removes answers, not exercises: every exercise call is still there."""
    inst, student = _pair(built, case)
    a, b = json.loads(inst.read_text()), json.loads(student.read_text())
    kept = [c for c in a["cells"] if not set(c["metadata"].get("tags", [])) & studentbuild.DROP_TAGS]
    assert len(b["cells"]) == len(kept)
    assert len(b["cells"]) < len(a["cells"]) or case != "sample"
    n_ex = lambda nb: sum(1 for c in nb["cells"] if c["cell_type"] == "code"
                          for _ in exercises._calls(_src(c)))
    assert n_ex(b) == n_ex(a) > 0
    assert b["metadata"]["nkteach"]["edition"] == "student"


def test_unsealable_answer_is_a_clear_error(tmp_path):
    nb = json.loads(sample_lesson(tmp_path / "01-x.ipynb").read_text())
    nb["cells"].append({"cell_type": "code", "id": "bad", "metadata": {}, "execution_count": None,
                        "outputs": [], "source": 'ex.numeric("q9", "Share?", answer=share)'})
    with pytest.raises(studentbuild.StudentBuildError, match=r"01-x.ipynb, cell \d+: cannot seal"):
        studentbuild.student_notebook(nb, "01-x.ipynb")


@pytest.mark.slow
def test_student_lessons_run_under_nbval(built):
    r = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-o", "addopts=",
         "--nbval-lax", "--nbval-current-env", "--rootdir", str(built["out"]),
         *map(str, built["written"])],
        cwd=built["out"], capture_output=True, text=True, timeout=3000)
    assert r.returncode == 0, r.stdout[-4000:] + r.stderr[-2000:]
    m = re.search(r"(\d+) passed", r.stdout)
    n_code = sum(1 for w in built["written"] for c in json.loads(w.read_text())["cells"]
                 if c["cell_type"] == "code")
    assert m and int(m.group(1)) == n_code, r.stdout[-500:]
