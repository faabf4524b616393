"""A span of years chosen with two dropdowns, the explorers' replacement for a range slider.

ipywidgets 8 draws a range slider as noUiSlider handles (``div role="slider"``) that have no
accessible name: the slider's description is a separate label not linked to them, and ipywidgets
does not expose noUiSlider's ``handleAttributes`` (axe ``aria-input-field-name``, WCAG 4.1.2;
noUiSlider issues #1019, #1223). A ``Dropdown`` links its description to its ``<select>``
(``<label for>``), so screen readers name each end ("Years from", "to") and the keyboard works
as in any form. :class:`YearRange` keeps the range slider's Python interface: ``value``
(first, last), ``index`` (i, j), ``options`` and ``description``.
"""
from __future__ import annotations

from collections.abc import Sequence

import ipywidgets as w
import traitlets

from ..validation import InvalidArgumentError

__all__ = ["YearRange"]


class YearRange(w.HBox):
    """Two dropdowns, "<description> from" and "to", choosing ``value = (first, last)`` among
    ``options`` (in order); choosing a start after the end moves the end along (and back)."""

    value = traitlets.Tuple()
    index = traitlets.Tuple()

    def __init__(self, options: Sequence, index: tuple[int, int] = (0, -1), description: str = "Years",
                 layout: w.Layout | None = None):
        opts = tuple(options)
        if not opts:
            raise InvalidArgumentError("options is empty: a span of years needs at least one year")
        i, j = (k % len(opts) for k in index)
        style = {"description_width": "initial"}
        self.start = w.Dropdown(options=[(str(o), o) for o in opts], index=i,
                                description=f"{description} from", style=style)
        self.end = w.Dropdown(options=[(str(o), o) for o in opts], index=j, description="to", style=style)
        super().__init__([self.start, self.end], layout=layout or w.Layout())
        self.options, self.description = opts, description
        self._options_values, self._options_labels = opts, tuple(str(o) for o in opts)
        self._busy = False
        self.index = (min(i, j), max(i, j))
        self.value = (opts[self.index[0]], opts[self.index[1]])
        self.start.observe(self._moved, names="index")
        self.end.observe(self._moved, names="index")

    @traitlets.validate("value")
    def _check_value(self, proposal):
        v = tuple(proposal["value"])
        if len(v) != 2 or any(x not in self._options_values for x in v):
            raise traitlets.TraitError(
                f"value must be a pair (first, last) of {self._options_values[0]}…{self._options_values[-1]} "
                f"among the options; got {v!r:.80}")
        a, b = (self._options_values.index(x) for x in v)
        return (self._options_values[min(a, b)], self._options_values[max(a, b)])

    @traitlets.observe("value")
    def _value_set(self, change):
        a, b = (self._options_values.index(x) for x in change["new"])
        self._show(a, b)

    @traitlets.observe("index")
    def _index_set(self, change):
        a, b = change["new"]
        self.value = (self._options_values[a], self._options_values[b])

    def _moved(self, change):
        if self._busy:
            return
        a, b = self.start.index, self.end.index
        if a > b:   # the end follows a start moved past it, and the start an end moved before it
            a, b = (a, a) if change["owner"] is self.start else (b, b)
        self.value = (self._options_values[a], self._options_values[b])
        self._show(a, b)

    def _show(self, a: int, b: int):
        """Put the dropdowns and ``index`` at (a, b) without re-entering :meth:`_moved`."""
        self._busy = True
        try:
            self.start.index, self.end.index = a, b
        finally:
            self._busy = False
        if tuple(self.index) != (a, b):
            self.index = (a, b)
