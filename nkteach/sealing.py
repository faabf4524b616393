"""Sealed feedback: explanations that only a right answer can open (student copies, static site).

An exercise's explanation (``why=``), its model answer and its per-option hints are encrypted
with AES-256-GCM under keys derived (HKDF-SHA256) from the *normalised answer* and the exercise
id. The student copy carries only the ciphertext (a ``seal={...}`` dict in the exercise call):
whoever gives the right answer derives the key and reads the explanation; a wrong answer
derives a key that opens nothing (or that wrong option's hint). The same primitives exist in
every browser's Web Crypto API (``crypto.subtle``: HKDF, AES-GCM, SHA-256), so the kernel-free
HTML form of an exercise (:mod:`nkteach.exercises`) opens the same seal. The format is
specified byte for byte in ``docs/sealing.md``; change both together (bump ``VERSION``).

What this protects: the *text* of explanations and model answers stays out of the student
file. What it does not: option lists are short, so a determined student can try every option;
the seal makes reading the explanation the same effort as answering, which is the point.

This module also rewrites lesson source for the student build (:func:`seal_source`,
:func:`seal_notebook`, :func:`answer_texts`). It imports only the standard library and
``cryptography``; it never imports widgets.
"""
from __future__ import annotations

import ast
import base64
import copy
import hashlib
import hmac
import json
import math
import re
import unicodedata
from typing import Any
from collections.abc import Iterable, Sequence

from .validation import InvalidArgumentError, check_choice, check_text, check_type

__all__ = ["VERSION", "normalise", "numeric_grid", "numeric_key", "ordering_key", "position_tag",
           "derive_key", "encrypt", "decrypt", "make_seal", "open_seal", "reveal_seal",
           "seal_source", "seal_notebook", "answer_texts", "SealError", "EXERCISE_FUNCS",
           "SECRET_KW", "WRITTEN_SECRET_KW", "REVEAL_MODES", "reveal_mode", "release_code",
           "normalise_code", "release_key", "open_release", "CODE_ALPHABET"]

VERSION = 1
SALT_PREFIX = "nkteach/seal/v1/"       # HKDF salt = SALT_PREFIX + ex_id (UTF-8)
INFO_ANSWER = b"nkteach answer key"     # HKDF info for keys derived from an answer
INFO_REVEAL = b"nkteach reveal key"     # HKDF info for the reveal key
INFO_RELEASE = b"nkteach release key"   # HKDF info for the key derived from a release code
SLOTS = ("right", "also", "hint", "reveal", "release")   # AES-GCM additional data = ex_id + US + slot
_US = "\x1f"                            # unit separator: joins fields that may hold spaces
_WS = re.compile(r"[ \t\n\r\f\v]+")     # whitespace class identical in Python and JavaScript
ZERO_TOL_STEP = 1e-6                    # grid step for a numeric answer with tolerance 0

EXERCISE_FUNCS = frozenset({"multiple_choice", "numeric", "ordering", "classify", "written"})
SECRET_KW = ("answer", "also", "why", "hint")     # hint: only its per-option (dict) form is secret
WRITTEN_SECRET_KW = ("model_answer",)   # rubric= stays in student copies (criteria are public)

# How a student copy lets a student see an answer (docs/sealing.md, "Reveal modes"):
#   "release"     the answer opens only with the lesson's release code (no reveal key shipped);
#   "after-tries" the reveal key ships in the file: the form offers it after REVEAL_AFTER tries;
#   "never"       no key and no release blob: nothing but a right answer opens anything.
REVEAL_MODES = ("release", "after-tries", "never")
_REVEAL_ALIASES = {True: "after-tries", False: "never"}

# Release codes: 12 Crockford base-32 characters (60 bits), shown as XXXX-XXXX-XXXX.
CODE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CODE_LENGTH = 12
RELEASE_LABEL = "nkteach/release/v1/lesson/"   # HMAC message = RELEASE_LABEL + str(int(lesson))
_CODE_DROP = re.compile(r"[\s\-\u2010-\u2015\u2212]+")   # spaces and dashes (any kind)
_CODE_ALIASES = str.maketrans({"O": "0", "I": "1", "L": "1"})


class SealError(InvalidArgumentError):
    """An exercise call that cannot be sealed (non-literal answer, missing id …)."""


# ---------------------------------------------------------------- normalisation

