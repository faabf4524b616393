"""Explorers that respond without a kernel: their live version for static pages (issue 20).

A *live* explorer is HTML controls + a chart or map + a polite live summary, driven in the
browser by ``site/static/nkteach-live.js`` with no kernel and no request outside the page.
Each registered explorer gets one mechanism (:data:`SITES`):

``states``
    every reachable state is computed here, in Python, by the real explorer (controls set
    as a user would set them, then ``ex.figure`` / ``ex.summary`` read): equality with the
    kernel version holds by construction. The figures are stored once each in a pool of
    JSON values (a trace, a layout or a summary repeated across states is stored once).

Public API: :func:`describe` (the live description: controls, pool, states),
:func:`live_html` (the markup of one explorer), :func:`state_of` (the Python side of a
state: figure spec + summary, for tests), :data:`SITES`.
"""
from __future__ import annotations

from .sites import SITES, SiteSpec, mechanism_of
from .states import describe, live_html, state_key, state_of, RUNTIME_FILE

__all__ = ["SITES", "SiteSpec", "mechanism_of", "describe", "live_html", "state_key", "state_of",
           "RUNTIME_FILE"]
