"""Load, describe and cite the curated datasets (the `datasets` layer of nkteach).

Every dataset is a file in the package's data folder described in ``datapackage.json``
(a Frictionless Data Package). Tables load as ``pandas.DataFrame`` with their metadata in
``df.attrs``; geo datasets load as GeoJSON ``dict``. Nothing here touches the network.
"""
from __future__ import annotations

import copy
import functools
import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from collections.abc import Callable

from .validation import (
    Flag,
    Name,
    Names,
    NkteachError,
    Options,
    UnknownNameError,
    check_names,
    unknown_name,
    validate_params,
)

__all__ = ["load", "info", "cite", "datasets", "references", "data_dir", "DatasetInfo",
           "UnknownDatasetError", "DataIntegrityError", "clear_cache", "on_clear", "names", "SEEDS",
           "References"]

_PKG = Path(__file__).resolve().parent


class UnknownDatasetError(UnknownNameError):
    """Raised for a dataset name that is not in the package."""


class DataIntegrityError(NkteachError, RuntimeError):
    """A data file (or datapackage.json itself) is missing, damaged or does not match its
    description in datapackage.json; the message names the file."""


def data_dir() -> Path:
    """The folder holding datapackage.json: inside an installed wheel, else the repo's data/."""
    for d in (_PKG / "_data", _PKG.parent / "data"):
        if (d / "datapackage.json").is_file():
            return d
    raise FileNotFoundError(
        "nkteach's data folder is missing (looked for nkteach/_data and ../data "
        "next to the package). Reinstall nkteach, or run `make data` in a source checkout.")


_RESOURCE_KEYS = ("name", "path", "hash")


@functools.lru_cache(maxsize=1)
def _package() -> dict:
    path = data_dir() / "datapackage.json"
    try:
        pkg = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as e:
        raise DataIntegrityError(f"{path} is damaged ({e}). Rebuild it with `make data` or "
                                 "reinstall nkteach.") from None
    resources = pkg.get("resources") if isinstance(pkg, dict) else None
    if not isinstance(resources, list) or not all(
            isinstance(r, dict) and all(isinstance(r.get(k), str) for k in _RESOURCE_KEYS)
            for r in resources):
        raise DataIntegrityError(f"{path} is not a data package nkteach can read: it needs a "
                                 f"'resources' list whose entries have {', '.join(_RESOURCE_KEYS)}. "
                                 "Rebuild it with `make data` or reinstall nkteach.")
    return pkg


@functools.lru_cache(maxsize=1)
def _resources() -> dict[str, dict]:
    return {r["name"]: r for r in _package()["resources"]}


# Caches of higher layers (naming, exercises, maps ...) register here, so that one call
# forgets everything derived from the data without data.py importing those modules.
_CLEARERS: list[Callable[[], None]] = []


def on_clear(func: Callable[[], None]) -> Callable[[], None]:
    """Register ``func`` to run on :func:`clear_cache` (usable as a decorator)."""
    if func not in _CLEARERS:
        _CLEARERS.append(func)
    return func


def clear_cache() -> None:
    """Forget every cached table and everything derived from one (naming, exercises, maps ...),
    e.g. after rebuilding data/ in a running session."""
    _package.cache_clear()
    _resources.cache_clear()
    _load_cached.cache_clear()
    for func in list(_CLEARERS):
        func()


def names() -> list[str]:
    """Names of every dataset, in catalogue order."""
    return list(_resources())


def _resource(name: Any) -> dict:
    res = _resources()
    if isinstance(name, str) and name in res:
        return res[name]
    if not isinstance(name, str):
        raise UnknownDatasetError(
            f"dataset name must be a string, got {type(name).__name__} {name!r:.80}; "
            f"allowed (Known datasets): {', '.join(res)}")
    raise unknown_name("dataset name", name, list(res), error=UnknownDatasetError,
                       what="Known datasets, see nkteach.datasets()", limit=200)


# The declared arguments of this module's public functions (checked by validate_params).
_DATASET = Name("arms_imports", error=UnknownDatasetError)


