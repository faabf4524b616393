"""Release codes (issue 18 item 4): a student copy sealed in "release" mode carries nothing that
opens an answer before the instructor gives the lesson's code; the code opens every answer."""
from __future__ import annotations

import hashlib
import hmac

import pytest

from nkteach import sealing as S
from nkteach.validation import InvalidArgumentError

SECRET = bytes(range(32))
CELL = '''mc = ex.multiple_choice("r-mc", "Which lens?", ["realism", "liberalism", "constructivism"],
                        answer="constructivism", also="liberalism", why="WHY-MC elites.",
                        hint={"realism": "HINT-MC power."})
num = ex.numeric("r-num", "Share (%)?", answer=49.34, tolerance=0.05, unit="%", why="WHY-NUM poll.")
order = ex.ordering("r-ord", "Order", ["b", "a"], answer=["a", "b"], why="WHY-ORD dates.")
cls = ex.classify("C08")
w = ex.written("r-w", "Explain.", min_words=80, rubric=["Claim — strong: x / weak: y"],
               model_answer="MODEL-W secret text.")
'''


def _seals(src: str) -> dict[str, dict]:
    import ast

    out = {}
    for node in ast.walk(ast.parse(src)):
        if isinstance(node, ast.Call):
            kws = {k.arg: k.value for k in node.keywords}
            if "seal" in kws:
                out[ast.literal_eval(node.args[0])] = ast.literal_eval(kws["seal"])
    return out


def _independent_code(secret: bytes, lesson: int) -> str:
    """The code computed again from the spec in LAYERS.md / docs/sealing.md, bit by bit."""
    mac = hmac.new(secret, f"nkteach/release/v1/lesson/{lesson}".encode(), hashlib.sha256).digest()
    bits = format(int.from_bytes(mac[:8], "big"), "064b")[:60]
    chars = "".join("0123456789ABCDEFGHJKMNPQRSTVWXYZ"[int(bits[i:i + 5], 2)] for i in range(0, 60, 5))
    return f"{chars[:4]}-{chars[4:8]}-{chars[8:]}"


def test_release_code_follows_the_spec():
    code = S.release_code(SECRET, 7)
    assert code == _independent_code(SECRET, 7)
    assert len(code) == 14 and code.count("-") == 2
    assert S.release_code(SECRET, "07") == code == S.release_code(bytearray(SECRET), 7)
    assert S.release_code(SECRET, 8) != code
    assert S.release_code(bytes(32), 7) != code
    # every lesson of a course gets its own code
    assert len({S.release_code(SECRET, n) for n in range(1, 40)}) == 39


@pytest.mark.parametrize("secret, lesson, says", [
    ("text", 1, "secret must be bytes"), (b"short", 1, "at least 16 bytes"),
    (SECRET, "L7", "lesson must be a lesson number"), (SECRET, True, "lesson must be a lesson number"),
    (SECRET, 7.0, "lesson must be a lesson number"), (SECRET, -1, ">= 0")])
def test_release_code_bad_input(secret, lesson, says):
    with pytest.raises(InvalidArgumentError, match=says):
        S.release_code(secret, lesson)


def test_normalise_code_accepts_what_a_student_types():
    code = S.release_code(SECRET, 3)
    canon = code.replace("-", "")
    assert S.normalise_code(code) == canon
    assert S.normalise_code(f"  {code.lower()} ") == canon
    assert S.normalise_code(code.replace("-", " – ")) == canon
    assert S.normalise_code("oil-OIL") == "011011"
    with pytest.raises(InvalidArgumentError, match="code"):
        S.normalise_code(None)


