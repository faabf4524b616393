"""The one CSV writer of the classroom loop: cells cannot run as spreadsheet formulas.

A cell whose text begins with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is what
Excel, LibreOffice and Google Sheets may run as a formula (OWASP, "CSV Injection"). Such a cell
is written with a single quote in front (``'=HYPERLINK(...)``): the text stays visible and
nothing runs. Numbers (int, float) are written as numbers; every string goes through
:func:`safe_cell`.
"""
from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping, Sequence

__all__ = ["FORMULA_STARTS", "safe_cell", "csv_text"]

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value) -> object:
    """A value safe to put in a spreadsheet cell: numbers as they are, ``None`` as empty, text
    that would start a formula prefixed with ``'``."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, (int, float)):
        return value
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def csv_text(header: Sequence[str], rows: Iterable[Mapping | Sequence]) -> str:
    """CSV text (``\\n`` line ends) of ``header`` and ``rows`` (dicts keyed by the header, or
    sequences in header order), every cell through :func:`safe_cell`."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow([safe_cell(h) for h in header])
    for r in rows:
        cells = [r.get(h, "") for h in header] if isinstance(r, Mapping) else list(r)
        w.writerow([safe_cell(c) for c in cells])
    return buf.getvalue()
