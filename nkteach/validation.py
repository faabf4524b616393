"""One validation layer for every public function of nkteach.

Every check raises an error whose message names the argument, the bad value and what is
allowed, so a student or instructor who mistyped something learns how to fix it. Modules
use these helpers instead of writing their own checks (modelled on scikit-learn's
``sklearn.utils._param_validation``: small, shared, tested once).

Error classes
-------------
``NkteachError``
    Base class of every error nkteach raises on purpose (bad input, damaged data).
``InvalidArgumentError(NkteachError, ValueError)``
    A value of the wrong type, outside a range, or an empty selection.
``UnknownNameError(NkteachError, KeyError, ValueError)``
    A name that is not one of the known ones (datasets, places, nodes, lessons, exercises,
    explorers, charts). Subclasses keep their historical names (``UnknownDatasetError`` …).

This module imports nothing but the standard library (it sits under ``nkteach.data``).
"""
from __future__ import annotations

import difflib
import math
from numbers import Integral, Real
from typing import Any
from collections.abc import Iterable, Sequence

__all__ = ["NkteachError", "InvalidArgumentError", "UnknownNameError", "check_choice",
           "check_names", "check_int", "check_number", "check_year_range", "check_type",
           "check_text", "closest", "MAX_STEPS"]

# Upper bound for any loop whose count a user gives (graph steps, sample sizes ...).
MAX_STEPS = 1000


class NkteachError(Exception):
    """Base class of the errors nkteach raises on purpose; the message says what to do."""

    def __str__(self) -> str:   # KeyError would print the repr of its argument
        return str(self.args[0]) if self.args else ""


class InvalidArgumentError(NkteachError, ValueError):
    """An argument of the wrong type or value (the message names it and what is allowed)."""


class UnknownNameError(NkteachError, KeyError, ValueError):
    """A name that is not one of the known ones; the message lists the closest and the allowed."""


def _show(values: Iterable[Any], limit: int = 40) -> str:
    vals = list(values)
    text = ", ".join(map(repr, vals[:limit]))
    return text + (f", … ({len(vals)} in all)" if len(vals) > limit else "")


def closest(value: Any, allowed: Iterable[Any]) -> str | None:
    """The allowed name closest to ``value`` (for "did you mean"), or None."""
    if not isinstance(value, str):
        return None
    lookup = {str(a).casefold(): a for a in allowed}
    hit = difflib.get_close_matches(value.strip().casefold(), list(lookup), n=1, cutoff=0.5)
    return str(lookup[hit[0]]) if hit else None


def _unknown(arg: str, value: Any, allowed: Sequence[Any], error: type) -> Exception:
    near = closest(value, allowed)
    hint = f" Did you mean {near!r}?" if near else ""
    return error(f"unknown {arg} {value!r:.80}; allowed: {_show(allowed)}.{hint}")


def check_type(arg: str, value: Any, types: type | tuple, what: str) -> Any:
    """``value`` if it is an instance of ``types`` (bool never counts as a number)."""
    if isinstance(value, bool) and bool not in (types if isinstance(types, tuple) else (types,)):
        raise InvalidArgumentError(f"{arg} must be {what}, got {value!r} (a bool)")
    if not isinstance(value, types):
        raise InvalidArgumentError(f"{arg} must be {what}, got {value!r} "
                                   f"({type(value).__name__})")
    return value


def check_text(arg: str, value: Any, *, empty: bool = False) -> str:
    """A string (non-empty unless ``empty``)."""
    check_type(arg, value, str, "a string")
    if not empty and not value.strip():
        raise InvalidArgumentError(f"{arg} must not be empty")
    return value


def check_choice(arg: str, value: Any, allowed: Iterable[Any], *,
                 error: type = UnknownNameError) -> Any:
    """``value`` if it is one of ``allowed``; otherwise ``error`` with the closest match."""
    allowed = list(allowed)
    try:
        ok = value in allowed
    except TypeError:            # unhashable or incomparable values
        ok = False
    if not ok:
        if value is None or not isinstance(value, (str, Integral, Real)):
            raise InvalidArgumentError(f"{arg} must be one of {_show(allowed)}; got {value!r} "
                                       f"({type(value).__name__})")
        raise _unknown(arg, value, allowed, error)
    return value