def test_release_mode_ships_no_key_and_the_code_opens_every_answer():
    code = S.release_code(SECRET, 1)
    sealed = S.seal_source(CELL, release_code=code)      # "release" is the default mode
    for secret in ("WHY-MC", "HINT-MC", "WHY-NUM", "WHY-ORD", "MODEL-W"):
        assert secret not in sealed
    assert "reveal_key" not in sealed and S.answer_texts(sealed) == []
    seals = _seals(sealed)
    assert set(seals) == {"r-mc", "r-num", "r-ord", "r-w"}
    expect = {"r-mc": ("constructivism", "WHY-MC"), "r-num": ("49.3% (± 0.05)", "WHY-NUM"),
              "r-ord": ("a → b", "WHY-ORD"), "r-w": ("MODEL-W secret text.", "")}
    for ex_id, seal in seals.items():
        assert S.reveal_seal(seal, ex_id) is None                  # nothing opens without the code
        assert S.open_release(seal, ex_id, S.release_code(SECRET, 2)) is None   # another lesson's code
        assert S.open_release(seal, ex_id, S.release_code(bytes(32), 1)) is None  # another course
        got = S.open_release(seal, ex_id, code.lower().replace("-", " "))
        assert got["answer"] == expect[ex_id][0] and expect[ex_id][1] in got["text"]
    # a release blob cannot be moved to another exercise (salt and additional data name the id)
    assert S.open_release({"release": seals["r-mc"]["release"]}, "r-num", code) is None
    # classify: the kernel makes its seals from the package data; no reveal key in release mode,
    # one release blob per statement
    assert 'classify("C08", sealed=True, reveal=False, release={"C08": "' in sealed.replace("'", '"')
    assert S.seal_source(sealed, release_code=code) == sealed            # sealing again changes nothing
    # written: the rubric stays (criteria are for students), the model answer goes into the blob
    assert "rubric=['Claim — strong: x / weak: y']" in sealed and "model_answer" not in sealed
    assert set(seals["r-w"]) == {"v", "kind", "release"}


def test_modes_and_their_aliases():
    code = S.release_code(SECRET, 1)
    after = S.seal_source(CELL, reveal="after-tries")
    never = S.seal_source(CELL, reveal="never")
    assert S.seal_source(CELL, reveal=True) == after and S.seal_source(CELL, reveal=False) == never
    assert set(_seals(after)) == set(_seals(never)) == {"r-mc", "r-num", "r-ord"}   # no written seal
    assert "MODEL-W" not in after and "MODEL-W" not in never and "rubric=" in never
    for ex_id, seal in _seals(after).items():
        assert "release" not in seal and S.reveal_seal(seal, ex_id)["text"]
    for ex_id, seal in _seals(never).items():
        assert "release" not in seal and "reveal_key" not in seal and S.reveal_seal(seal, ex_id) is None
    assert 'sealed=True, reveal=True' in after and 'sealed=True, reveal=False' in never
    # the same lesson sealed twice gives the same bytes (synthetic nonces)
    assert S.seal_source(CELL, release_code=code) == S.seal_source(CELL, release_code=code)
    nb = {"cells": [{"cell_type": "code", "source": CELL, "outputs": [], "execution_count": None}],
          "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    assert S.seal_notebook(nb, release_code=code)["cells"][0]["source"] == S.seal_source(
        CELL, release_code=code)


@pytest.mark.parametrize("kw, says", [
    ({}, "reveal='release' needs release_code="),
    ({"release_code": "ABC"}, "release_code must be a release code"),
    ({"release_code": "ABCD-EFGH-JKU1"}, "release_code must be a release code"),   # U is not Crockford
    ({"reveal": "after_tries"}, "unknown reveal 'after_tries'.*Did you mean 'after-tries'"),
    ({"reveal": None}, "reveal must be one of"),
])
def test_bad_modes_and_codes_are_named(kw, says):
    with pytest.raises(ValueError, match=says):     # InvalidArgumentError / UnknownNameError
        S.seal_source(CELL, **kw)
    with pytest.raises(ValueError, match=says):
        S.seal_notebook({"cells": [{"cell_type": "code", "source": CELL}]}, **kw)


# ---------------------------------------------------------------- ex.unlock in the kernel

LESSON_CELL = '''mc = ex.multiple_choice("l4-mc", "Which lens?", ["realism", "liberalism", "constructivism"],
                        answer="constructivism", why="WHY-MC elites.")
num = ex.numeric("l4-num", "Share (%)?", answer=49.34, tolerance=0.05, unit="%", why="WHY-NUM poll.")
cls = ex.classify("C08")
w = ex.written("l4-w", "Explain.", rubric=["a", "b", "c"], model_answer="MODEL-W secret text.")
'''


@pytest.fixture
def student_kernel():
    from nkteach import exercises as E

    E.reset_state()
    code = S.release_code(SECRET, 4)
    ns = {"ex": E}
    exec(S.seal_source(LESSON_CELL, release_code=code), ns)
    yield E, ns, code
    E.reset_state()


