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

The one place for
-------------------
* "unknown …; allowed …" messages and did-you-mean: :func:`unknown_name`, :func:`did_you_mean`
  (and :func:`check_choice` / :func:`check_names`, which use them);
* the missing-value test: :func:`is_missing` (None, NaN, ``pd.NA``, ``NaT``);
* parameter declarations: :func:`validate_params` stores what each argument of a public function
  accepts (:class:`Options`, :class:`Name`, :class:`Names`, :class:`Whole`, :class:`Number`,
  :class:`Flag`, :class:`Text`, :class:`YearPair`, :class:`Table`, :class:`Anything`) on the
  function and checks it at call time; tests/test_hostile_inputs.py derives its bad values from
  those declarations (``Constraint.hostile()``).

This module imports nothing but the standard library (it sits under ``nkteach.data``).
"""
from __future__ import annotations

import difflib
import math
from numbers import Integral, Real
from typing import Any
from collections.abc import Iterable, Sequence

__all__ = ["NkteachError", "InvalidArgumentError", "UnknownNameError", "check_choice",
           "check_names", "check_int", "check_number", "check_year_range", "check_year_pair",
           "check_type", "check_text", "closest", "did_you_mean", "unknown_name", "is_missing",
           "near_miss", "MAX_STEPS", "Constraint", "Options", "Name", "Names", "Whole", "Number",
           "Flag", "Text", "YearPair", "Table", "Anything", "validate_params", "constraints_of"]

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


# ---------------------------------------------------------------------------------------------
# Missing values and "unknown name" messages (the one place for both)


def is_missing(value: Any) -> bool:
    """True for None, NaN (float or numpy), pandas' ``NA`` and ``NaT``: the one NA test of nkteach."""
    if value is None:
        return True
    try:
        return bool(value != value)
    except TypeError:            # pd.NA: comparisons return NA, whose truth value raises
        return True
    except ValueError:           # an array: not a single missing value
        return False


def did_you_mean(value: Any, allowed: Iterable[Any]) -> str:
    """``" Did you mean 'x'?"`` for the allowed name closest to ``value``, or ``""``."""
    near = closest(value, allowed)
    return f" Did you mean {near!r}?" if near is not None and near != value else ""


def unknown_name(arg: str, value: Any, allowed: Iterable[Any], *, error: type = None,
                 what: str = "", limit: int = 40) -> Exception:
    """The error for a name that is not one of ``allowed`` (not raised: ``raise unknown_name(...)``).

    The message names the argument, shows the value, lists what is allowed (``what`` describes
    the list, e.g. "countries with data in 'arms_imports'") and adds a did-you-mean."""
    allowed = list(allowed)
    error = error or UnknownNameError
    if not allowed:
        return InvalidArgumentError(f"{arg} {value!r:.80}: there is nothing to choose from "
                                    f"({what or 'the list of allowed values'} is empty)")
    label = f"allowed ({what})" if what else "allowed"
    return error(f"unknown {arg} {value!r:.80}; {label}: {_show(allowed, limit)}."
                 f"{did_you_mean(value, allowed)}")



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
    if not allowed:
        raise unknown_name(arg, value, allowed)
    try:
        ok = value in allowed
    except TypeError:            # unhashable or incomparable values
        ok = False
    if not ok:
        if value is None or not isinstance(value, (str, Integral, Real)):
            raise InvalidArgumentError(f"{arg} must be one of {_show(allowed)}; got {value!r} "
                                       f"({type(value).__name__})")
        raise unknown_name(arg, value, allowed, error=error)
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
        raise InvalidArgumentError(f"{arg} is empty ({values!r:.80}): choose at least {min_count}; "
                                   f"allowed: {_show(allowed)}")
    return out


def _bounds(lo, hi) -> str:
    if lo is not None and hi is not None:
        return f"between {lo} and {hi}"
    return f">= {lo}" if lo is not None else f"<= {hi}"