def check_names(arg: str, values: Any, allowed: Iterable[Any], *, min_count: int = 1,
                error: type = UnknownNameError) -> list:
    """A list of names, each one of ``allowed``, at least ``min_count`` of them.

    A bare string is refused (``["Armenia"]``, not ``"Armenia"``): iterating over it would
    silently check its letters. Duplicates are kept once, in the order given."""
    allowed = list(allowed)
    if isinstance(values, (str, bytes)):
        raise InvalidArgumentError(f"{arg} must be a list of names, not a single string: "
                                   f"write [{values!r}]. Allowed names: {_show(allowed)}")
    if values is None or isinstance(values, (dict, Real)) or not isinstance(values, Iterable):
        raise InvalidArgumentError(f"{arg} must be a list of names, got {values!r} "
                                   f"({type(values).__name__}). Allowed names: {_show(allowed)}")
    out: list = []
    for v in values:
        check_choice(arg, v, allowed, error=error)
        if v not in out:
            out.append(v)
    if len(out) < min_count:
        raise InvalidArgumentError(f"{arg} is empty: choose at least {min_count} of {_show(allowed)}")
    return out


def _bounds(lo, hi) -> str:
    if lo is not None and hi is not None:
        return f"between {lo} and {hi}"
    return f">= {lo}" if lo is not None else f"<= {hi}"


def check_int(arg: str, value: Any, *, lo: int | None = None, hi: int | None = None) -> int:
    """A whole number (not a bool, not a float) within [lo, hi]."""
    if isinstance(value, bool) or not isinstance(value, Integral):
        raise InvalidArgumentError(f"{arg} must be a whole number, got {value!r} "
                                   f"({type(value).__name__})")
    value = int(value)
    if (lo is not None and value < lo) or (hi is not None and value > hi):
        raise InvalidArgumentError(f"{arg} must be a whole number {_bounds(lo, hi)}, got {value}")
    return value


def check_number(arg: str, value: Any, *, lo: float | None = None, hi: float | None = None) -> float:
    """A finite real number (not a bool, not NaN) within [lo, hi]."""
    if isinstance(value, bool) or not isinstance(value, Real):
        raise InvalidArgumentError(f"{arg} must be a number, got {value!r} ({type(value).__name__})")
    x = float(value)
    if not math.isfinite(x):
        raise InvalidArgumentError(f"{arg} must be a finite number, got {value!r}")
    if (lo is not None and x < lo) or (hi is not None and x > hi):
        raise InvalidArgumentError(f"{arg} must be a number {_bounds(lo, hi)}, got {value!r}")
    return x


def check_year_range(arg: str, years: Any, lo: int, hi: int, what: str = "the data") -> tuple[int, int]:
    """``(start, end)`` whole years with start <= end inside [lo, hi]; ``None`` means all."""
    if years is None:
        return lo, hi
    if isinstance(years, (str, bytes, dict)) or not isinstance(years, Iterable):
        raise InvalidArgumentError(f"{arg} must be a pair of whole years (start, end), "
                                   f"got {years!r}; {what} covers {lo}–{hi}")
    pair = list(years)
    if len(pair) != 2:
        raise InvalidArgumentError(f"{arg} must be a pair of whole years (start, end), "
                                   f"got {years!r}; {what} covers {lo}–{hi}")
    a, b = (check_int(f"{arg}[{i}]", y) for i, y in enumerate(pair))
    if a > b:
        raise InvalidArgumentError(f"{arg}: start {a} is after end {b}; give (start, end) "
                                   f"within {lo}–{hi}")
    if a < lo or b > hi:
        raise InvalidArgumentError(f"{arg} {a}–{b} fall outside {what}: {lo}–{hi}")
    return a, b