def _read_verified(r: dict) -> bytes:
    path = data_dir() / r["path"]
    if not path.is_file():
        raise DataIntegrityError(f"data file {path} for dataset {r['name']!r} is missing")
    data = path.read_bytes()
    expected = r["hash"].split(":", 1)[-1]
    actual = hashlib.sha256(data).hexdigest()
    if actual != expected:
        raise DataIntegrityError(
            f"data file {path} does not match datapackage.json: expected sha256 {expected}, "
            f"found {actual}. Rebuild with `make data` or reinstall nkteach.")
    return data


_PD_TYPES = {"integer": "Int64", "number": "float64", "boolean": "boolean",
             "string": "string", "date": "string", "year": "Int64", "any": "object"}


def _read_geojson(r: dict, data: bytes) -> dict:
    path = data_dir() / r["path"]
    try:
        obj = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as e:
        raise DataIntegrityError(f"GeoJSON file {path} of dataset {r['name']!r} is damaged: {e}") from None
    if not isinstance(obj, dict) or obj.get("type") != "FeatureCollection" or not isinstance(
            obj.get("features"), list):
        raise DataIntegrityError(f"{path} of dataset {r['name']!r} is not a GeoJSON "
                                 "FeatureCollection (needs type and a features list)")
    return obj


def _check_schema(r: dict, header: list[str], rows: int) -> None:
    """Cheap check of a table against its Table Schema: column names in order and row count."""
    path = data_dir() / r["path"]
    fields = [f["name"] for f in r.get("schema", {}).get("fields", [])]
    if header != fields:
        missing = [c for c in fields if c not in header]
        extra = [c for c in header if c not in fields]
        raise DataIntegrityError(
            f"{path} does not match the schema of {r['name']!r} in datapackage.json "
            f"(missing columns: {missing or 'none'}; unexpected columns: {extra or 'none'}; "
            "or a different order). Rebuild with `make data` or reinstall nkteach.")
    expected = r.get("nkteach", {}).get("rows")
    if expected is not None and expected != rows:
        raise DataIntegrityError(f"{path} has {rows} rows; datapackage.json records {expected} "
                                 f"for {r['name']!r}. Rebuild with `make data` or reinstall nkteach.")


@functools.cache
def _load_cached(name: str):
    r = _resource(name)
    data = _read_verified(r)
    if r.get("format") == "geojson":
        return _read_geojson(r, data)
    import io

    import pandas as pd

    fields = r["schema"]["fields"]
    dtypes = {f["name"]: _PD_TYPES.get(f["type"], "object") for f in fields}
    # Whole-number and boolean columns are read as text and converted here, so that a bad
    # value gets a message naming file, column, row and value (not a pandas error, not NA).
    typed = {f["name"]: dtypes[f["name"]] for f in fields if dtypes[f["name"]] in ("Int64", "boolean")}
    for c in typed:
        dtypes[c] = "string"
    try:
        df = pd.read_csv(io.BytesIO(data), dtype=dtypes, keep_default_na=False, na_values=[""])
    except (ValueError, pd.errors.ParserError) as e:   # a value that does not fit its type
        raise DataIntegrityError(f"{data_dir() / r['path']} of dataset {r['name']!r} does not "
                                 f"parse with its Table Schema: {e}") from None
    _check_schema(r, list(df.columns), len(df))
    for c, kind in typed.items():
        df[c] = _typed_column(r, df[c], c, kind)
    df.attrs.update(_attrs(r))
    return df


_BOOLEANS = {"true": True, "false": False}


