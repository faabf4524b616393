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
    assert set(seals) == {"r-mc", "r-num", "r-ord"}
    expect = {"r-mc": ("constructivism", "WHY-MC"), "r-num": ("49.3% (± 0.05)", "WHY-NUM"),
              "r-ord": ("a → b", "WHY-ORD")}
    for ex_id, seal in seals.items():
        assert S.reveal_seal(seal, ex_id) is None                  # nothing opens without the code
        assert S.open_release(seal, ex_id, S.release_code(SECRET, 2)) is None   # another lesson's code
        assert S.open_release(seal, ex_id, S.release_code(bytes(32), 1)) is None  # another course
        got = S.open_release(seal, ex_id, code.lower().replace("-", " "))
        assert got["answer"] == expect[ex_id][0] and expect[ex_id][1] in got["text"]
    # a release blob cannot be moved to another exercise (salt and additional data name the id)
    assert S.open_release({"release": seals["r-mc"]["release"]}, "r-num", code) is None
    # classify: the kernel makes its seals from the package data; no reveal key in release mode
    assert 'classify("C08", sealed=True, reveal=False)' in sealed.replace("'", '"')
    # written: the rubric stays (criteria are for students), the model answer goes
    assert "rubric=['Claim — strong: x / weak: y']" in sealed and "model_answer" not in sealed


def test_modes_and_their_aliases():
    code = S.release_code(SECRET, 1)
    after = S.seal_source(CELL, reveal="after-tries")
    never = S.seal_source(CELL, reveal="never")
    assert S.seal_source(CELL, reveal=True) == after and S.seal_source(CELL, reveal=False) == never
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