def normalise(value: Any) -> str:
    """Text form of an answer: NFKC, lower case, whitespace runs → one space, trimmed."""
    s = unicodedata.normalize("NFKC", str(value)).lower()
    return _WS.sub(" ", s).strip(" ")


def numeric_grid(tolerance: float) -> float:
    """Grid step for numeric keys: tolerance / 10 (``ZERO_TOL_STEP`` for tolerance 0)."""
    return tolerance / 10 if tolerance > 0 else ZERO_TOL_STEP


def numeric_key(value: float, tolerance: float) -> str:
    """Key text of the model answer: the index of the nearest grid point, as a decimal integer."""
    return str(int(math.floor(float(value) / numeric_grid(tolerance) + 0.5)))


def numeric_candidates(x: float, tolerance: float) -> list[str]:
    """Key texts worth trying for a student's number ``x``: every grid index k with
    |x − k·step| ≤ tolerance + step/2 (so any x within tolerance of the answer finds its key)."""
    step = numeric_grid(tolerance)
    reach = tolerance + step / 2
    lo, hi = math.ceil((x - reach) / step), math.floor((x + reach) / step)
    return [str(k) for k in range(int(lo), int(hi) + 1)]


def ordering_key(order: Sequence[Any]) -> str:
    """Key text of an order: the normalised items joined by newlines."""
    return "\n".join(normalise(x) for x in order)


def position_tag(ex_id: str, position: int, item: Any) -> str:
    """hex SHA-256 of ``ex_id US position US normalise(item)``, first 16 digits (partial credit)."""
    text = f"{ex_id}{_US}{position}{_US}{normalise(item)}"
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


# ---------------------------------------------------------------- reveal modes and release codes

def reveal_mode(reveal: Any) -> str:
    """The reveal mode named by ``reveal``: one of :data:`REVEAL_MODES`, or True / False (the
    old switch: True = "after-tries", False = "never")."""
    if isinstance(reveal, bool):
        return _REVEAL_ALIASES[reveal]
    return check_choice("reveal", reveal, REVEAL_MODES + (True, False))


def release_code(secret: bytes, lesson: int | str) -> str:
    """The release code of one lesson: ``XXXX-XXXX-XXXX``, 12 Crockford base-32 characters of
    the first 60 bits of HMAC-SHA256(secret, "nkteach/release/v1/lesson/" + str(int(lesson))).

    ``secret`` is the course secret (bytes, at least 16 of them); ``lesson`` a lesson number
    (an int, or a string of digits such as "07")."""
    check_type("secret", secret, (bytes, bytearray), "bytes (the course secret)")
    if len(secret) < 16:
        raise InvalidArgumentError(f"secret must be at least 16 bytes (the course secret is 32), "
                                   f"got {len(secret)}")
    if isinstance(lesson, str) and lesson.strip().isdigit():
        number = int(lesson.strip())
    elif isinstance(lesson, int) and not isinstance(lesson, bool):
        number = lesson
    else:
        raise InvalidArgumentError(f"lesson must be a lesson number (an int such as 7, or digits "
                                   f"such as '07'), got {lesson!r} ({type(lesson).__name__})")
    if number < 0:
        raise InvalidArgumentError(f"lesson must be a lesson number >= 0, got {lesson!r}")
    mac = hmac.new(bytes(secret), f"{RELEASE_LABEL}{number}".encode(), hashlib.sha256).digest()
    bits = int.from_bytes(mac[:8], "big") >> 4          # the first 60 bits
    chars = "".join(CODE_ALPHABET[(bits >> (5 * i)) & 31] for i in reversed(range(CODE_LENGTH)))
    return "-".join(chars[i:i + 4] for i in range(0, CODE_LENGTH, 4))


def normalise_code(text: str) -> str:
    """A release code as typed → its canonical 12 characters: upper case, spaces and dashes
    dropped, Crockford's aliases O → 0 and I, L → 1 (so "abcd-efgh-jkmn" and "ABCDEFGHJKMN"
    are the same code). Any other text is returned normalised the same way (and opens nothing)."""
    check_text("code", text)
    return _CODE_DROP.sub("", unicodedata.normalize("NFKC", text)).upper().translate(_CODE_ALIASES)


