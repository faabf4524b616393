"""What this kernel remembers: exercises shown, answers given, attempts, releases. Pure."""
from __future__ import annotations

from typing import Any

from .checker import UnknownExerciseError

__all__ = ["reset_state", "get", "shown", "record", "jsonable", "state_of", "progress_record", "STATE",
           "SHOWN", "FINGERPRINT"]

# (ex_id, fingerprint) → {"value": Any, "result": Result | None, "attempts": int, "wrong": int,
#                         "released": dict | None}
STATE: dict[tuple, dict] = {}
SHOWN: dict[str, Any] = {}           # ex_id → the exercise (or written task) shown last
FINGERPRINT: dict[str, str] = {}     # ex_id → fingerprint of the exercise shown under it


def reset_state() -> None:
    """Forget every remembered answer and shown exercise (e.g. to restart a notebook)."""
    STATE.clear()
    SHOWN.clear()
    FINGERPRINT.clear()


def state_of(key: tuple) -> dict:
    """The remembered state of one exercise (created empty)."""
    return STATE.setdefault(key, {"value": None, "result": None, "attempts": 0, "wrong": 0,
                                   "released": None})


def shown() -> dict[str, Any]:
    """ex_id → the exercise or written task shown last under it in this kernel."""
    return dict(SHOWN)


def get(ex_id: str):
    """The exercise shown under ``ex_id`` in this kernel (a classify item: its id or "classify:ID")."""
    for key in (ex_id, f"classify:{ex_id}"):
        if isinstance(key, str) and key in SHOWN and hasattr(SHOWN[key], "check"):
            return SHOWN[key]
    ids = sorted(k for k, v in SHOWN.items() if hasattr(v, "check"))
    raise UnknownExerciseError(f"no exercise {ex_id!r:.80} has been shown in this kernel; run its cell "
                               f"first. Shown: {', '.join(map(repr, ids)) or 'none'}")


def progress_record():
    """The progress store's ``record`` (:func:`nkteach.classroom.progress.record`), read at each
    call so a test can patch it."""
    from ..classroom import progress as store

    return store.record


def record(ex_id: str, kind: str, outcome: str, answer: Any, attempt: int) -> None:
    """Tell the progress store about a check; a failing store never breaks feedback."""
    rec = progress_record()
    if rec is None:
        return
    try:
        rec(ex_id=ex_id, kind=kind, outcome=outcome, answer=answer, attempt=attempt)
    except Exception:   # noqa: BLE001
        pass


def jsonable(value: Any) -> Any:
    """``value`` as JSON-able data (what the progress store records)."""
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [jsonable(v) for v in value]
    return str(value)
