"""The explorer names a lesson may call, as the lesson-file layer knows them (a registry hook).

The explorers live in the widgets layer (:data:`nkteach.widgets.EXPLORERS`), above this one, so
the lesson-file layer never imports them: the widgets registry calls :func:`register_explorers`
when it is imported, and the house-style checker (:mod:`.check`) and the time rule
(:mod:`.house`) read the names here. A caller may also pass its own names to those functions.

Until something registers (nothing imported ``nkteach.widgets``), :func:`explorer_names` and
:func:`drawing_explorer_names` return None and the rules fall back to the naming convention: a
call of ``<something>_explorer(`` counts as an explorer that draws.
"""
from __future__ import annotations

import re
from collections.abc import Iterable

__all__ = ["register_explorers", "explorer_names", "drawing_explorer_names", "explorer_pattern",
           "CONVENTION"]

#: an explorer call by the naming convention (``<chart>_explorer(``), used until names are registered
CONVENTION = re.compile(r"\b\w+_explorer\s*\(")

_NAMES: frozenset[str] | None = None
_DRAWING: frozenset[str] | None = None


def register_explorers(names: Iterable[str], drawing: Iterable[str]) -> None:
    """Record every explorer name and alias a lesson may call (``names``) and those of them that
    draw a chart or map (``drawing``, a subset; the naming toggle draws nothing)."""
    global _NAMES, _DRAWING
    names, drawing = frozenset(names), frozenset(drawing)
    if not drawing <= names:
        raise ValueError(f"drawing explorers {sorted(drawing - names)} are not among the names")
    _NAMES, _DRAWING = names, drawing


def explorer_names() -> frozenset[str] | None:
    """Every registered explorer name and alias (None until the widgets registry registered)."""
    return _NAMES


def drawing_explorer_names() -> frozenset[str] | None:
    """The registered explorers that draw a chart or map (None until registered)."""
    return _DRAWING


def explorer_pattern(names: Iterable[str] | None = None) -> re.Pattern:
    """A regex matching a call of one of ``names`` (default: the registered names; with none
    registered, :data:`CONVENTION`)."""
    names = sorted(set(names if names is not None else (_NAMES or ())))
    if not names:
        return CONVENTION
    return re.compile(r"\b(?:" + "|".join(map(re.escape, names)) + r")\s*\(")