def _typed_column(r: dict, col, name: str, kind: str):
    """Column ``name`` (read as text) as nullable whole numbers or booleans; a value that is
    neither empty nor of the type raises DataIntegrityError naming file, column, row and value."""
    import re

    text = col.astype(object)
    if kind == "boolean":
        ok = text.isna() | text.isin(list(_BOOLEANS))
        allowed = "true, false or empty"
    else:
        ok = text.isna() | text.map(lambda v: isinstance(v, str) and re.fullmatch(r"-?\d+", v) is not None)
        allowed = "a whole number or empty"
    if not bool(ok.all()):
        i = int((~ok).to_numpy().nonzero()[0][0])
        raise DataIntegrityError(
            f"{data_dir() / r['path']} (dataset {r['name']!r}): column {name!r}, row {i + 1} "
            f"(line {i + 2}) holds {text.iloc[i]!r}; allowed: {allowed} (the column's type in "
            "datapackage.json). Fix the file or its schema and rebuild with `make data`.")
    if kind == "boolean":
        return text.map(_BOOLEANS).astype("boolean")
    return text.astype("Int64")


def _attrs(r: dict) -> dict:
    meta = r.get("nkteach", {})
    src = r.get("sources", [])
    return {
        "name": r["name"],
        "title": r.get("title", r["name"]),
        "source": "; ".join(s.get("title", "") for s in src),
        "publisher": "; ".join(sorted({s.get("publisher", "") for s in src if s.get("publisher")})),
        "release": "; ".join(s.get("release", "") for s in src if s.get("release")),
        "license": "; ".join(lic.get("title", lic.get("name", "")) for lic in r.get("licenses", [])),
        "citation": meta.get("citation", ""),
        "caveats": list(meta.get("caveats", [])),
    }


@validate_params({"name": _DATASET, "as_frame": Flag()})
def load(name: str, as_frame: bool = True):
    """Return dataset ``name``: a DataFrame (metadata in ``df.attrs``) or, for maps, a GeoJSON dict.

    Loads are cached in-process; each call returns a fresh copy, so editing it is safe.
    ``as_frame=False`` returns a list of row dicts for tables.
    """
    obj = _load_cached(_resource(name)["name"])  # _resource first: a clear error for any bad name
    if isinstance(obj, dict):
        return copy.deepcopy(obj)
    df = obj.copy()
    df.attrs = copy.deepcopy(obj.attrs)
    if not as_frame:
        return df.astype(object).where(df.notna(), None).to_dict(orient="records")
    return df


@dataclass
class DatasetInfo:
    """Everything known about one dataset; renders as Markdown in a notebook."""

    name: str
    title: str
    description: str
    publisher: str
    release: str
    license: str
    citation: str
    caveats: list[str]
    sources: list[dict]
    codebook: list[dict] = field(default_factory=list)   # name, type, description, constraints
    rows: int | None = None
    notes: list[str] = field(default_factory=list)

    def _repr_markdown_(self) -> str:
        lines = [f"### {self.title} (`{self.name}`)", "", self.description, ""]
        n = f"{self.rows} rows" if self.rows is not None else "GeoJSON"
        lines += [f"- **Size:** {n}", f"- **Publisher:** {self.publisher or '—'}",
                  f"- **Release:** {self.release or '—'}", f"- **Licence:** {self.license or '—'}",
                  f"- **Cite as:** {self.citation}"]
        for s in self.sources:
            lines.append(f"- **Source:** {s.get('title', '')} {s.get('path', '')}".rstrip())
        if self.caveats:
            lines += ["", "**Caveats**", ""] + [f"- {c}" for c in self.caveats]
        if self.codebook:
            lines += ["", "| column | type | meaning |", "|---|---|---|"]
            for f in self.codebook:
                desc = f.get("description", "").replace("|", "\\|").replace("\n", " ")
                lines.append(f"| `{f['name']}` | {f.get('type', '')} | {desc} |")
        return "\n".join(lines)

    def __str__(self) -> str:
        return self._repr_markdown_()


@validate_params({"name": _DATASET})
def info(name: str) -> DatasetInfo:
    """Title, description, publisher, release, licence, citation, caveats and codebook of ``name``."""
    r = _resource(name)
    a = _attrs(r)
    meta = r.get("nkteach", {})
    fields = r["schema"]["fields"] if "schema" in r else meta.get("properties", [])
    return DatasetInfo(
        name=r["name"], title=a["title"], description=r.get("description", ""),
        publisher=a["publisher"], release=a["release"], license=a["license"],
        citation=a["citation"], caveats=a["caveats"], sources=list(r.get("sources", [])),
        codebook=[dict(f) for f in fields], rows=meta.get("rows"),
        notes=list(meta.get("build_notes", [])))


