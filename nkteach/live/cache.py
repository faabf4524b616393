"""One live description per explorer per process.

:func:`~nkteach.live.describe` of the largest explorers takes tens of seconds (the arms
explorer's 4,620 stored states ≈ 55 s); the site build (both editions, every lesson that shows
the explorer), the tests and the benchmark running in one process all need the same
description, so it is computed once and each caller gets its own copy. :func:`prefetch`
computes several at once, one per core, in fresh processes (a description depends only on the
data and the explorer's code, so any process computes the same one).
"""
from __future__ import annotations

import json
import multiprocessing
import os
from collections.abc import Iterable
from concurrent.futures import ProcessPoolExecutor

from ..validation import check_int
from .sites import SITES
from .states import describe

__all__ = ["described", "prefetch"]

_DONE: dict[tuple, str] = {}   # (name, arguments) → the description as JSON (a copy per caller)


def _key(name: str, factory_kwargs: dict) -> tuple:
    return name, json.dumps(factory_kwargs, sort_keys=True)


def _describe_json(name: str, kwargs_json: str) -> str:
    return json.dumps(describe(name, **json.loads(kwargs_json)))


def described(name: str, **factory_kwargs) -> dict:
    """``describe(name, **factory_kwargs)``, computed once per process for each set of
    arguments; a fresh copy each call, so a caller may change what it gets."""
    key = _key(name, factory_kwargs)
    if key not in _DONE:
        _DONE[key] = _describe_json(*key)
    return json.loads(_DONE[key])


def prefetch(requests: Iterable[tuple[str, dict]], jobs: int | None = None) -> int:
    """Compute the descriptions ``requests`` names (``(explorer name, factory arguments)``) that
    this process has not computed yet, up to ``jobs`` at once (default: one per core), so that
    :func:`described` then returns at once; return how many were computed.

    Each runs in a fresh (spawned, not forked) process: the caller may hold threads (a browser
    driver, a thread pool) that a fork would copy mid-work. The heavy ones (``SiteSpec.lazy``:
    too large to inline) start first, so the longest does not start last.
    """
    if jobs is not None:
        check_int("jobs (None: one per core)", jobs, lo=1)
    todo = []
    for name, kwargs in requests:
        key = _key(name, kwargs)
        if key not in _DONE and key not in todo:
            todo.append(key)
    todo.sort(key=lambda k: not (SITES[k[0]].lazy if k[0] in SITES else False))   # stable
    workers = min(jobs or os.cpu_count() or 1, len(todo))
    if workers <= 1:
        for key in todo:
            _DONE[key] = _describe_json(*key)
        return len(todo)
    with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn")) as pool:
        futures = {key: pool.submit(_describe_json, *key) for key in todo}
        for key, future in futures.items():
            _DONE[key] = future.result()
    return len(todo)