def release_key(ex_id: str, code: str) -> bytes:
    """32-byte AES key of an exercise's release blob: HKDF-SHA256(ikm=UTF-8(normalise_code(code)),
    salt=UTF-8(SALT_PREFIX+ex_id), info="nkteach release key")."""
    return derive_key(ex_id, normalise_code(code), INFO_RELEASE)


def open_release(seal: dict, ex_id: str, code: str) -> dict | None:
    """The payload of a seal's release blob (model answer and explanation) if ``code`` opens it;
    None for a wrong code or a seal without a release blob."""
    blob = seal.get("release") if isinstance(seal, dict) else None
    if not isinstance(blob, str):
        return None
    return decrypt(release_key(ex_id, code), ex_id, "release", blob)


# ---------------------------------------------------------------- crypto

def derive_key(ex_id: str, key_text: str, info: bytes = INFO_ANSWER) -> bytes:
    """32-byte AES key: HKDF-SHA256(ikm=UTF-8(key_text), salt=UTF-8(SALT_PREFIX+ex_id), info)."""
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.kdf.hkdf import HKDF

    return HKDF(algorithm=hashes.SHA256(), length=32, salt=(SALT_PREFIX + ex_id).encode("utf-8"),
                info=info).derive(key_text.encode("utf-8"))


def _aad(ex_id: str, slot: str) -> bytes:
    return f"{ex_id}{_US}{slot}".encode()


def encrypt(key: bytes, ex_id: str, slot: str, payload: dict) -> str:
    """base64(nonce ‖ AES-GCM ciphertext ‖ tag) of the UTF-8 JSON ``payload``.

    The 12-byte nonce is synthetic (HMAC-SHA256 of key-bound data and plaintext), so a rebuild
    of an unchanged lesson gives the same bytes and a nonce repeats only with the same text."""
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    plain = json.dumps(payload, ensure_ascii=False, sort_keys=True).encode("utf-8")
    nonce = hmac.new(key, _aad(ex_id, slot) + b"\x00" + plain, hashlib.sha256).digest()[:12]
    return base64.b64encode(nonce + AESGCM(key).encrypt(nonce, plain, _aad(ex_id, slot))).decode()


def decrypt(key: bytes, ex_id: str, slot: str, blob: str) -> dict | None:
    """The payload of ``blob`` if ``key`` opens it, else None."""
    from cryptography.exceptions import InvalidTag
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    try:
        raw = base64.b64decode(blob, validate=True)
        plain = AESGCM(key).decrypt(raw[:12], raw[12:], _aad(ex_id, slot))
    except (InvalidTag, ValueError, TypeError):
        return None
    return json.loads(plain.decode("utf-8"))


# ---------------------------------------------------------------- seals

def _key_texts(kind: str, answer: Any, tolerance: float) -> str:
    if kind == "numeric":
        return numeric_key(answer, tolerance)
    if kind == "ordering":
        return ordering_key(answer)
    return normalise(answer)


def make_seal(ex_id: str, kind: str, answer: Any, *, also: Iterable[Any] = (), right_text: str = "",
              also_text: str = "", reveal_text: str = "", answer_label: str = "",
              hints: dict | None = None, tolerance: float = 0.0, reveal: str | bool = "after-tries",
              release_code: str | None = None) -> dict:
    """The sealed data of one exercise (a JSON-able dict; see docs/sealing.md).

    ``kind``: "choice", "numeric" or "ordering". ``right_text`` is shown after a right answer,
    ``also_text`` after an also-defensible one, ``reveal_text``/``answer_label`` when the
    student asks to see the answer; ``hints`` maps a wrong option to its hint. ``reveal``: one
    of :data:`REVEAL_MODES` (or True / False): "after-tries" ships the reveal key, "never"
    does not, "release" does not either and adds a ``release`` blob (the same answer and
    explanation) that only ``release_code`` opens."""
    if kind not in ("choice", "numeric", "ordering"):
        raise InvalidArgumentError(f"kind must be 'choice', 'numeric' or 'ordering', got {kind!r}")
    mode = reveal_mode(reveal)
    if mode == "release":
        _need_code(release_code, ex_id)
    k_right = _key_texts(kind, answer, tolerance)
    seal: dict[str, Any] = {"v": VERSION, "kind": kind,
                            "right": encrypt(derive_key(ex_id, k_right), ex_id, "right",
                                             {"text": right_text})}
    if kind == "numeric":
        seal["tolerance"] = float(tolerance)
    if kind == "ordering":
        seal["positions"] = [position_tag(ex_id, i, x) for i, x in enumerate(answer)]
    also = list(also)
    if also:
        seal["also"] = [encrypt(derive_key(ex_id, normalise(a)), ex_id, "also", {"text": also_text})
                        for a in also]
    if hints:
        seal["hints"] = [encrypt(derive_key(ex_id, normalise(opt)), ex_id, "hint", {"text": str(h)})
                         for opt, h in hints.items()]
    rkey = derive_key(ex_id, k_right, INFO_REVEAL)
    payload = {"answer": answer_label, "text": reveal_text}
    seal["reveal"] = encrypt(rkey, ex_id, "reveal", payload)
    if mode == "after-tries":
        seal["reveal_key"] = base64.b64encode(rkey).decode()
    elif mode == "release":
        seal["release"] = encrypt(release_key(ex_id, release_code), ex_id, "release", payload)
    return seal


