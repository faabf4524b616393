"""The one registry of explorers: name, aliases, what each shows, where it is defined.

``widgets.explorers()`` and the benchmark (``bench/explorers.py``) read :data:`EXPLORERS`; the
lesson checker and the time rule get the names from :mod:`nkteach.lessonfile.explorers`, which
this module fills when imported (the lesson-file layer is below the widgets and never imports
them). Beyond that hook it imports only the standard library, so reading the names costs
nothing (no ipywidgets, pandas or plotly); the factory is imported from its theme module on
first use.

An explorer's name follows the chart (or map) it drives: ``<chart>_explorer``. Names used by
earlier lessons stay as aliases (``arms_explorer`` → ``arms_imports_explorer``).
"""
from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from typing import Any
from collections.abc import Callable

__all__ = ["ExplorerSpec", "EXPLORERS", "spec", "names", "all_names"]


@dataclass(frozen=True)
class ExplorerSpec:
    """One explorer.

    Attributes
    ----------
    name
        Public name, also the factory's name in ``nkteach.widgets``.
    module
        Theme module under ``nkteach.widgets`` that defines the factory.
    shows
        Names of the charts (``nkteach.charts.CHARTS``) or maps (``maps:<function>``) it draws.
    aliases
        Older names that keep working (lessons call them).
    sample
        ``(control, values)``: one control and values it accepts, each a state the explorer
        has not shown at first; the benchmark times updates with them and tests use them.
    refreshes_maps
        True if an update redraws maps of other explorers (the naming toggle).
    """

    name: str
    module: str
    shows: tuple[str, ...]
    aliases: tuple[str, ...] = ()
    sample: tuple[str, tuple] = field(default=("", ()))
    refreshes_maps: bool = False

    @property
    def factory(self) -> Callable[..., Any]:
        """The function that builds this explorer (imports its theme module)."""
        return getattr(importlib.import_module(f"nkteach.widgets.{self.module}"), self.name)

    @property
    def draws_map(self) -> bool:
        """True if it draws a map (one of ``shows`` is ``maps:<function>``)."""
        return any(s.startswith("maps:") for s in self.shows)


EXPLORERS: tuple[ExplorerSpec, ...] = (
    ExplorerSpec("arms_imports_explorer", "arms", ("arms_imports",), ("arms_explorer",),
                 ("recipient", ("Armenia", "Georgia", "Iran", "Turkey", "Azerbaijan"))),
    ExplorerSpec("military_expenditure_explorer", "arms", ("military_expenditure",), ("milex_explorer",),
                 ("years", ((1995, 2005), (2000, 2010), (2005, 2015), (2010, 2020), (1992, 2025)))),
    ExplorerSpec("facebook_poll_explorer", "opinion", ("facebook_poll",), ("poll_explorer",),
                 ("hypothetical_armenian_pct", (10, 20, 30, 40, 60))),
    ExplorerSpec("freedom_explorer", "governance", ("freedom_ratings", "freedom_scores"), (),
                 ("country:Georgia", (True, False))),
    ExplorerSpec("timeline_explorer", "history", ("timeline", "maps:places_map"), (),
                 ("years", ((1988, 1991), (1991, 1994), (1994, 2000), (2000, 2010), (2016, 2023)))),
    ExplorerSpec("linkage_network_explorer", "network", ("linkage_network",), ("linkage_explorer",),
                 ("start", ("E1", "I1", "N1", "E2", "I2"))),
    ExplorerSpec("forecast_explorer", "forecast", ("forecast",), ("forecast_evaluator",),
                 ("reveal", (True, False))),
    ExplorerSpec("negotiations_explorer", "diplomacy", ("negotiations",), (),
                 ("round", ("Key West talks", "Madrid Principles", "Zurich Protocols", "Kazan summit",
                            "Lavrov plan"))),
    ExplorerSpec("control_by_period_explorer", "places", ("maps:control_by_period",),
                 ("period_map_explorer",), ("period", ("2020", "2023", "1994"))),
    ExplorerSpec("naming_toggle", "places", (), (),
                 ("naming", ("armenian", "azerbaijani", "seed", "both")), refreshes_maps=True),
)

_BY_NAME = {s.name: s for s in EXPLORERS}
_BY_ANY = {**{a: s for s in EXPLORERS for a in s.aliases}, **_BY_NAME}


def names() -> list[str]:
    """The explorers' public names, in registry order."""
    return [s.name for s in EXPLORERS]


def all_names() -> list[str]:
    """Public names and aliases (what a lesson may call)."""
    return list(_BY_ANY)


def spec(name: str) -> ExplorerSpec:
    """The registry entry of ``name`` (a public name or an alias)."""
    from ..validation import check_choice

    return _BY_ANY[check_choice("explorer", name, list(_BY_ANY))]


def _register_with_the_lesson_files() -> None:
    """Tell the lesson-file layer (below this one) which names are explorers and which draw."""
    from ..lessonfile.explorers import register_explorers

    register_explorers(all_names(), [n for s in EXPLORERS if s.shows for n in (s.name, *s.aliases)])


_register_with_the_lesson_files()
