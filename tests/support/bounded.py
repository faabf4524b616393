"""Run a call under an alarm: a call that does not return in time fails the test (a hang)."""
from __future__ import annotations

import signal
from collections.abc import Callable
from typing import Any

import pytest


class _Hang(Exception):
    pass


def _alarm(_signum, _frame):
    raise _Hang


def run_bounded(func: Callable[[], Any], seconds: int = 20):
    """Run ``func``; a call that does not return within ``seconds`` fails the test (a hang)."""
    old = signal.signal(signal.SIGALRM, _alarm)
    signal.alarm(seconds)
    try:
        return func()
    except _Hang:
        pytest.fail(f"no answer within {seconds} s (a loop over a user-given count?)")
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)