def _need_code(code: Any, where: str) -> str:
    if code is None:
        raise SealError(f"reveal='release' needs release_code= (the lesson's code, see "
                        f"nkteach.sealing.release_code) to seal {where}; or choose reveal="
                        "'after-tries' or 'never'")
    if not isinstance(code, str) or len(normalise_code(code)) != CODE_LENGTH \
            or set(normalise_code(code)) - set(CODE_ALPHABET):
        raise InvalidArgumentError(f"release_code must be a release code such as 'ABCD-EFGH-JK01' "
                                   f"({CODE_LENGTH} characters of {CODE_ALPHABET}), got {code!r:.40}")
    return code


def check_seal(seal: Any, ex_id: str) -> dict:
    """``seal`` if it looks like a seal of this format, else a clear error for the author."""
    if not isinstance(seal, dict) or seal.get("v") != VERSION or "right" not in seal:
        raise SealError(f"exercise {ex_id!r}: seal= is not a version-{VERSION} seal (was the lesson "
                        "built by another nkteach version? rebuild the student copy)")
    return seal


def open_seal(seal: dict, ex_id: str, key_texts: Sequence[str]) -> tuple[str, dict | None]:
    """Try each candidate key text: ("right"|"also"|"hint", payload) or ("wrong", None)."""
    for kt in key_texts:
        key = derive_key(ex_id, kt)
        got = decrypt(key, ex_id, "right", seal["right"])
        if got is not None:
            return "right", got
        for slot, blobs in (("also", seal.get("also", [])), ("hint", seal.get("hints", []))):
            for blob in blobs:
                got = decrypt(key, ex_id, slot, blob)
                if got is not None:
                    return slot, got
    return "wrong", None


def reveal_seal(seal: dict, ex_id: str) -> dict | None:
    """The model answer and explanation, if the seal ships its reveal key; else None."""
    if "reveal_key" not in seal:
        return None
    return decrypt(base64.b64decode(seal["reveal_key"]), ex_id, "reveal", seal["reveal"])


# ---------------------------------------------------------------- source rewriting

def _ipython_safe(src: str) -> str:
    """Turn IPython-only lines (%magic, !shell) into comments of the same length for ast."""
    return "\n".join(re.sub(r"^(\s*)[%!]", r"\1#", ln) for ln in src.split("\n"))


def func_name(call: ast.Call) -> str | None:
    """The exercise constructor a call names (``ex.numeric(...)`` → "numeric"), else None."""
    f = call.func
    name = f.id if isinstance(f, ast.Name) else f.attr if isinstance(f, ast.Attribute) else None
    return name if name in EXERCISE_FUNCS else None


def exercise_calls(src: str):
    """Every exercise call in a code cell's source (ast.Call nodes); SyntaxError if unparsable."""
    tree = ast.parse(_ipython_safe(src))
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and func_name(node):
            yield node


_BIN = {ast.Add: lambda a, b: a + b, ast.Sub: lambda a, b: a - b, ast.Mult: lambda a, b: a * b,
        ast.Div: lambda a, b: a / b, ast.Pow: lambda a, b: a ** b}


