"""nkteach as a user gets it: built (sdist → wheel), installed NOT editable into a fresh venv
outside the repository, used from a folder where ../shared is unreachable. Also: the pinned
locks cover pyproject's requirements, and pytest's configuration really collects the lessons.
"""
from __future__ import annotations

import json
import re
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

import pytest
from packaging.requirements import Requirement

from tests.support.paths import LESSONS
from tests.support.isolated import ROOT, clean_env, make_venv, repo_snapshot, run, site_packages

try:
    import tomllib
except ModuleNotFoundError:  # pragma: no cover - Python 3.10
    tomllib = None

PROBE = r"""
import json, sys, sysconfig
from pathlib import Path
import nkteach
from nkteach.data import data_dir
out = {"file": nkteach.__file__, "data_dir": str(data_dir()),
       "purelib": sysconfig.get_paths()["purelib"], "prefix": sys.prefix, "loaded": {}}
for n in nkteach.datasets().name:
    obj = nkteach.load(n)
    out["loaded"][n] = len(obj) if not isinstance(obj, dict) else len(obj.get("features", []))
    info = nkteach.info(n)
    assert info.title and info.license, n
    assert nkteach.cite(n) and nkteach.cite(n, style="bibtex").lstrip().startswith("@"), n
out["shared_reachable"] = (Path.cwd().parent / "shared").exists()
print(json.dumps(out))
"""


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    """(venv python, built dist folder, snapshot) — one build and install for the module."""
    tmp = tmp_path_factory.mktemp("install")
    src = repo_snapshot(tmp / "src")
    env = clean_env()
    dist = tmp / "dist"
    # `python -m build` makes the sdist, then builds the wheel FROM that sdist.
    run([sys.executable, "-m", "build", "--outdir", dist, src], env=env, cwd=tmp)
    wheels = list(dist.glob("nkteach-*.whl"))
    assert len(wheels) == 1, list(dist.iterdir())
    py = make_venv(tmp / "venv", sys.executable, env)
    venv_env = clean_env(tmp / "venv")
    run([py, "-m", "pip", "install", "-q", "-c", src / "requirements" / "test.txt", wheels[0]],
        env=venv_env, cwd=tmp)
    return {"py": py, "dist": dist, "wheel": wheels[0], "src": src, "tmp": tmp, "env": venv_env}


@pytest.mark.slow
def test_wheel_and_sdist_carry_the_data(installed):
    pkg = json.loads((installed["src"] / "data" / "datapackage.json").read_text())
    paths = [r["path"] for r in pkg["resources"]]
    names = set(zipfile.ZipFile(installed["wheel"]).namelist())
    assert "nkteach/_data/datapackage.json" in names
    missing = [p for p in paths if f"nkteach/_data/{p}" not in names]
    assert not missing, f"data files missing from the wheel: {missing}"
    assert "nkteach/templates/lesson.ipynb" in names and "nkteach/templates/nbval_sanitize.cfg" in names
    assert not any(n.startswith(("data/", "tests/", "lessons/")) for n in names)
    sdist = next(installed["dist"].glob("nkteach-*.tar.gz"))
    with tarfile.open(sdist) as tf:
        snames = {n.split("/", 1)[1] for n in tf.getnames() if "/" in n}
    assert "data/datapackage.json" in snames and all(f"data/{p}" in snames for p in paths)


@pytest.mark.slow
def test_installed_package_loads_every_dataset_from_the_wheel(installed):
    run_dir = installed["tmp"] / "work" / "somewhere"    # ../shared does not exist from here
    run_dir.mkdir(parents=True)
    r = run([installed["py"], "-c", PROBE], env=installed["env"], cwd=run_dir)
    out = json.loads(r.stdout.strip().splitlines()[-1])
    purelib = Path(out["purelib"]).resolve()
    assert Path(out["file"]).resolve().is_relative_to(purelib), out["file"]
    assert Path(out["data_dir"]).resolve() == purelib / "nkteach" / "_data"
    assert Path(out["prefix"]).resolve() == (installed["tmp"] / "venv").resolve()
    assert out["shared_reachable"] is False
    pkg = json.loads((installed["src"] / "data" / "datapackage.json").read_text())
    assert sorted(out["loaded"]) == sorted(r["name"] for r in pkg["resources"])
    for r_ in pkg["resources"]:
        rows = r_.get("nkteach", {}).get("rows")
        if rows is not None:
            assert out["loaded"][r_["name"]] == rows, r_["name"]


