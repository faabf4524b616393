"""One live description per explorer per process.

:func:`~nkteach.live.describe` of the largest explorers takes tens of seconds (the arms
explorer's 4,620 stored states ≈ 55 s); the site build (both editions, every lesson that shows
the explorer), the tests and the benchmark running in one process all need the same
description, so it is computed once and each caller gets its own copy.
"""
from __future__ import annotations

import json

from .states import describe

__all__ = ["described"]

_DONE: dict[str, str] = {}   # name → the description as JSON (a copy per caller, never shared)


def described(name: str) -> dict:
    """``describe(name)`` (default factory arguments), computed once per process; a fresh copy
    each call, so a caller may change what it gets."""
    if name not in _DONE:
        _DONE[name] = json.dumps(describe(name))
    return json.loads(_DONE[name])
