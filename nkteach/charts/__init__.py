"""Charts: pure functions ``DataFrame → plotly.graph_objects.Figure``, each with a text summary.

Every chart ``name(df=None, **options) -> go.Figure`` has a companion
``name_summary(df=None, **options) -> str`` (alt text built from the same numbers, without
drawing). ``df=None`` loads the package dataset. Both are made from one declaration by the
:func:`~nkteach.charts._base.chart` decorator and listed in :data:`CHARTS` (name →
:class:`Chart`), the only list of charts. Modules by theme:

=================  ===========================================================================
``_base``          palette, template, layout engine, registration, shared argument helpers
``arms``           arms_imports, supplier_shares, military_expenditure, defence_budgets_seed
``governance``     freedom_ratings, freedom_scores, nations_in_transit, democracy_indices
``opinion``        facebook_poll, poll_shares, caucasus_barometer
``history``        timeline, linkage_network
``conflict``       armed_conflict, battle_deaths
``forecast``       forecast, explanations_2020
``diplomacy``      negotiations (and the pure helper ``readings``)
=================  ===========================================================================

Every figure uses the template ``"nkteach"`` (Okabe–Ito colours, fonts ≥ 13 px, white
background), carries its source and caveat lines wrapped inside the figure, keeps its legend
in a band between the title and the plot (never over the data), and stores
``{"chart", "summary", "source"}`` in ``fig.layout.meta``; :func:`summary` reads it back.

Arguments are checked by :mod:`nkteach.validation`: a bad value raises
``InvalidArgumentError`` (wrong type, reversed or out-of-data years) or ``UnknownNameError``
(a name not in the data — e.g. a country without data in that table; the message lists the
countries that have data), both naming the argument, the value and what is allowed. A list
of names must be a list (``countries=["Georgia"]``, not ``"Georgia"``). **Empty selections**
(``countries=[]``, ``levels=[]`` …) raise ``InvalidArgumentError`` "… is empty: choose at
least 1 of …" in every chart; no chart draws an empty figure.
"""
from __future__ import annotations

from ._base import CHARTS, COLORWAY, GREYS, OKABE_ITO, PATTERNS, TEMPLATE, Chart, source_of, summary
from .arms import MEASURE_LABELS, arms_imports, defence_budgets_seed, military_expenditure, supplier_shares
from .conflict import armed_conflict, battle_deaths
from .diplomacy import negotiations, readings
from .forecast import explanations_2020, forecast
from .governance import (
                    FH_RATINGS,
                    INDEX_LABELS,
                    democracy_indices,
                    freedom_ratings,
                    freedom_scores,
                    nations_in_transit,
                    score_measures,
)
from .history import linkage_network, timeline
from .opinion import caucasus_barometer, facebook_poll, poll_shares

# ``<name>_summary`` for every registered chart (the decorator attached them as ``.summary``).
arms_imports_summary = arms_imports.summary
military_expenditure_summary = military_expenditure.summary
defence_budgets_seed_summary = defence_budgets_seed.summary
freedom_ratings_summary = freedom_ratings.summary
freedom_scores_summary = freedom_scores.summary
nations_in_transit_summary = nations_in_transit.summary
democracy_indices_summary = democracy_indices.summary
facebook_poll_summary = facebook_poll.summary
caucasus_barometer_summary = caucasus_barometer.summary
timeline_summary = timeline.summary
linkage_network_summary = linkage_network.summary
armed_conflict_summary = armed_conflict.summary
battle_deaths_summary = battle_deaths.summary
forecast_summary = forecast.summary
explanations_2020_summary = explanations_2020.summary
negotiations_summary = negotiations.summary

__all__ = [
    "TEMPLATE", "OKABE_ITO", "COLORWAY", "GREYS", "PATTERNS", "CHARTS", "Chart", "MEASURE_LABELS",
    "FH_RATINGS", "INDEX_LABELS", "score_measures", "summary", "source_of", "supplier_shares",
    "poll_shares", "readings",
    *[n for name in CHARTS for n in (name, name + "_summary")],
]