def literal(node: ast.AST, what: str):
    """literal_eval plus plain arithmetic (e.g. ``answer=677 / 1372 * 100``) and round()."""
    if isinstance(node, ast.BinOp) and type(node.op) in _BIN:
        return _BIN[type(node.op)](literal(node.left, what), literal(node.right, what))
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        return -literal(node.operand, what)
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "round":
        return round(*[literal(a, what) for a in node.args])
    try:
        return ast.literal_eval(node)
    except ValueError:
        raise SealError(f"cannot seal {what}: it must be a literal (a string, number or list), "
                        f"got `{ast.unparse(node)}`") from None


def call_ex_id(call: ast.Call) -> Any:
    """The literal ex_id of an exercise call, or None when it is not a literal."""
    kws = {k.arg: k for k in call.keywords}
    node = call.args[0] if call.args else (kws["ex_id"].value if "ex_id" in kws else None)
    if node is None:
        return None
    try:
        return ast.literal_eval(node)
    except ValueError:
        return None


def _aslist(x) -> list:
    return [] if x is None else [x] if isinstance(x, str) else list(x)


def feedback_texts(why: str, citation: str) -> str:
    """The explanation shown after a right answer: why + "Source: citation."."""
    cite = f"Source: {citation}." if citation else ""
    return " ".join(p for p in (why.strip(), cite) if p)


def _rounded(x: float, tol: float) -> str:
    """``x`` with the decimals its tolerance implies (± 0.005 → 2 decimals, ± 0.5 → none)."""
    if tol <= 0:
        return f"{x:g}"
    return f"{x:.{max(0, math.ceil(-math.log10(2 * tol) - 1e-9))}f}"


def seal_kwargs(ex_id: str, name: str, values: dict, *, reveal: str | bool = "after-tries",
                release_code: str | None = None) -> dict:
    """The ``seal`` dict for an exercise given its instructor keyword values (pure data)."""
    kind = {"multiple_choice": "choice"}.get(name, name)
    answer = values["answer"]
    why, citation = values.get("why", "") or "", values.get("citation", "") or ""
    tol = float(values.get("tolerance", 0.05)) if kind == "numeric" else 0.0
    if kind == "ordering":
        label = " → ".join(map(str, answer))
    elif kind == "numeric":
        label = f"{_rounded(answer, tol)}{values.get('unit', '')}" + (f" (± {tol:g})" if tol else "")
    else:
        label = str(answer)
    right = feedback_texts(why, citation)
    also = _aslist(values.get("also"))
    hint = values.get("hint")
    return make_seal(ex_id, kind, answer, also=also, right_text=right, tolerance=tol,
                     also_text=f"The main answer is {label}. {right}".strip(), answer_label=label,
                     reveal_text=right, hints=hint if isinstance(hint, dict) else None, reveal=reveal,
                     release_code=release_code)


def _sealed_call(call: ast.Call, name: str, mode: str, code: str | None) -> ast.Call | None:
    kws = {k.arg: k for k in call.keywords}
    if name == "written":
        if not any(k in kws for k in WRITTEN_SECRET_KW):
            return None
        return ast.Call(call.func, call.args, [k for k in call.keywords if k.arg not in WRITTEN_SECRET_KW])
    if name == "classify":
        # the kernel makes classify seals from the package data; its reveal switch: after-tries
        # only (in "release" mode ex.unlock(code), checked on the lesson's other seals, opens it)
        want = {"sealed": True, "reveal": mode == "after-tries"}
        if all(isinstance(kws.get(k), ast.keyword) and isinstance(kws[k].value, ast.Constant)
               and kws[k].value.value is v for k, v in want.items()):
            return None
        keep = [k for k in call.keywords if k.arg not in want]
        flags = [ast.keyword(k, ast.Constant(v)) for k, v in want.items()]
        return ast.Call(call.func, call.args, keep + flags)
    hint_kw = kws.get("hint")
    secret_hint = hint_kw is not None and isinstance(hint_kw.value, ast.Dict)
    if not any(k in kws for k in ("answer", "also", "why")) and not secret_hint:
        return None
    ex_id = call_ex_id(call)
    if not isinstance(ex_id, str):
        raise SealError(f"cannot seal {name}(...) at line {call.lineno}: its ex_id must be a string literal")
    where = f"{name}({ex_id!r})"
    if "answer" not in kws:
        raise SealError(f"cannot seal {where}: it has no answer=")
    values = {k: literal(v.value, f"{k}= of {where}") for k, v in kws.items()
              if k in ("answer", "also", "why", "citation", "tolerance", "unit", "hint")}
    keep = [k for k in call.keywords if k.arg not in SECRET_KW or (k.arg == "hint" and not secret_hint)]
    if name == "numeric" and "tolerance" not in kws:   # the default, made explicit: the seal uses it
        keep.append(ast.keyword("tolerance", ast.Constant(0.05)))
    seal = seal_kwargs(ex_id, name, values, reveal=mode, release_code=code)
    keep.append(ast.keyword("seal", ast.parse(repr(seal), mode="eval").body))
    return ast.Call(call.func, call.args, keep)


