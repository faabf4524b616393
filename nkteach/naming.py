"""The package-wide naming policy for contested places (BRIEF §0.3).

``set_naming("both")`` (default) labels a place with both usages, e.g. "Stepanakert / Khankendi";
``"armenian"`` or ``"azerbaijani"`` pick one side's usage; ``"seed"`` uses the spelling the seed
documents print. Every chart, map and widget label of a place goes through :func:`place_name`.
"""
from __future__ import annotations

import functools
from contextlib import contextmanager

__all__ = ["NAMINGS", "set_naming", "get_naming", "naming", "place_name", "place_names", "places", "label"]

NAMINGS = ("both", "armenian", "azerbaijani", "seed")
_state = {"naming": "both"}


def _check(value) -> str:
    if value not in NAMINGS:
        raise ValueError(f"unknown naming {value!r}; allowed: {', '.join(map(repr, NAMINGS))}")
    return value


def set_naming(value: str) -> None:
    """Set how contested places are labelled everywhere: 'both', 'armenian', 'azerbaijani' or 'seed'."""
    _state["naming"] = _check(value)


def get_naming() -> str:
    return _state["naming"]


@contextmanager
def naming(value: str):
    """Temporarily use another naming: ``with nkteach.naming.naming("armenian"): ...``."""
    old = _state["naming"]
    _state["naming"] = _check(value)
    try:
        yield
    finally:
        _state["naming"] = old


@functools.lru_cache(maxsize=1)
def _places() -> dict[str, dict]:
    from .data import load

    rows = load("places", as_frame=False)
    return {r["place_id"]: r for r in rows}


def places() -> dict[str, dict]:
    """Every row of the ``places`` table by place_id (a copy: editing it changes nothing)."""
    return {k: dict(v) for k, v in _places().items()}


def label(en, hy=None, az=None, seed=None, *, naming: str | None = None) -> str:
    """The naming rule itself, for any set of names (also regions that are not in ``places``)."""
    mode = _check(naming) if naming is not None else _state["naming"]
    return _label(en, hy, az, seed, mode)


def _row(place: str) -> dict:
    places = _places()
    if place in places:
        return places[place]
    for r in places.values():  # accept any known spelling as well as the id
        if place in (r.get("name_en"), r.get("name_hy"), r.get("name_az"), r.get("name_seed")):
            return r
    import difflib

    close = difflib.get_close_matches(place, list(places), n=3)
    hint = f" Closest ids: {', '.join(close)}." if close else ""
    raise KeyError(f"unknown place {place!r}.{hint} See nkteach.load('places') for all place_id values.")


def place_name(place: str, naming: str | None = None) -> str:
    """Label of ``place`` (a place_id or any known spelling) under the current or given naming."""
    mode = _check(naming) if naming is not None else _state["naming"]
    r = _row(place)
    return _label(r.get("name_en"), r.get("name_hy"), r.get("name_az"), r.get("name_seed"), mode)


def _label(en, hy, az, seed, mode: str) -> str:
    # The naming rule itself; maps.py also applies it to region names that are not in `places`.
    # `mode` must already be checked.
    hy, az = hy or None, az or None
    if mode == "armenian":
        return hy or en
    if mode == "azerbaijani":
        return az or en
    if mode == "seed":
        return seed or en
    hy, az = hy or en, az or en
    return hy if hy == az else f"{hy} / {az}"


def place_names(place: str) -> list[tuple[str, str]]:
    """Every known name of ``place`` with who uses it, for popups: [(usage, name), ...]."""
    r = _row(place)
    out = [("English (common usage)", r.get("name_en"))]
    if r.get("name_hy"):
        out.append(("Armenian usage", r["name_hy"]))
    if r.get("name_az"):
        out.append(("Azerbaijani usage", r["name_az"]))
    if r.get("name_seed"):
        out.append(("as spelled in the seeds", r["name_seed"]))
    if r.get("name_historical"):
        out.append(("historical", r["name_historical"]))
    return [(u, n) for u, n in out if n]
