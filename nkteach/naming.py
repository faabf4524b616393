"""The package-wide naming policy for contested places.

``set_naming("both")`` (default) labels a place with both usages, e.g. "Stepanakert / Khankendi";
``"armenian"`` or ``"azerbaijani"`` pick one side's usage; ``"seed"`` uses the spelling the seed
documents print. Every chart, map and widget label of a place goes through :func:`place_name`
(or :func:`label` for names that are not in the ``places`` table, such as map regions).

Which name comes first under "both" is a rule, not a preference (``first=``):

- ``"english"`` (default): the name that English-language usage (the ``name_en`` column, as
  the sources of the ``places`` table record it) shares comes first, the other side's name
  second — "Stepanakert / Khankendi", "Khojaly / Ivanyan". If neither matches, the two are in
  alphabetical order.
- ``"armenian"`` or ``"azerbaijani"``: that side's usage always comes first.
"""
from __future__ import annotations

import functools
from contextlib import contextmanager

from .data import on_clear
from .validation import Anything, Name, Options, UnknownNameError, check_choice, unknown_name, validate_params

__all__ = ["NAMINGS", "FIRSTS", "set_naming", "get_naming", "get_first", "naming", "place_name",
           "place_names", "place_names_lang", "NAME_LANG", "AZ_NATIVE", "label", "place_row", "places",
           "naming_key", "UnknownPlaceError"]

NAMINGS = ("both", "armenian", "azerbaijani", "seed")
FIRSTS = ("english", "armenian", "azerbaijani")
_state = {"naming": "both", "first": "english"}


class UnknownPlaceError(UnknownNameError):
    """A place id or spelling that is not in the ``places`` table."""


# The declared arguments of this module's public functions (checked by validate_params).
_NAMING = Options(NAMINGS)
_FIRST = Options(FIRSTS, optional=True)
_PLACE = Name("shusha", error=UnknownPlaceError)


def _check(value) -> str:
    return check_choice("naming", value, NAMINGS)


def _check_first(value) -> str:
    return check_choice("first", value, FIRSTS)


@validate_params({"value": _NAMING, "first": _FIRST}, labels={"value": "naming"})
def set_naming(value: str, first: str | None = None) -> None:
    """Set how contested places are labelled everywhere.

    Parameters
    ----------
    value : {'both', 'armenian', 'azerbaijani', 'seed'}
    first : {'english', 'armenian', 'azerbaijani'}, optional
        With 'both': whose name comes first (default rule 'english', see the module docstring).
        Unchanged when not given.
    """
    mode = _check(value)
    order = _check_first(first) if first is not None else _state["first"]
    _state.update(naming=mode, first=order)


def get_naming() -> str:
    """The current naming policy ('both', 'armenian', 'azerbaijani' or 'seed'; see :func:`set_naming`)."""
    return _state["naming"]


def get_first() -> str:
    """Whose name comes first under the 'both' naming ('english', 'armenian' or 'azerbaijani')."""
    return _state["first"]


@contextmanager
@validate_params({"value": _NAMING, "first": _FIRST}, labels={"value": "naming"})
def naming(value: str, first: str | None = None):
    """Temporarily use another naming: ``with nkteach.naming.naming("armenian"): ...``."""
    old = dict(_state)
    set_naming(value, first)
    try:
        yield
    finally:
        _state.update(old)


@functools.lru_cache(maxsize=1)
def _places() -> dict[str, dict]:
    from .data import load

    rows = load("places", as_frame=False)
    return {r["place_id"]: r for r in rows}


on_clear(_places.cache_clear)   # nkteach.clear_cache() forgets the places table too


def places() -> dict[str, dict]:
    """Every row of the ``places`` table by place_id (a copy: editing it changes nothing)."""
    return {k: dict(v) for k, v in _places().items()}


@validate_params({"place": _PLACE})
def place_row(place: str) -> dict:
    """The ``places`` row of a place_id or any known spelling (a copy)."""
    return dict(_row(place))


def _row(place: str) -> dict:
    if not isinstance(place, str):
        raise UnknownPlaceError(f"a place is given by its place_id or a known spelling (a string), "
                                f"got {type(place).__name__} {place!r:.80}")
    places = _places()
    if place in places:
        return places[place]
    for r in places.values():  # accept any known spelling as well as the id
        if place in (r.get("name_en"), r.get("name_hy"), r.get("name_az"), r.get("name_seed")):
            return r
    raise unknown_name("place", place, list(places), error=UnknownPlaceError,
                       what="place_id values of nkteach.load('places'); any known spelling also works",
                       limit=500)


@validate_params({"place": _PLACE, "naming": Options(NAMINGS, optional=True), "first": _FIRST})
def place_name(place: str, naming: str | None = None, first: str | None = None) -> str:
    """Label of ``place`` (a place_id or any known spelling) under the current or given naming."""
    r = _row(place)
    return label(r.get("name_en"), r.get("name_hy"), r.get("name_az"), r.get("name_seed"),
                 naming=naming, first=first)


_NAME_TEXT = Anything("a name (text) or None")


@validate_params({"en": _NAME_TEXT, "hy": _NAME_TEXT, "az": _NAME_TEXT, "seed": _NAME_TEXT,
                  "naming": Options(NAMINGS, optional=True), "first": _FIRST})
def label(en, hy=None, az=None, seed=None, *, naming: str | None = None,
          first: str | None = None) -> str:
    """The naming rule itself, for any set of names (also regions that are not in ``places``).

    ``en`` is the English (common usage) name, ``hy``/``az`` the Armenian/Azerbaijani usage,
    ``seed`` the spelling in the seed documents; missing names fall back on ``en``."""
    mode = _check(naming) if naming is not None else _state["naming"]
    order = _check_first(first) if first is not None else _state["first"]
    hy, az = hy or None, az or None
    if mode == "armenian":
        return hy or en
    if mode == "azerbaijani":
        return az or en
    if mode == "seed":
        return seed or en
    hy, az = hy or en, az or en
    if hy == az:
        return hy
    if order == "armenian":
        pair = (hy, az)
    elif order == "azerbaijani":
        pair = (az, hy)
    elif en == az and en != hy:
        pair = (az, hy)
    elif en == hy:
        pair = (hy, az)
    else:
        pair = tuple(sorted((hy, az), key=str.casefold))
    return f"{pair[0]} / {pair[1]}"


def naming_key() -> tuple[str, str]:
    """(naming, first): the whole current policy, for caches of labelled output."""
    return _state["naming"], _state["first"]


# The language (BCP-47) of a name column where nkteach writes it into HTML (``lang``, WCAG 3.1.2).
# The Latin-script romanisations (name_en, name_hy, name_az, name_seed, name_historical) are proper
# names inside English text: no ``lang`` (a screen reader would read them worse in another voice).
# name_az_native is in the Azerbaijani alphabet (Ağdam, Gəncə): Azerbaijani.
NAME_LANG = {"name_az_native": "az"}
AZ_NATIVE = "Azerbaijani alphabet"   # its usage label in popups


@validate_params({"place": _PLACE})
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


@validate_params({"place": _PLACE})
def place_names_lang(place: str) -> list[tuple[str, str, str | None]]:
    """:func:`place_names` plus the name in the Azerbaijani alphabet (when it is known and not
    already listed), each with the language its HTML carries: [(usage, name, lang or None), ...]."""
    out = [(u, n, None) for u, n in place_names(place)]
    native = _row(place).get("name_az_native")
    if native and native not in {n for _, n, _ in out}:
        out.append((AZ_NATIVE, native, NAME_LANG["name_az_native"]))
    return out
