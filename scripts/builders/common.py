"""Shared pieces of the data build: the Resource record, deterministic writers, helpers.

A builder module exposes ``build(sources: Path, curated: Path) -> list[Resource]``.
``sources`` is ../shared/sources; ``curated`` is data/curated (hand-curated seed tables).
"""
from __future__ import annotations

import csv
import hashlib
import io
import json
import math
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from nkteach.classroom.csvsafe import FORMULA_STARTS

# Licences used across resources (Frictionless "licenses" entries).
CC_BY_4 = {"name": "CC-BY-4.0", "title": "Creative Commons Attribution 4.0",
           "path": "https://creativecommons.org/licenses/by/4.0/"}
PUBLIC_DOMAIN = {"name": "PDDL-1.0", "title": "Public domain (Natural Earth terms of use)",
                 "path": "https://www.naturalearthdata.com/about/terms-of-use/"}


@dataclass
class Resource:
    """One dataset as written to data/ and described in datapackage.json."""

    name: str                      # dataset name used by nkteach.load(name)
    title: str
    description: str
    fields: list[dict]             # Table Schema fields: name, type, description, constraints...
    sources: list[dict]            # {"title", "path" (URL), "publisher", "release", "file"}
    licenses: list[dict]
    citation: str                  # plain-text citation
    caveats: list[str]
    df: pd.DataFrame | None = None        # tabular resources
    geojson: dict | None = None           # geo resources (FeatureCollection)
    primary_key: list[str] | None = None
    bibtex: str = ""
    notes: list[str] = field(default_factory=list)   # build notes: fixes applied to the source
    extra: dict[str, Any] = field(default_factory=dict)  # more custom metadata (e.g. scale_direction)

    @property
    def filename(self) -> str:
        return f"{self.name}.geojson" if self.geojson is not None else f"{self.name}.csv"


def fmt_value(v: Any) -> str:
    """Deterministic text for one CSV cell: '' for missing, shortest repr for floats."""
    if v is None:
        return ""
    try:
        if pd.isna(v):
            return ""
    except (TypeError, ValueError):
        pass
    if isinstance(v, bool):
        return "true" if v else "false"
    if hasattr(v, "item") and not isinstance(v, str):  # numpy scalar
        v = v.item()
        if isinstance(v, bool):
            return "true" if v else "false"
    if isinstance(v, float):
        if math.isfinite(v) and v.is_integer() and abs(v) < 1e15:
            return str(int(v))
        return repr(v)
    return str(v)


def _numeric(text: str) -> bool:
    # "-0399" (a year) or "-3" is read by a spreadsheet as a number, never as a formula.
    try:
        float(text)
    except ValueError:
        return False
    return True


def csv_bytes(df: pd.DataFrame, fields: list[dict]) -> bytes:
    """CSV with the schema's column order, LF line endings, minimal quoting, UTF-8. A text cell
    that a spreadsheet would read as a formula is refused (ValueError naming column and value)."""
    names = [f["name"] for f in fields]
    missing = [n for n in names if n not in df.columns]
    if missing:
        raise ValueError(f"columns {missing} declared in the schema are not in the table")
    extra = [c for c in df.columns if c not in names]
    if extra:
        raise ValueError(f"columns {extra} are in the table but not declared in the schema")
    types = {f["name"]: f["type"] for f in fields}
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(names)
    for row in df[names].itertuples(index=False, name=None):
        out = []
        for n, v in zip(names, row):
            s = fmt_value(v)
            if types[n] == "integer" and s.endswith(".0"):
                s = s[:-2]
            if types[n] == "string" and s.startswith(FORMULA_STARTS) and not _numeric(s):
                # A spreadsheet would run it as a formula; the curated text must be reworded
                # (data are never silently changed, so no quote is prefixed here).
                raise ValueError(f"column {n!r}: text {s[:40]!r} starts with {s[0]!r}, which a "
                                 "spreadsheet reads as a formula; reword the value (allowed first "
                                 "characters: anything but = + - @ tab CR)")
            out.append(s)
        w.writerow(out)
    return buf.getvalue().encode("utf-8")


def geojson_bytes(obj: dict) -> bytes:
    """Compact, key-sorted GeoJSON so that rebuilds are byte-identical."""
    return (json.dumps(obj, ensure_ascii=False, sort_keys=True, separators=(",", ":")) + "\n").encode("utf-8")


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def field_(name: str, type_: str, description: str, **constraints: Any) -> dict:
    """A Table Schema field; keyword arguments become constraints (required, enum, minimum...)."""
    f: dict[str, Any] = {"name": name, "type": type_, "description": description}
    if type_ == "boolean":
        f["trueValues"] = ["true"]
        f["falseValues"] = ["false"]
    if constraints:
        f["constraints"] = constraints
    return f


def bibtex_entry(kind: str, key: str, **fields: str) -> str:
    """One BibTeX entry, fields in the order given; wrap a value in extra braces to keep its capitals."""
    body = ",\n".join(f"  {k} = {{{v}}}" for k, v in fields.items())
    return f"@{kind}{{{key},\n{body}\n}}"
