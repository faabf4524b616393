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

_DONE: dict[tuple, str] = {}   # (name, arguments) → the description as JSON (a copy per caller)


def described(name: str, **factory_kwargs) -> dict:
    """``describe(name, **factory_kwargs)``, computed once per process for each set of
    arguments; a fresh copy each call, so a caller may change what it gets."""
    key = (name, json.dumps(factory_kwargs, sort_keys=True))
    if key not in _DONE:
        _DONE[key] = json.dumps(describe(name, **factory_kwargs))
    return json.loads(_DONE[key])
