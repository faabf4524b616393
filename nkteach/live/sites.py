"""Per-explorer site descriptions: which mechanism each explorer's live version uses, and why.

Read by :mod:`nkteach.live.states` (the precompute step), the tests and the benchmark.
Standard library only.
"""
from __future__ import annotations

from dataclasses import dataclass

__all__ = ["SiteSpec", "SITES", "ARMS_YEARS", "TIMELINE_YEARS", "mechanism_of"]


@dataclass(frozen=True)
class SiteSpec:
    """How one explorer works on a static page.

    Attributes
    ----------
    mechanism
        ``"states"`` (every state precomputed by the real explorer), ``"view"`` (a declarative
        view, :mod:`nkteach.live.view`, built by :mod:`nkteach.live.declared`) or
        ``"frozen"`` (not yet live: the first view only, as before).
    side
        Attributes of the explorer holding an ``ipywidgets.HTML`` the render also sets
        (e.g. ``hypothetical``); their HTML is stored with each state.
    naming
        True if the output depends on the page's naming policy (place names on a map): the
        states are computed for every policy (a declarative view gets the policy's index after
        the controls' choices) and follow the page's naming toggle.
    sets_naming
        True for the naming toggle itself: a change sets the page's naming policy.
    stops
        ``((control key, values), ...)``: a control whose site version offers only these values
        (a range slider's years); ``stops_note`` is shown beside it (``{first}`` and ``{last}``
        become the control's full range in Jupyter).
    lazy
        True if the states are too heavy to inline (maps): the site writes them to a
        same-site JSON file that the page loads when the explorer scrolls into view.
    why
        One sentence for docs/architecture.md.
    """

    mechanism: str
    side: tuple[str, ...] = ()
    naming: bool = False
    sets_naming: bool = False
    lazy: bool = False
    stops: tuple = ()
    stops_note: str = ""
    why: str = ""


#: the arms explorer's year stops on the site: decades, then the windows the lessons cite
#: (1992–1995, 2004–2008, 2007–2011, 2009–2011, 2011–2015, 2011–2020, 2016–2021, 2017–2020)
ARMS_YEARS = (1950, 1960, 1970, 1980, 1990, 1992, 1995, 2000, 2004, 2005, 2006, 2007, 2008, 2009, 2010,
              2011, 2015, 2016, 2017, 2020, 2021)

#: the timeline's year stops on the site: the first event's year, then the years the lessons cite
#: (1805–1994 in lesson 2; 1921, 1988, 1991 in lesson 10; 2022–2023 in lesson 8; the explorer
#: opens on 1988–2023) and turning points between them. Each window needs its map of places drawn
#: under every naming policy at site build (≈10 ms a map), which is what limits the stops.
TIMELINE_YEARS = (-399, 1805, 1828, 1900, 1918, 1921, 1964, 1988, 1991, 1994, 2001, 2008, 2016, 2020, 2022,
                  2023)

SITES: dict[str, SiteSpec] = {
    "facebook_poll_explorer": SiteSpec(
        "states", side=("hypothetical",),
        why="84 states (2 × 2 × 21 HYPOTHETICAL shares) but only 4 distinct charts: the pool stores each "
            "chart once and each share's arithmetic once, a few kB in all."),
    "negotiations_explorer": SiteSpec(
        "states",
        why="48 states (4 levels × 12 rounds, some of them ⚠ states with no reading): small enough "
            "to store every chart, and the readings' texts stay exactly the kernel's."),
    "control_by_period_explorer": SiteSpec(
        "states", naming=True, lazy=True,
        why="3 periods × 4 naming policies = 12 folium maps; a map is ~270 kB of HTML, so the "
            "maps are stored line by line in a pool (leaflet's code once) in a same-site JSON "
            "file loaded when the explorer scrolls into view."),
    "naming_toggle": SiteSpec(
        "states", sets_naming=True,
        why="4 states (one per naming policy): each summary is stored; a change also relabels "
            "the maps of the other live explorers on the page, as the kernel toggle does."),
    "freedom_explorer": SiteSpec(
        "states", lazy=True,
        why="4,736 states (37 series × 128 sets of country ticks, the ⚠ 'tick a country' states "
            "included): the legend, title and axis range follow the set of countries, so whole "
            "states are stored; traces and summary sentences repeat across states and are pooled "
            "(≈90 kB gzip, same-site file loaded when the explorer is reached; ≈40 s to compute "
            "at site build)."),
    "linkage_network_explorer": SiteSpec(
        "states", lazy=True,
        why="2,688 states (28 start nodes × 6 steps × 8 sets of level ticks × remove): each is one "
            "graph drawing; the node and edge traces repeat across states and are pooled "
            "(≈160 kB gzip, a same-site file loaded when the explorer is reached; ≈15 s to compute "
            "at site build). The link inspector below the chart is not live yet."),
    "arms_imports_explorer": SiteSpec(
        "states", lazy=True,
        stops=(("years", ARMS_YEARS),),
        stops_note=(f"On this page the years come in steps: {', '.join(map(str, ARMS_YEARS[:8]))}, "
                    f"every year {ARMS_YEARS[8]}–{ARMS_YEARS[15]}, "
                    f"{', '.join(map(str, ARMS_YEARS[16:-1]))} and {ARMS_YEARS[-1]}. The live lesson "
                    "in Jupyter offers every year from {first} to {last}."),
        why="52,560 states at full resolution (5 recipients × 2,628 year windows × volume/share × "
            "claims): too many to store and the ranking/share logic is not a simple view yet, so the "
            "site offers 21 year stops (231 windows, every window the lessons cite among them), "
            "said beside the control: 4,620 stored states in a same-site file loaded when reached."),
    "military_expenditure_explorer": SiteSpec(
        "view", lazy=True,
        why="about 1.15 million states (6 measures × 3,003 year windows × 64 sets of country ticks): "
            "a declarative view slices each country's rows by the window, finds the first, last and "
            "highest values and counts estimates and gaps, and looks every number up as the text the "
            "chart's Python code wrote; every year is offered (≈56 kB gzip in a same-site file loaded "
            "when the explorer is reached; ≈3–5 s to compute at site build)."),
    "timeline_explorer": SiteSpec(
        "view", naming=True, lazy=True,
        stops=(("years", TIMELINE_YEARS),),
        stops_note=(f"On this page the years come in steps: {', '.join(map(str, TIMELINE_YEARS[:-1]))} "
                    f"and {TIMELINE_YEARS[-1]}. The live lesson in Jupyter offers every year from 1800 "
                    "to {last} and the year of each earlier event."),
        why="about 207,000 states at full resolution (25,878 year windows × 8 sets of level ticks) "
            "and a linked map of places under 4 naming policies: a declarative view slices the "
            "kernel's lane traces and looks up the texts; the map is one of the stored place maps, "
            "chosen by which place-naming rows the window holds. Drawing each distinct list of places "
            "under every policy (≈10 ms a map) is what limits the site to 16 year stops (every window "
            "the lessons cite among them), said beside the control: ≈200 kB gzip in a same-site file "
            "loaded when reached; ≈13 s to compute at site build."),
    "forecast_explorer": SiteSpec(
        "view", side=("answers",),
        why="about 19.5 million states (5 choices for each of 10 forecasts × reveal), but each "
            "forecast's cell and answer line depend on its own dropdown only: the view looks them "
            "up per dropdown (read from the kernel explorer) and adds up the matches."),
}


def mechanism_of(name: str) -> str:
    """The live mechanism of explorer ``name`` (``"frozen"`` if it has none yet)."""
    spec = SITES.get(name)
    return spec.mechanism if spec else "frozen"
