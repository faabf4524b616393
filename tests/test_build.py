"""The data build is deterministic and the data package validates."""
from __future__ import annotations

import json
import subprocess
import sys

from tests.support.paths import ROOT

DATA = ROOT / "data"


def test_rebuild_is_byte_identical(sources, tmp_path):
    out = tmp_path / "data"
    subprocess.run([sys.executable, str(ROOT / "scripts" / "build_data.py"), "--sources",
                    str(sources), "--out", str(out)], check=True, capture_output=True, text=True)
    built = sorted(p.name for p in out.iterdir())
    committed = sorted(p.name for p in DATA.iterdir() if p.is_file())
    assert built == committed, "the build writes a different set of files than data/ holds"
    for name in built:
        assert (out / name).read_bytes() == (DATA / name).read_bytes(), f"{name} differs after rebuild"


def test_datapackage_validates_with_frictionless():
    from frictionless import Package

    report = Package(str(DATA / "datapackage.json")).validate()
    errors = [f"{t.name}: {e.message}" for t in report.tasks for e in t.errors]
    assert report.valid, "\n".join(errors[:20])


def test_every_resource_has_provenance():
    pkg = json.loads((DATA / "datapackage.json").read_text())
    for r in pkg["resources"]:
        assert r["licenses"], r["name"]
        assert r["hash"].startswith("sha256:"), r["name"]
        meta = r["nkteach"]
        assert meta["citation"] and isinstance(meta["caveats"], list), r["name"]
        for s in r["sources"]:
            assert s.get("title") and (s.get("path") or s.get("file")), (r["name"], s)
        if r.get("format") == "csv":
            fields = r["schema"]["fields"]
            assert all(f.get("description") for f in fields), r["name"]
            header = (DATA / r["path"]).read_text(encoding="utf-8").split("\n", 1)[0]
            assert header.split(",") == [f["name"] for f in fields], r["name"]
            rows = (DATA / r["path"]).read_bytes().count(b"\n") - 1
            assert meta["rows"] <= rows, r["name"]  # quoted cells may hold newlines
