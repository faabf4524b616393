"""A value that does not fit its column's type is a DataIntegrityError naming file, column, row
and value — even after the file's hash was re-recorded (so the hash check cannot catch it)."""
from __future__ import annotations

import hashlib
import json
import shutil

import pytest

import nkteach
from nkteach import data as nkdata


@pytest.fixture()
def edited(tmp_path, monkeypatch):
    """edit(old, new): change the first data row of military_expenditure.csv and re-record its hash."""
    src = nkdata.data_dir()
    dst = tmp_path / "data"
    shutil.copytree(src, dst, ignore=shutil.ignore_patterns("curated"))
    monkeypatch.setattr(nkdata, "data_dir", lambda: dst)
    target = dst / "military_expenditure.csv"

    def edit(old: str, new: str):
        lines = target.read_text(encoding="utf-8").splitlines(keepends=True)
        assert old in lines[1]
        lines[1] = lines[1].replace(old, new, 1)
        target.write_text("".join(lines), encoding="utf-8")
        pkg_path = dst / "datapackage.json"
        pkg = json.loads(pkg_path.read_text(encoding="utf-8"))
        for r in pkg["resources"]:
            if r["name"] == "military_expenditure":
                r["hash"] = "sha256:" + hashlib.sha256(target.read_bytes()).hexdigest()
        pkg_path.write_text(json.dumps(pkg), encoding="utf-8")
        nkdata.clear_cache()
        return target

    yield edit
    nkdata.clear_cache()


@pytest.mark.parametrize("old, new, column, allowed", [
    (",false,", ",maybe,", "estimate", "true, false or empty"),   # a non-boolean in a boolean column
    (",1949,", ",12.5,", "year", "whole number"),                 # a decimal in a whole-number column
])
def test_a_bad_value_in_a_typed_column_names_file_column_row_and_value(edited, old, new, column, allowed):
    path = edited(old, new)
    with pytest.raises(nkteach.DataIntegrityError) as ei:
        nkteach.load("military_expenditure")
    msg = str(ei.value)
    assert str(path) in msg and f"'{column}'" in msg and "row 1" in msg and repr(new.strip(",")) in msg
    assert allowed in msg


def test_typed_columns_still_load_as_nullable_types():
    df = nkteach.load("military_expenditure")
    assert str(df["year"].dtype) == "Int64" and str(df["estimate"].dtype) == "boolean"
    assert df["estimate"].isin([True, False]).all()