@pytest.mark.slow
def test_installed_console_script(installed):
    exe = installed["py"].parent / "nkteach"
    cwd = installed["tmp"]
    r = run([exe, "datasets"], env=installed["env"], cwd=cwd)
    assert "facebook_poll_2011" in r.stdout
    r = run([exe, "cite", "arms_imports", "--bibtex"], env=installed["env"], cwd=cwd)
    assert r.stdout.lstrip().startswith("@")
    r = run([exe, "info", "nope"], env=installed["env"], cwd=cwd, check=False)
    assert r.returncode == 2 and "Known datasets" in r.stderr


@pytest.mark.slow
def test_installed_venv_has_bytecode(installed):
    """pip compiles what it installs even under PYTHONDONTWRITEBYTECODE=1 (set in clean_env)."""
    sp = site_packages(installed["py"], installed["env"])
    tag = f"cpython-{sys.version_info[0]}{sys.version_info[1]}"
    for f in ("nkteach/__pycache__/data.{}.pyc", "pandas/__pycache__/__init__.{}.pyc",
              "plotly/__pycache__/__init__.{}.pyc"):
        assert (sp / f.format(tag)).is_file(), f


# ---------------------------------------------------------------- locks and configuration

def _lock(path: Path) -> dict[str, str]:
    pins = {}
    for line in path.read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        req = Requirement(line)
        assert len(req.specifier) == 1 and next(iter(req.specifier)).operator == "==", line
        if req.marker is None or req.marker.evaluate():
            pins[req.name.lower().replace("_", "-")] = next(iter(req.specifier)).version
    return pins


@pytest.mark.parametrize("lock, extras", [("binder/requirements.txt", ["lab", "hub"]),
                                          ("requirements/test.txt", ["lab", "test", "bench"])])
def test_lock_pins_satisfy_pyproject(lock, extras):
    """Every requirement of pyproject.toml (base + extras) is pinned, to an allowed version.
    If this fails, run `make lock`."""
    meta = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    reqs = list(meta["dependencies"]) + [r for e in extras for r in meta["optional-dependencies"][e]]
    pins = _lock(ROOT / lock)
    assert "nkteach" not in pins
    for r in map(Requirement, reqs):
        name = r.name.lower().replace("_", "-")
        assert name in pins, f"{r.name} is in pyproject.toml but not pinned in {lock}; run make lock"
        assert r.specifier.contains(pins[name]), f"{lock} pins {name}=={pins[name]}, outside {r.specifier}"


def test_ci_entry_point_runs_make_test():
    text = (ROOT / ".ci" / "run").read_text()
    assert text.startswith("#!/usr/bin/env bash\n") and "set -euo pipefail" in text
    assert re.search(r"^make test\b", text, re.M)
    # `cmd | head` under pipefail can die of SIGPIPE (exit 141) at random
    assert not re.search(r"\|\s*head\b", text)
    mk = (ROOT / "Makefile").read_text()
    assert re.search(r"^test: setup\b", mk, re.M)
    assert "-r $(LOCK_TEST)" in mk and "--no-deps -e ." in mk


def test_pytest_collects_every_lesson():
    """The lessons run as part of `pytest` (testpaths + --nbval-lax). A config change that
    silently stopped collecting them would otherwise go unnoticed."""
    assert LESSONS, "no lessons in lessons/"
    r = subprocess.run([sys.executable, "-m", "pytest", "--collect-only", "-q", "-p",
                        "no:cacheprovider", "lessons"], cwd=ROOT, capture_output=True, text=True,
                       timeout=300)
    assert r.returncode == 0, r.stdout[-2000:] + r.stderr[-2000:]
    collected = {Path(ln.split("::")[0]).name for ln in r.stdout.splitlines() if "::" in ln}
    assert collected == {p.name for p in LESSONS}