def check_int(arg: str, value: Any, *, lo: int | None = None, hi: int | None = None) -> int:
    """A whole number (not a bool, not a float) within [lo, hi]."""
    if isinstance(value, bool) or not isinstance(value, Integral):
        rng = f" {_bounds(lo, hi)}" if lo is not None or hi is not None else ""
        raise InvalidArgumentError(f"{arg} must be a whole number{rng}, got {value!r:.80} "
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
        raise InvalidArgumentError(f"{arg} {years!r}: start {a} is after end {b}; allowed: "
                                   f"(start, end) within {lo}–{hi}")
    if a < lo or b > hi:
        raise InvalidArgumentError(f"{arg} {years!r} fall outside {what}: {lo}–{hi} "
                                   "(allowed: years within that range)")
    return a, b


# ---------------------------------------------------------------------------------------------
# Parameter constraints as data (after scikit-learn's ``validate_params``)
#
# A public function declares what each argument accepts with :func:`validate_params`; the
# declaration is stored on the function (``fn.param_constraints``), checked at call time through
# the ``check_*`` functions above, and read by tests/test_hostile_inputs.py, which derives bad
# values from each constraint (``constraint.hostile()``): a new argument gets hostile inputs
# without anyone writing them. Data-dependent checks (is this country in the table?) stay in the
# function; the declaration then says what kind of value it is (:class:`Name`) and gives an
# ``example`` from which a near-miss spelling is derived.


def near_miss(text: str) -> str:
    """``text`` with one letter dropped (a typing slip): the did-you-mean must catch it."""
    i = max(len(text) // 2, 1)
    return text[:i] + text[i + 1:] if len(text) > 2 else text + "x"


class Constraint:
    """What one argument accepts. ``check(arg, value)`` raises an :class:`NkteachError` naming
    ``arg`` or returns the value; ``hostile()`` lists ``(label, value)`` pairs it must refuse."""

    example: Any = None
    optional = False

    def check(self, arg: str, value: Any) -> Any:
        """``value`` if it fits (None too when optional); otherwise an error naming ``arg``."""
        raise NotImplementedError

    def hostile(self) -> list[tuple[str, Any]]:
        """Values this constraint refuses, as ``(label, value)`` pairs (for the generated tests)."""
        return []

    def __repr__(self) -> str:
        fields = ", ".join(f"{k}={v!r}" for k, v in vars(self).items() if not k.startswith("_"))
        return f"{type(self).__name__}({fields})"


def _common_bad(optional: bool) -> list[tuple[str, Any]]:
    bad = [("object", object()), ("nan", math.nan), ("dict", {"a": 1})]
    return bad if optional else [("None", None), *bad]


class Options(Constraint):
    """One of a fixed set (``allowed``: a sequence, or a function returning one, read at call time)."""

    def __init__(self, allowed: Sequence[Any] | Any, *, optional: bool = False, error: type = None):
        self._allowed = allowed
        self.optional = optional
        self.error = error or UnknownNameError

    @property
    def allowed(self) -> list:
        """The allowed values, read now (a function given as ``allowed`` is called)."""
        return list(self._allowed() if callable(self._allowed) else self._allowed)

    @property
    def example(self) -> Any:
        """An allowed value (used for required arguments in the generated tests)."""
        return self.allowed[0]

    def check(self, arg: str, value: Any) -> Any:
        """``value`` if it fits (None too when optional); otherwise an error naming ``arg``."""
        if value is None and self.optional:
            return value
        return check_choice(arg, value, self.allowed, error=self.error)

    def hostile(self) -> list[tuple[str, Any]]:
        """Values this constraint refuses, as ``(label, value)`` pairs (for the generated tests)."""
        bad = _common_bad(self.optional) + [("list", [self.example]), ("huge", 10**12)]
        if isinstance(self.example, str):
            bad += [("near-miss", near_miss(self.example)), ("empty", ""), ("junk", "no-such-name")]
        return [(k, v) for k, v in bad if v not in self.allowed]


class Name(Constraint):
    """A name whose allowed set depends on the data (the function checks membership and gives
    the did-you-mean); here: a string. ``example`` is one allowed value; ``error`` the class
    raised for a value that is not a string."""

    def __init__(self, example: str, *, optional: bool = False, error: type = None):
        self.example = example
        self.optional = optional
        self.error = error or InvalidArgumentError

    def check(self, arg: str, value: Any) -> Any:
        """``value`` if it fits (None too when optional); otherwise an error naming ``arg``."""
        if value is None and self.optional:
            return value
        if not isinstance(value, str):
            raise self.error(f"{arg} must be a string such as {self.example!r}, "
                             f"got {type(value).__name__} {value!r:.80}")
        return value

    def hostile(self) -> list[tuple[str, Any]]:
        """Values this constraint refuses, as ``(label, value)`` pairs (for the generated tests)."""
        return _common_bad(self.optional) + [("int", 3), ("list", [self.example]),
                                             ("near-miss", near_miss(self.example)),
                                             ("junk", "no-such-name"), ("bytes", self.example.encode())]


class Names(Constraint):
    """A list of names (never a bare string), at least ``min_count``; ``allowed`` as for
    :class:`Options`, or None when the function checks membership against its data."""

    def __init__(self, allowed: Any = None, *, example: Sequence[str] = (), min_count: int = 1,
                 optional: bool = False, error: type = None):
        self._allowed = allowed
        self._example = tuple(example)
        self.min_count = min_count
        self.optional = optional
        self.error = error or UnknownNameError

    @property
    def allowed(self) -> list | None:
        """The allowed values, read now (a function given as ``allowed`` is called)."""
        if self._allowed is None:
            return None
        return list(self._allowed() if callable(self._allowed) else self._allowed)

    @property
    def example(self) -> list:
        """An allowed value (used for required arguments in the generated tests)."""
        return list(self._example) or (self.allowed or [])[:1]

    def check(self, arg: str, value: Any) -> Any:
        """``value`` if it fits (None too when optional); otherwise an error naming ``arg``."""
        if value is None and self.optional:
            return value
        allowed = self.allowed
        if allowed is not None:
            return check_names(arg, value, allowed, min_count=self.min_count, error=self.error)
        if isinstance(value, (str, bytes)):
            raise InvalidArgumentError(f"{arg} must be a list of names, not a single string: "
                                       f"write [{value!r}]; allowed: a list such as {self.example!r}")
        if (value is None or isinstance(value, (dict, Real)) or not isinstance(value, Iterable)):
            raise InvalidArgumentError(f"{arg} must be a list of names, got {value!r:.80} "
                                       f"({type(value).__name__}); allowed: a list such as "
                                       f"{self.example!r}")
        return value

    def hostile(self) -> list[tuple[str, Any]]:
        """Values this constraint refuses, as ``(label, value)`` pairs (for the generated tests)."""
        ex = self.example
        bad = _common_bad(self.optional) + [("int", 3), ("int-list", [3]), ("nested", [ex])]
        if ex and isinstance(ex[0], str):
            bad += [("bare-string", ex[0]), ("near-miss", [near_miss(ex[0])]), ("junk", ["no-such-name"])]
        if self.min_count:
            bad.append(("empty", []))
        return bad


class _Bounded(Constraint):
    """A number within [lo, hi]: what :class:`Whole` and :class:`Number` share. A subclass names
    its check (``_checker``), its example when there is no ``lo`` and the wrong types it refuses."""

    _checker: Any = None
    _default_example: Any = 0
    _wrong_types: tuple[tuple[str, Any], ...] = ()

    def __init__(self, lo=None, hi=None, *, optional: bool = False):
        self.lo, self.hi, self.optional = lo, hi, optional
        self.example = lo if lo is not None else self._default_example

    def check(self, arg: str, value: Any) -> Any:
        """``value`` if it fits (None too when optional); otherwise an error naming ``arg``."""
        if value is None and self.optional:
            return value
        return type(self)._checker(arg, value, lo=self.lo, hi=self.hi)

    def hostile(self) -> list[tuple[str, Any]]:
        """Values this constraint refuses, as ``(label, value)`` pairs (for the generated tests)."""
        bad = _common_bad(self.optional) + list(self._wrong_types)
        if self.lo is not None:
            bad.append(("below", self.lo - 1))
        if self.hi is not None:
            bad.append(("huge", 10**12))
        return bad


class Whole(_Bounded):
    """A whole number (not a bool, not a float) within [lo, hi]."""

    _checker = staticmethod(check_int)
    _default_example = 1
    _wrong_types = (("float", 2.5), ("text", "3"), ("bool", True), ("inf", math.inf))

    def __init__(self, lo: int | None = None, hi: int | None = None, *, optional: bool = False):
        super().__init__(lo, hi, optional=optional)


class Number(_Bounded):
    """A finite real number within [lo, hi]."""

    _checker = staticmethod(check_number)
    _default_example = 0
    _wrong_types = (("text", "3"), ("bool", True), ("inf", math.inf))

    def __init__(self, lo: float | None = None, hi: float | None = None, *, optional: bool = False):
        super().__init__(lo, hi, optional=optional)


class Flag(Constraint):
    """True or False (not 0/1, not "yes")."""

    example = True

    def check(self, arg: str, value: Any) -> Any:
        """``value`` if it fits (None too when optional); otherwise an error naming ``arg``."""
        return check_type(arg, value, bool, "True or False")

    def hostile(self) -> list[tuple[str, Any]]:
        """Values this constraint refuses, as ``(label, value)`` pairs (for the generated tests)."""
        return [("None", None), ("int", 1), ("text", "yes"), ("nan", math.nan)]


class Text(Constraint):
    """A string (non-empty unless ``empty``)."""

    def __init__(self, *, empty: bool = False, optional: bool = False, example: str = "text"):
        self.empty, self.optional, self.example = empty, optional, example

    def check(self, arg: str, value: Any) -> Any:
        """``value`` if it fits (None too when optional); otherwise an error naming ``arg``."""
        if value is None and self.optional:
            return value
        return check_text(arg, value, empty=self.empty)

    def hostile(self) -> list[tuple[str, Any]]:
        """Values this constraint refuses, as ``(label, value)`` pairs (for the generated tests)."""
        bad = _common_bad(self.optional) + [("int", 3), ("bytes", b"text"), ("list", ["text"])]
        return bad if self.empty else bad + [("empty", ""), ("blank", "   ")]


def check_year_pair(arg: str, years: Any) -> tuple[int, int]:
    """``(start, end)``: two whole years, start <= end (the range is checked against the data later)."""
    if isinstance(years, (str, bytes, dict)) or not isinstance(years, Iterable):
        raise InvalidArgumentError(f"{arg} must be a pair of whole years (start, end), got "
                                   f"{years!r:.80} ({type(years).__name__})")
    pair = list(years)
    if len(pair) != 2:
        raise InvalidArgumentError(f"{arg} must be a pair of whole years (start, end), got {years!r:.80}")
    a, b = (check_int(f"{arg}[{i}]", y) for i, y in enumerate(pair))
    if a > b:
        raise InvalidArgumentError(f"{arg} {years!r}: start {a} is after end {b}; "
                                   "allowed: (start, end) with start <= end")
    return a, b


class YearPair(Constraint):
    """``(start, end)`` whole years; ``None`` (all years) when optional. The data's own range is
    checked by the function (:func:`check_year_range`)."""

    example = (2000, 2010)

    def __init__(self, *, optional: bool = True):
        self.optional = optional

    def check(self, arg: str, value: Any) -> Any:
        """``value`` if it fits (None too when optional); otherwise an error naming ``arg``."""
        if value is None and self.optional:
            return value
        return check_year_pair(arg, value)

    def hostile(self) -> list[tuple[str, Any]]:
        """Values this constraint refuses, as ``(label, value)`` pairs (for the generated tests)."""
        return _common_bad(self.optional) + [("text", "2007"), ("int", 2007), ("reversed", (2011, 2007)),
                                             ("one", (2007,)), ("float", (2007.5, 2010)),
                                             ("far-future", (10**12, 10**12 + 1))]


class Table(Constraint):
    """A pandas DataFrame (or None: the package copy of the dataset)."""

    def __init__(self, dataset: str = "", *, optional: bool = True):
        self.dataset, self.optional = dataset, optional

    def check(self, arg: str, value: Any) -> Any:
        """``value`` if it fits (None too when optional); otherwise an error naming ``arg``."""
        if value is None and self.optional:
            return value
        if not (hasattr(value, "columns") and hasattr(value, "to_dict")):
            of = f" of the {self.dataset!r} table" if self.dataset else ""
            none = " or None (the package copy)" if self.optional else ""
            raise InvalidArgumentError(f"{arg} must be a pandas DataFrame{of}{none}, "
                                       f"got {value!r:.80} ({type(value).__name__})")
        return value

    def hostile(self) -> list[tuple[str, Any]]:
        """Values this constraint refuses, as ``(label, value)`` pairs (for the generated tests)."""
        return [("text", "arms_imports"), ("int", 3), ("dict", {"a": 1}), ("list", [1, 2])]


class Anything(Constraint):
    """Declared but checked by the function itself (hostile values: the generic ones)."""

    def __init__(self, what: str = "", *, hostile: Sequence[tuple[str, Any]] = (), example: Any = None):
        self.what = what
        self.example = example
        self._hostile = list(hostile)

    def check(self, arg: str, value: Any) -> Any:
        """``value`` if it fits (None too when optional); otherwise an error naming ``arg``."""
        return value

    def hostile(self) -> list[tuple[str, Any]]:
        """Values this constraint refuses, as ``(label, value)`` pairs (for the generated tests)."""
        return list(self._hostile)


def validate_params(constraints: dict[str, Constraint], *, labels: dict[str, str] | None = None):
    """Declare and check the arguments of a public function (after scikit-learn's ``validate_params``).

    ``constraints`` maps argument names to :class:`Constraint` objects; ``labels`` optionally
    gives the word an error message uses for an argument (``set_naming(value)``: "naming"). The
    decorated function checks every argument the caller passes (defaults are trusted) before
    running, and carries the declaration as ``fn.param_constraints`` and ``fn.param_labels``
    (read by the generated hostile-input tests)."""
    labels = dict(labels or {})
    import functools
    import inspect

    def decorate(func):
        sig = inspect.signature(func)
        unknown = set(constraints) - set(sig.parameters)
        if unknown:
            raise TypeError(f"{func.__qualname__}: constraints for unknown argument(s) {sorted(unknown)}")

        @functools.wraps(func)
        def wrapper(*args, **kwargs):
            try:
                bound = sig.bind(*args, **kwargs)
            except TypeError as e:
                raise InvalidArgumentError(f"{func.__name__}(): {e}; its arguments: {sig}") from None
            for name, value in bound.arguments.items():
                c = constraints.get(name)
                if c is not None:
                    c.check(labels.get(name, name), value)
            return func(*args, **kwargs)

        wrapper.param_constraints = dict(constraints)
        wrapper.param_labels = dict(labels)
        return wrapper
    return decorate


def constraints_of(func: Any) -> dict[str, Constraint]:
    """The declared constraints of a function (``{}`` if it declares none)."""
    return dict(getattr(func, "param_constraints", None) or {})