_STYLES = ("text", "bibtex")


@validate_params({"name": _DATASET, "style": Options(_STYLES)})
def cite(name: str, style: str = "text") -> str:
    """The citation of dataset ``name`` as plain text (default) or BibTeX."""
    r = _resource(name)
    meta = r.get("nkteach", {})
    if style == "bibtex":
        return meta.get("bibtex") or _bibtex_fallback(r)
    return meta.get("citation", "")


def _bibtex_fallback(r: dict) -> str:
    src = (r.get("sources") or [{}])[0]
    return (f"@misc{{nkteach_{r['name']},\n  title = {{{r.get('title', r['name'])}}},\n"
            f"  author = {{{src.get('publisher', 'nkteach')}}},\n"
            f"  note = {{{r.get('nkteach', {}).get('citation', '')}}},\n"
            f"  howpublished = {{{src.get('path', '')}}}\n}}")


def datasets():
    """A table of every dataset: name, title, kind, rows, source, licence."""
    import pandas as pd

    rows = []
    for r in _resources().values():
        a = _attrs(r)
        meta = r.get("nkteach", {})
        rows.append({"name": r["name"], "title": a["title"],
                     "kind": "geojson" if r.get("format") == "geojson" else "table",
                     "rows": meta.get("rows", meta.get("features")),
                     "source": a["publisher"] or a["source"], "license": a["license"]})
    return pd.DataFrame(rows, columns=["name", "title", "kind", "rows", "source", "license"])


SEEDS = {
    "000": "Bifolchi, G. & Boltuc, S. (2023). Azerbaijan's Military Offensive in Nagorno-Karabakh/Artsakh: "
           "A Risk Assessment. Kavkaz Files (SpecialEurasia), ISSN 2975-0474. [seed 000]",
    "001": "Poghosyan, B. (c. 2022). Restoration of military balance between Armenia and Azerbaijan. "
           "Op-ed, c. August 2022. [seed 001]",
    "002": "Unnamed author (c. 2013). Master's thesis on the intractability of the Nagorno-Karabakh "
           "conflict at three levels of analysis: the elite, the nation and the international "
           "structure (title page, author and institution not preserved in the available text). [seed 002]",
    "003": "Jović-Lazić, A. & Bošković, S. (2024). Azerbaijan's Foreign Policy Positioning towards Russia "
           "and Its Impact on the Second Nagorno-Karabakh War: A Hedging Strategy. Institute of "
           "International Politics and Economics, Belgrade. [seed 003]",
    "004": "Abushov, K. & Babayev, A. (2025). Diminishing Justice and Third-Party Intervention: Explaining "
           "Russia's Impartial Stance During the 2020 Karabakh War. Problems of Post-Communism 72(2), "
           "177-187. doi:10.1080/10758216.2024.2329881 (online 10 Apr 2024). [seed 004]",
}


class References:
    """A reference list that renders as Markdown in a notebook."""

    def __init__(self, items: list[str]):
        self.items = items

    def _repr_markdown_(self) -> str:
        return "\n".join(f"{i}. {t}" for i, t in enumerate(self.items, 1))

    def __str__(self) -> str:
        return self._repr_markdown_()


@validate_params({"datasets": Names(names, min_count=0, error=UnknownDatasetError),
                  "seeds": Names(lambda: list(SEEDS), min_count=0)})
def references(datasets: list[str] = (), seeds: list[str] = ()) -> References:
    """The reference list of a lesson: the citations of ``datasets`` and of the seed documents
    ``seeds`` (codes "000"…"004"), generated from the data package, never typed by hand."""
    datasets = check_names("datasets", datasets, names(), min_count=0, error=UnknownDatasetError)
    seeds = check_names("seeds", seeds, list(SEEDS), min_count=0)
    items = [cite(n) for n in datasets] + [SEEDS[code] for code in seeds]
    return References(items)