def _unparse(call: ast.Call) -> str:
    """Source of a rewritten call; a seal goes on its own line so the question stays readable."""
    seal = next((k for k in call.keywords if k.arg == "seal"), None)
    if seal is None:
        return ast.unparse(call)
    head = ast.unparse(ast.Call(call.func, call.args, [k for k in call.keywords if k is not seal]))
    return f"{head[:-1]},\n    seal={ast.unparse(seal.value)})"


def seal_source(cell_source: str, *, reveal: str | bool = "release", release_code: str | None = None) -> str:
    """Rewrite exercise calls in a code cell for the student build.

    ``answer=``, ``also=``, ``why=`` and a per-option ``hint={...}`` become one ``seal={...}``
    (ciphertext, see docs/sealing.md); ``classify(...)`` gets ``sealed=True``; ``written(...)``
    loses ``model_answer=`` (its ``rubric=`` stays: the criteria are for students too).
    ``reveal``: one of :data:`REVEAL_MODES` — "release" (the default) needs ``release_code``
    and adds a release blob that only the code opens; "after-tries" ships the reveal key (the
    answers are then in the file); "never" ships neither. True / False are the old spellings of
    "after-tries" / "never". The rest of the cell is kept byte for byte. Raises
    :class:`SealError` if an answer is not a literal."""
    mode = reveal_mode(reveal)
    if mode == "release":
        _need_code(release_code, "a lesson")
    data = cell_source.encode("utf-8")
    starts = [0]
    for ln in data.split(b"\n")[:-1]:
        starts.append(starts[-1] + len(ln) + 1)
    edits = []
    for call in exercise_calls(cell_source):
        new = _sealed_call(call, func_name(call), mode, release_code)
        if new is not None:
            a = starts[call.lineno - 1] + call.col_offset
            b = starts[call.end_lineno - 1] + call.end_col_offset
            edits.append((a, b, _unparse(new).encode("utf-8")))
    # outermost calls only: an exercise call nested in another is rewritten with it
    kept = [e for e in edits if not any(o[0] <= e[0] and e[1] <= o[1] and o != e for o in edits)]
    for a, b, text in sorted(kept, reverse=True):
        data = data[:a] + text + data[b:]
    return data.decode("utf-8")


def answer_texts(cell_source: str) -> list[str]:
    """Every secret text in a cell's exercise calls (values of answer=, also=, why=, a per-option
    hint=, rubric=, model_answer=, as strings). Empty after :func:`seal_source`."""
    out: list[str] = []
    for call in exercise_calls(cell_source):
        for k in call.keywords:
            if k.arg == "hint" and not isinstance(k.value, ast.Dict):
                continue
            if k.arg in SECRET_KW + WRITTEN_SECRET_KW:
                for node in ast.walk(k.value):
                    if isinstance(node, ast.Constant) and not isinstance(node.value, bool):
                        out.append(str(node.value))
                    elif isinstance(node, ast.Name):   # a variable: report its name
                        out.append(node.id)
    return out


def seal_notebook(nb: dict, *, reveal: str | bool = "release", release_code: str | None = None) -> dict:
    """A copy of a notebook (nbformat JSON) with :func:`seal_source` applied to every code cell
    (same ``reveal`` and ``release_code``) and the outputs of changed cells cleared (they may
    show feedback)."""
    mode = reveal_mode(reveal)
    out = copy.deepcopy(nb)
    for cell in out.get("cells", []):
        if cell.get("cell_type") != "code":
            continue
        src = cell["source"] if isinstance(cell["source"], str) else "".join(cell["source"])
        sealed = seal_source(src, reveal=mode, release_code=release_code)
        if sealed != src:
            cell["source"] = sealed
            cell["outputs"], cell["execution_count"] = [], None
    return out
