"""Sealed feedback: explanations that only a right answer can open (student copies, static site).

An exercise's explanation (``why=``), its model answer and its per-option hints are encrypted
with AES-256-GCM under keys derived (HKDF-SHA256) from the *normalised answer* and the exercise
id. The student copy carries only the ciphertext (a ``seal={...}`` dict in the exercise call):
whoever gives the right answer derives the key and reads the explanation; a wrong answer
derives a key that opens nothing (or that wrong option's hint). The same primitives exist in
every browser's Web Crypto API (``crypto.subtle``: HKDF, AES-GCM, SHA-256), so the kernel-free
HTML form of an exercise (:mod:`nkteach.exercises`) opens the same seal. The format is
specified byte for byte in ``docs/sealing.md``; change both together (bump ``VERSION``).

Reveal modes (:data:`REVEAL_MODES`) decide what lets a student see an answer without giving
it: "release" (the default: a ``release`` blob that only the lesson's release code opens),
"after-tries" (the reveal key ships in the file, so the answers are in the file) or "never".
What each protects, and what it does not, is in ``docs/sealing.md``.

This module also applies the format to lesson source for the student build (:func:`seal_source`,
:func:`seal_notebook`, :func:`answer_texts`); which calls are exercises and which keywords are
answers come from the lesson-file layer (:mod:`nkteach.lessonfile.source`, ``.kinds``). It
imports only the standard library, ``cryptography`` and those; it never imports widgets.
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

from .lessonfile.items import call_classify_ids
from .lessonfile.kinds import EXERCISE_FUNCS, KINDS, SEAL_TYPES  # noqa: F401  (EXERCISE_FUNCS: old imports)
from .lessonfile.source import (SourceError, call_ex_id, call_kwargs, exercise_calls, func_name,  # noqa: F401
                                literal, secret_values)  # call_ex_id, literal: old imports read them here
from .lessonfile.statements import item_key, statement_exercise
from .validation import InvalidArgumentError, check_choice, check_text, check_type

__all__ = ["VERSION", "normalise", "numeric_grid", "numeric_key", "ordering_key", "position_tag",
           "derive_key", "encrypt", "decrypt", "make_seal", "open_seal", "reveal_seal",
           "seal_source", "seal_notebook", "answer_texts", "SealError",
           "SECRET_KW", "WRITTEN_SECRET_KW", "REVEAL_MODES", "reveal_mode", "release_code",
           "normalise_code", "release_key", "open_release", "open_releases", "CODE_ALPHABET", "written_seal",
           "check_seal", "seal_kwargs", "feedback_texts", "statement_releases",
           # (the source walk — exercise_calls, func_name, literal, call_ex_id — and EXERCISE_FUNCS
           # live in nkteach.lessonfile; still importable from here for old imports)
           "SALT_PREFIX", "INFO_ANSWER", "INFO_REVEAL", "INFO_RELEASE", "SLOTS", "ZERO_TOL_STEP",
           "CODE_LENGTH", "RELEASE_LABEL", "numeric_candidates"]

VERSION = 1
SALT_PREFIX = "nkteach/seal/v1/"       # HKDF salt = SALT_PREFIX + ex_id (UTF-8)
INFO_ANSWER = b"nkteach answer key"     # HKDF info for keys derived from an answer
INFO_REVEAL = b"nkteach reveal key"     # HKDF info for the reveal key
INFO_RELEASE = b"nkteach release key"   # HKDF info for the key derived from a release code
SLOTS = ("right", "also", "hint", "reveal", "release")   # AES-GCM additional data = ex_id + US + slot
_US = "\x1f"                            # unit separator: joins fields that may hold spaces
_WS = re.compile(r"[ \t\n\r\f\v]+")     # whitespace class identical in Python and JavaScript
ZERO_TOL_STEP = 1e-6                    # grid step for a numeric answer with tolerance 0

# Keywords the student build takes out of a call (from the kind registry): answers (a hint only
# in its per-option dict form) and what goes into a release blob (written: model_answer=; its
# rubric= stays in student copies, the criteria are public).
SECRET_KW = tuple(dict.fromkeys(k for kind in KINDS.values() for k in kind.answers))
WRITTEN_SECRET_KW = tuple(dict.fromkeys(k for kind in KINDS.values() for k in kind.released))

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


class SealError(SourceError):
    """An exercise call or seal that cannot be used (non-literal answer, missing id, a seal of
    another format …); source problems raise its base class, SourceError."""


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


def open_releases(seals: dict[str, dict], code: str) -> dict[str, dict]:
    """ex_id → release payload for every seal in ``seals`` (ex_id → seal) that ``code`` opens;
    {} when it opens none (a wrong code, or seals without release blobs)."""
    out = {}
    for ex_id, seal in seals.items():
        got = open_release(seal, ex_id, code)
        if got is not None:
            out[ex_id] = got
    return out


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
    check_choice("kind", kind, SEAL_TYPES)
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
    """The ``seal`` dict for an exercise given its instructor keyword values (pure data).
    ``name``: a kind in :data:`~nkteach.lessonfile.kinds.KINDS` (its key type decides the seal)."""
    k = KINDS[name]
    kind = k.seal
    answer = values["answer"]
    why, citation = values.get("why", "") or "", values.get("citation", "") or ""
    tol = 0.0
    if kind == "numeric":
        tol = float(values.get("tolerance", k.sealed_defaults.get("tolerance", 0.0)))
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


def written_seal(ex_id: str, model_answer: str, release_code: str) -> dict:
    """The seal of a written task in "release" mode: only a ``release`` blob holding the model
    answer (payload ``{"answer": model answer, "text": ""}``); nothing is auto-checked."""
    _need_code(release_code, f"written({ex_id!r})")
    return {"v": VERSION, "kind": "written",
            "release": encrypt(release_key(ex_id, release_code), ex_id, "release",
                               {"answer": str(model_answer), "text": ""})}


def _flag_call(call: ast.Call, want: dict, extra: dict | None = None) -> ast.Call | None:
    """``call`` with keyword constants ``want`` set and keywords ``extra`` (literal values) added
    (None when it already has them all)."""
    kws = {k.arg: k for k in call.keywords}
    if all(isinstance(kws.get(k), ast.keyword) and isinstance(kws[k].value, ast.Constant)
           and kws[k].value.value is v for k, v in want.items()) and not (set(extra or {}) - set(kws)):
        return None
    keep = [k for k in call.keywords if k.arg not in want and k.arg not in (extra or {})]
    flags = [ast.keyword(k, ast.Constant(v)) for k, v in want.items()]
    more = [ast.keyword(k, ast.parse(repr(v), mode="eval").body) for k, v in (extra or {}).items()]
    return ast.Call(call.func, call.args, keep + flags + more)


def statement_releases(item_ids: Iterable[str], release_code: str) -> dict[str, str]:
    """item id → release blob of each statement of a per-statement call (classify): the same
    payload as its reveal blob (level label, justification and source), so ``ex.unlock(code)``
    and a page's code box open classify items like every other exercise."""
    out = {}
    for i in item_ids:
        kw = statement_exercise(i)
        ex_id = item_key(i)
        payload = {"answer": str(kw["answer"]), "text": feedback_texts(kw["why"], kw["citation"])}
        out[str(i)] = encrypt(release_key(ex_id, release_code), ex_id, "release", payload)
    return out