def test_unlock_opens_every_answer_of_the_lesson(student_kernel):
    E, ns, code = student_kernel
    mc, num, cls, w = ns["mc"], ns["num"], ns["cls"], ns["w"]
    for _ in range(E.REVEAL_AFTER + 1):                # no answer before the code, however many tries
        mc.check("realism")
        cls.check("International")
    assert mc.reveal() is None and cls.reveal() is None and "MODEL-W" not in w._repr_html_()
    assert "Enter the release code from your instructor" in w._repr_html_()
    got = E.unlock(code.lower())
    assert set(got.opened) == {"l4-mc", "l4-num", "l4-w", "classify:C08"} and got.lessons == ["4"]
    assert "WHY-MC" in got.opened["l4-mc"] and "49.3%" in got.opened["l4-num"]
    assert got.opened["l4-w"] == "Model answer: MODEL-W secret text."
    assert "Answer: Elite" in got.opened["classify:C08"]
    assert "Answer: constructivism" in mc.reveal() and "WHY-MC" in mc.feedback.value
    assert "Answer: Elite" in cls.reveal() and "Answer: 49.3% (± 0.05)" in num.reveal()
    assert "MODEL-W secret text." in w._repr_html_() and "4 answer(s) released" in str(got)


def test_a_wrong_code_says_which_lesson_it_does_not_open(student_kernel):
    E, ns, code = student_kernel
    with pytest.raises(E.ReleaseCodeError, match="this code does not open Lesson 4"):
        E.unlock(S.release_code(SECRET, 5))
    with pytest.raises(E.ReleaseCodeError, match="code must be a release code such as"):
        E.unlock("1234")
    with pytest.raises(InvalidArgumentError, match="code must be a string"):
        E.unlock(None)
    assert ns["mc"].reveal() is None and "WHY-MC" not in ns["mc"].feedback.value


def test_unlock_in_a_copy_without_release_blobs_says_so():
    from nkteach import exercises as E

    E.reset_state()
    exec(S.seal_source(LESSON_CELL, reveal="after-tries"), {"ex": E})
    with pytest.raises(E.ReleaseCodeError, match="nothing to unlock"):
        E.unlock(S.release_code(SECRET, 4))
    E.reset_state()


def test_a_code_can_be_checked_without_a_kernel():
    from nkteach.lessonfile import notebook_seals

    code = S.release_code(SECRET, 4)
    nb = {"cells": [{"cell_type": "code", "source": S.seal_source(LESSON_CELL, release_code=code)}]}
    seals = notebook_seals(nb)
    assert set(seals) == {"l4-mc", "l4-num", "l4-w"}
    opened = S.open_releases(seals, code)
    assert set(opened) == set(seals) and opened["l4-w"]["answer"] == "MODEL-W secret text."
    assert S.open_releases(seals, S.release_code(SECRET, 3)) == {}


@pytest.mark.slow
def test_a_real_lesson_opens_no_answer_before_the_code_and_every_answer_after(tmp_path):
    """Lesson 1 sealed in release mode and run in a kernel: no output before the code holds an
    answer, explanation or model answer; ex.unlock(code) opens every exercise of the lesson."""
    import json
    from pathlib import Path

    import nbformat
    from nbclient import NotebookClient

    from nkteach.lessonfile import exercise_specs, lesson_items, read_notebook

    src = Path(__file__).resolve().parent.parent / "lessons" / "01-levels-of-analysis.ipynb"
    inst = read_notebook(src)
    code = S.release_code(SECRET, 1)
    student = S.seal_notebook(inst, release_code=code)
    shown = json.dumps(student, ensure_ascii=False)   # options and questions stay visible
    secrets = {t for c in inst["cells"] if c["cell_type"] == "code"
               for t in S.answer_texts("".join(c["source"])) if len(t) >= 20 and t not in shown}
    assert len(secrets) > 5
    student["cells"].append(nbformat.v4.new_code_cell(
        f"from nkteach import exercises as _E\nprint(sorted(_E.unlock({code.lower()!r}).opened))"))
    nb = nbformat.reads(json.dumps(student), as_version=4)
    NotebookClient(nb, timeout=600, kernel_name="python3",
                   resources={"metadata": {"path": str(src.parent)}}).execute()
    before = json.dumps([c.get("outputs", []) for c in nb.cells[:-1]], ensure_ascii=False)
    assert not [s for s in secrets if s in before]
    opened = eval(nb.cells[-1].outputs[0]["text"])     # the printed list of ids
    items = lesson_items(inst)
    assert set(opened) == {i.ex_id for i in items.items}
    assert set(exercise_specs(inst)) <= set(opened)
