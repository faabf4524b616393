#!/usr/bin/env python3
"""Rebuild every table in data/ and data/datapackage.json from ../shared/sources.

Usage: python scripts/build_data.py [--sources DIR] [--out DIR] [--only NAME ...]

Deterministic: the same sources give byte-identical files (tests/test_build.py checks it).
Hand-curated seed tables are read from data/curated/ (they are inputs, not outputs).
"""
from __future__ import annotations

import argparse
import importlib
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

from builders.common import Resource, csv_bytes, geojson_bytes, sha256  # noqa: E402

# Builder modules, in the order their resources appear in datapackage.json.
BUILDERS = [
    # facebook_poll_2011, seed_facts, timeline, nations_in_transit, linkages, statements, forecasts,
    # negotiations
    "builders.seeds",
    "builders.caucasus_barometer",
    "builders.sipri",          # arms_deals, arms_imports, arms_import_totals, military_expenditure
    "builders.freedom_house",  # freedom_ratings, freedom_scores
    "builders.ucdp",           # armed_conflict, battle_deaths
    "builders.world_bank",     # economy
    "builders.democracy",      # democracy_indices
    "builders.geo",            # places, regions, pipelines
]

PACKAGE = {
    "profile": "data-package",
    "name": "nkteach-data",
    "title": "nkteach: curated, cited datasets on the Nagorno-Karabakh conflict",
    "description": (
        "Tables rebuilt by scripts/build_data.py from raw extracts of SIPRI, Freedom House, "
        "CRRC, UCDP/PRIO, the World Bank, V-Dem, Polity5, Natural Earth, GeoNames and Global "
        "Energy Monitor, plus small hand-curated tables derived from the seed documents "
        "(each row cites its seed and section). Each resource states its own licence."
    ),
    "homepage": "https://github.com/nkteach/nkteach",
}


def resource_descriptor(r: Resource, data: bytes) -> dict:
    d = {
        "name": r.name,
        "title": r.title,
        "description": r.description,
        "path": r.filename,
        "encoding": "utf-8",
        "bytes": len(data),
        "hash": "sha256:" + sha256(data),
        "sources": r.sources,
        "licenses": r.licenses,
        "nkteach": {
            "citation": r.citation,
            "bibtex": r.bibtex,
            "caveats": r.caveats,
            "build_notes": r.notes,
            **r.extra,
        },
    }
    if r.geojson is not None:
        d.update(format="geojson", mediatype="application/geo+json", profile="data-resource")
        d["nkteach"]["features"] = len(r.geojson.get("features", []))
        d["nkteach"]["properties"] = r.fields
    else:
        d.update(format="csv", mediatype="text/csv", profile="tabular-data-resource")
        schema = {"fields": r.fields, "missingValues": [""]}
        if r.primary_key:
            schema["primaryKey"] = r.primary_key
        d["schema"] = schema
        d["nkteach"]["rows"] = int(len(r.df))
    return d


def build(sources: Path, out: Path, curated: Path | None = None, only: list[str] | None = None,
          builders: list[str] | None = None) -> list[dict]:
    """Write the resources of ``builders`` (default: all of BUILDERS) and their datapackage.json
    to ``out``."""
    curated = curated or ROOT / "data" / "curated"
    builders = BUILDERS if builders is None else builders
    out.mkdir(parents=True, exist_ok=True)
    descriptors = []
    seen: set[str] = set()
    for modname in builders:
        try:
            mod = importlib.import_module(modname)
        except ModuleNotFoundError as e:
            if e.name != modname:
                raise  # a builder exists but one of its own imports is missing
            if only:  # a partial build may go ahead without builders that are not written yet
                print(f"warning: builder {modname} not found; skipped (partial build --only)",
                      file=sys.stderr)
                continue
            raise SystemExit(f"builder module {modname} (scripts/{modname.replace('.', '/')}.py) is "
                             f"missing; the full build needs all of: {', '.join(builders)}. "
                             "Use --only NAME... for a partial build.") from None
        for r in mod.build(sources, curated):
            if r.name in seen:
                raise SystemExit(f"duplicate resource name {r.name!r} from {modname}")
            seen.add(r.name)
            if only and r.name not in only:
                continue
            data = geojson_bytes(r.geojson) if r.geojson is not None else csv_bytes(r.df, r.fields)
            (out / r.filename).write_bytes(data)
            descriptors.append(resource_descriptor(r, data))
    unknown = sorted(set(only or ()) - seen)
    if unknown:
        raise SystemExit(f"--only: unknown dataset(s) {unknown}; the builders found make: "
                         f"{', '.join(sorted(seen))}")
    pkg = dict(PACKAGE, resources=descriptors)
    (out / "datapackage.json").write_text(
        json.dumps(pkg, indent=1, ensure_ascii=False, sort_keys=False) + "\n", encoding="utf-8")
    return descriptors


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sources", type=Path, default=ROOT.parent / "shared" / "sources",
                    help="raw source extracts (default: ../shared/sources)")
    ap.add_argument("--out", type=Path, default=ROOT / "data", help="output folder (default: data/)")
    ap.add_argument("--only", nargs="+", metavar="NAME",
                    help="write only these datasets (partial build; datapackage.json then lists only them)")
    args = ap.parse_args(argv)
    if not args.sources.is_dir():
        ap.error(f"sources folder {args.sources} not found: the build needs ../shared/sources")
    descs = build(args.sources.resolve(), args.out, only=args.only)
    for d in descs:
        n = d["nkteach"].get("rows", d["nkteach"].get("features"))
        print(f"{d['name']:<24} {n:>6}  {d['path']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