def _seal_kw(seal: dict) -> ast.keyword:
    return ast.keyword("seal", ast.parse(repr(seal), mode="eval").body)


def _sealed_call(call: ast.Call, name: str, mode: str, code: str | None) -> ast.Call | None:
    kind = KINDS[name]
    if kind.per_statement:
        # the kernel makes these seals from the package data; reveal after tries only in that
        # mode; in "release" mode the call carries one release blob per statement
        want = {"sealed": True, "reveal": mode == "after-tries"}
        if mode != "release":
            return _flag_call(call, want)
        kws = call_kwargs(call)
        if "release" in kws:                # sealed already (the blobs hold no answer text)
            return _flag_call(call, want)
        return _flag_call(call, want, {"release": statement_releases(call_classify_ids(call), code)})
    found = secret_values(call)            # the one "sealable" rule (nkteach.lessonfile.source)
    if found is None:
        return None
    ex_id, values = found
    kws = call_kwargs(call)
    if not kind.checked:            # written: released keywords go (into a release blob)
        keep = [k for k in call.keywords if k.arg not in kind.released]
        if mode == "release" and values.get("model_answer"):
            keep.append(_seal_kw(written_seal(ex_id, values["model_answer"], code)))
        return ast.Call(call.func, call.args, keep)
    secret_hint = isinstance(kws.get("hint"), ast.Dict)
    keep = [k for k in call.keywords if k.arg not in kind.answers or (k.arg == "hint" and not secret_hint)]
    for k, default in kind.sealed_defaults.items():   # defaults made explicit: the seal uses them
        if k not in kws:
            keep.append(ast.keyword(k, ast.Constant(default)))
    keep.append(_seal_kw(seal_kwargs(ex_id, name, values, reveal=mode, release_code=code)))
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
    :class:`~nkteach.lessonfile.source.SourceError` (a ValueError) naming the call if an answer
    or the id is not a literal."""
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
    hint=, model_answer=, as strings). Empty after :func:`seal_source`."""
    out: list[str] = []
    for call in exercise_calls(cell_source):
        kind = KINDS[func_name(call)]
        for k in call.keywords:
            if k.arg == "hint" and not isinstance(k.value, ast.Dict):
                continue
            if k.arg in kind.answers + kind.released:
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
