"""Explorers that respond without a kernel: their live version for static pages (issue 20).

A *live* explorer is HTML controls + a chart or map + a polite live summary, driven in the
browser by ``site/static/nkteach-live.js`` with no kernel and no request outside the page.
Each registered explorer gets one mechanism (:data:`SITES`):

``states``
    every reachable state is computed here, in Python, by the real explorer (controls set
    as a user would set them, then ``ex.figure`` / ``ex.summary`` read): equality with the
    kernel version holds by construction. The figures are stored once each in a pool of
    JSON values (a trace, a layout or a summary sentence repeated across states is stored
    once). A control may offer fewer values on the site than in Jupyter (``SiteSpec.stops``,
    the arms explorer's years); the page says so beside it.

``view``
    a small declarative description (:mod:`nkteach.live.view`) run by the same interpreter in
    Python and in the browser, its pieces read from the real explorer
    (:mod:`nkteach.live.declared`, :mod:`nkteach.live.windows`): for the forecast explorer's
    ~19.5 million states, military expenditure's ~1.15 million and the timeline (with its
    linked map, one of the stored place maps).

``describe`` sets the naming policy while it walks the states of a map explorer and restores
it afterwards.

Public API: :func:`describe` (the live description: controls, pool, states), :func:`described`
(the same, computed once per process), :func:`prefetch` (several of them at once, one per core),
:func:`live_html` (the markup of one explorer), :func:`state_of` (the Python side of a
state: figure spec + summary, for tests), :data:`SITES`.
"""
from __future__ import annotations

from .sites import SITES, SiteSpec, mechanism_of
from .states import describe, live_html, state_key, state_of, RUNTIME_FILE
from .cache import described, prefetch

__all__ = ["SITES", "SiteSpec", "mechanism_of", "describe", "described", "prefetch", "live_html", "state_key",
           "state_of", "RUNTIME_FILE"]
