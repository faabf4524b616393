"""nkteach benchmarks: measure, compare with the budgets, write bench/results.json.

    make bench                                  # everything (~10 min on 2 cores)
    .venv/bin/python bench/run.py --only imports datasets --runs 5

Budgets are reported as pass/fail here and never asserted by the test suite: timings on a
shared machine are evidence, not a gate. Every timing is a median over fresh processes unless
said otherwise. Sections (``--only``):

imports    ``import nkteach`` vs ``import pandas`` (fresh interpreters, interleaved), the whole
           stack with and without bytecode (``-X pycache_prefix`` pointing at an empty folder
           hides the venv's .pyc files, as a venv installed under PYTHONDONTWRITEBYTECODE=1 would
           be), .pyc coverage of site-packages, and ``import nbformat`` / ``jsonschema``.
jsonschema the same imports in a throwaway copy of the venv without ``rfc3987-syntax``/``lark``
           (the environment-level fix), plus ``pip check`` there.
datasets   each dataset: cold (fresh interpreter, pandas already imported) and warm (cached).
lessons    each lesson run by nbclient vs ``bench/bare_stack.ipynb`` in the same session.
explorers  first paint and update per explorer in a real kernel (``bench/explorers.py``, which
           reads the explorer registry): an update to a state the explorer has not shown yet
           (chart/map built; budget 40 ms for chart explorers, 100 ms for those that redraw a
           folium map, the naming toggle included) and a revisit of a state already shown
           (served from the explorer's cache, 20 ms), each also as a multiple of the floor
           measured in the same kernel and run: a displayed widget whose observer does nothing.
first_plot the first chart in a fresh kernel: ``nkteach.show`` vs plotly's own ``fig.show()``.
sizes      map HTML, committed notebooks, installed environment (method in ``installed_sizes``).
nbval      the whole ``pytest lessons/`` (nbval) run.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
_VENV_PY = ROOT / ".venv" / "bin" / "python"
PY = str(_VENV_PY) if _VENV_PY.exists() else sys.executable
LESSONS = sorted((ROOT / "lessons").glob("[0-9][0-9]-*.ipynb"))
BARE = BENCH / "bare_stack.ipynb"
RESULTS = BENCH / "results.json"

BUDGETS = {
    "import_ratio": 1.1,          # import nkteach / import pandas
    "warm_load_ms": 20.0,
    "lesson_ratio": 1.5,          # lesson nbclient time / bare stack notebook
    "update_ms": 20.0,            # revisit of a state already shown (from the explorer's cache)
    "update_chart_ms": 40.0,      # update to a new state, chart explorers (issue 10 item 9)
    "update_map_ms": 100.0,       # update to a new state, explorers that redraw a folium map
    "map_kb": 400.0,             # per map as delivered, Leaflet inlined (issue 12 budget)
    "notebook_kb": 60.0,
    "first_plot_s": 1.0,          # goal
    "nbval_s": 60.0,              # goal, 2 cores
}
STACK = "import pandas, plotly.graph_objects, folium, ipywidgets"
# The design card's stack (pyproject dependencies + JupyterLab to show them).
DESIGN_STACK = ["pandas", "plotly", "folium", "ipywidgets", "anywidget", "jupyterlab"]
# jsonschema's optional IRI checker, pulled in by jupyter-events' jsonschema[format-nongpl].
RFC_PACKAGES = ["rfc3987-syntax", "lark"]


# ----------------------------------------------------------------------------- helpers

def _env(**extra) -> dict:
    env = dict(os.environ)
    env.update(extra)
    return env


def time_in_fresh(timed: str, setup: str = "", python: str = PY, env: dict | None = None,
                  args: tuple = ()) -> float:
    """Seconds spent in ``timed`` in a fresh interpreter (interpreter start-up excluded)."""
    script = (f"import time\n{setup}\n_t = time.perf_counter()\n{timed}\n"
              f"print('NKBENCH', time.perf_counter() - _t)")
    out = subprocess.run([python, *args, "-c", script], capture_output=True, text=True, cwd=ROOT,
                         env=env or _env(), timeout=600)
    if out.returncode:
        raise RuntimeError(f"{timed!r} failed:\n{out.stderr[-2000:]}")
    return float(re.findall(r"NKBENCH (\S+)", out.stdout)[-1])


def medians(snippets: dict[str, str], runs: int, **kw) -> dict[str, float]:
    """Median seconds per snippet; runs are interleaved so machine load hits all alike."""
    samples: dict[str, list[float]] = {k: [] for k in snippets}
    for _ in range(runs):
        for k, code in snippets.items():
            samples[k].append(time_in_fresh(code, **kw))
    return {k: statistics.median(v) for k, v in samples.items()}


def check(value, budget, lower_is_better=True) -> str:
    if value is None:
        return "n/a"
    return "pass" if (value <= budget if lower_is_better else value >= budget) else "FAIL"


def _git_head() -> str:
    try:
        return subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True,
                              text=True).stdout.strip()
    except OSError:
        return ""


# ----------------------------------------------------------------------------- sections

def pyc_coverage(python: str = PY) -> dict:
    """Share of site-packages .py files that have a compiled .pyc for this interpreter."""
    code = r"""
import importlib.util, os, sysconfig, json
root = sysconfig.get_paths()['purelib']; n = have = 0
for d, _, files in os.walk(root):
    if '__pycache__' in d: continue
    for f in files:
        if f.endswith('.py'):
            n += 1; have += os.path.exists(importlib.util.cache_from_source(os.path.join(d, f)))
print(json.dumps({'py_files': n, 'with_pyc': have}))
"""
    out = subprocess.run([python, "-c", code], capture_output=True, text=True, check=True)
    d = json.loads(out.stdout)
    d["share"] = round(d["with_pyc"] / d["py_files"], 3) if d["py_files"] else None
    return d


def bench_imports(runs: int) -> dict:
    m = medians({"nkteach": "import nkteach", "pandas": "import pandas", "stack": STACK,
                 "nbformat": "import nbformat", "nkteach.widgets": "import nkteach.widgets"}, runs)
    empty = tempfile.mkdtemp(prefix="nkbench-nopyc-")
    try:
        # An empty pycache_prefix hides every .pyc (and, with PYTHONDONTWRITEBYTECODE, writes none):
        # the cost of a venv installed without compiled bytecode.
        nopyc = medians({"stack": STACK}, max(3, runs // 2), args=("-X", f"pycache_prefix={empty}"),
                        env=_env(PYTHONDONTWRITEBYTECODE="1"))
    finally:
        shutil.rmtree(empty, ignore_errors=True)
    ratio = m["nkteach"] / m["pandas"]
    return {"runs": runs, "median_s": {k: round(v, 4) for k, v in m.items()},
            "nkteach_over_pandas": round(ratio, 3),
            "stack_without_pyc_s": round(nopyc["stack"], 3),
            "stack_pyc_slowdown": round(nopyc["stack"] / m["stack"], 2),
            "pyc_coverage": pyc_coverage(),
            "PYTHONDONTWRITEBYTECODE": os.environ.get("PYTHONDONTWRITEBYTECODE", "")}


def _locked(names: list[str]) -> list[str]:
    """``name==version`` pins for ``names`` from requirements/test.txt (the lock)."""
    path = ROOT / "requirements" / "test.txt"
    lock = path.read_text() if path.exists() else ""
    pins = []
    for n in names:
        m = re.search(rf"^({re.escape(n)}==[^\s;]+)", lock, re.M | re.I)
        pins.append(m.group(1) if m else n)
    return pins


def bench_jsonschema(runs: int) -> dict:
    """import nbformat / jsonschema with and without rfc3987-syntax + lark, in the venv and in a
    throwaway copy of it that differs only by those two packages (removed, or re-installed at the
    locked versions if `make setup` already removed them from the venv)."""
    venv = ROOT / ".venv"
    if not venv.is_dir():
        return {"skipped": "no .venv to copy"}
    present = subprocess.run([PY, "-c", "import rfc3987_syntax"], capture_output=True).returncode == 0
    tmp = Path(tempfile.mkdtemp(prefix="nkbench-venv-"))
    copy = tmp / "venv"
    pip_env = _env(PIP_DISABLE_PIP_VERSION_CHECK="1", PYTHONDONTWRITEBYTECODE="")
    pip_env.pop("PYTHONDONTWRITEBYTECODE")
    try:
        shutil.copytree(venv, copy, symlinks=True)
        py = str(copy / "bin" / "python")
        if present:
            subprocess.run([py, "-m", "pip", "uninstall", "-y", "-q", *RFC_PACKAGES], check=True,
                           capture_output=True, env=pip_env)
            py_with, py_without = PY, py
        else:
            subprocess.run([py, "-m", "pip", "install", "-q", "--no-deps", *_locked(RFC_PACKAGES)],
                           check=True, capture_output=True, env=pip_env)
            py_with, py_without = py, PY
        fig = "import plotly.graph_objects as go\nf = go.Figure(go.Bar(x=[1, 2], y=[3, 4]))"
        snippets = {"nbformat": ("", "import nbformat"), "jsonschema": ("", "import jsonschema"),
                    # what a plain notebook pays on its first displayed figure / FigureWidget
                    "first_fig_repr": (fig, "f._repr_mimebundle_()"),
                    "first_figurewidget": (fig, "go.FigureWidget(f)")}
        samples: dict = {"with": {k: [] for k in snippets}, "without": {k: [] for k in snippets}}
        for _ in range(runs):   # interleaved, so machine load hits both alike
            for k, (setup, code) in snippets.items():
                samples["with"][k].append(time_in_fresh(code, setup=setup, python=py_with))
                samples["without"][k].append(time_in_fresh(code, setup=setup, python=py_without))
        med = {w: {k: round(statistics.median(v), 4) for k, v in d.items()} for w, d in samples.items()}
        pip_check = subprocess.run([py_without, "-m", "pip", "check"], capture_output=True, text=True,
                                   env=pip_env)
        # What must still work without them: notebook validation and jupyter-events' schemas.
        smoke = subprocess.run([py_without, "-c", (
            "import nbformat, glob, jupyter_events, jsonschema\n"
            "for p in sorted(glob.glob('lessons/*.ipynb')):\n"
            "    nbformat.validate(nbformat.read(p, as_version=4))\n"
            "from jupyter_events.logger import EventLogger; EventLogger()\n"
            "print('iri' in jsonschema.FormatChecker.checkers)")],
            capture_output=True, text=True, cwd=ROOT)
        return {
            "packages": RFC_PACKAGES, "in_project_venv": present, "runs": runs,
            "with_rfc3987_syntax_s": med["with"], "without_rfc3987_syntax_s": med["without"],
            "saved_s": round(med["with"]["nbformat"] - med["without"]["nbformat"], 3),
            "pip_check": (pip_check.stdout + pip_check.stderr).strip(),
            "pip_check_ok": pip_check.returncode == 0,
            "validation_smoke": "ok" if smoke.returncode == 0 else smoke.stderr[-1500:],
            "iri_format_checked_without": smoke.stdout.strip() == "True",
        }
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def bench_datasets(runs: int) -> dict:
    sys.path.insert(0, str(ROOT))
    import nkteach

    ds = nkteach.datasets()
    names = list(ds["name"]) if hasattr(ds, "columns") else list(ds)
    rows = []
    for name in names:
        cold = statistics.median(
            time_in_fresh(f"nkteach.load({name!r})", setup="import pandas, nkteach")
            for _ in range(min(runs, 3)))
        warm_code = (f"nkteach.load({name!r})\nimport time\nts = []\nfor _ in range(7):\n"
                     f"    t0 = time.perf_counter(); nkteach.load({name!r})\n"
                     f"    ts.append(time.perf_counter() - t0)\n"
                     f"ts.sort()\nprint('NKWARM', ts[3])")
        out = subprocess.run([PY, "-c", "import pandas, nkteach\n" + warm_code], capture_output=True,
                             text=True, cwd=ROOT, check=True)
        warm = float(re.findall(r"NKWARM (\S+)", out.stdout)[-1])
        rows.append({"dataset": name, "cold_ms": round(cold * 1e3, 1), "warm_ms": round(warm * 1e3, 2),
                     "warm_pass": check(warm * 1e3, BUDGETS["warm_load_ms"])})
    return {"cold_runs": min(runs, 3), "rows": rows}


PROBE = "import sys; print('NKPROBE', 'nbformat' in sys.modules, 'jsonschema' in sys.modules)"


def _run_notebook(path: Path) -> tuple[float, int, bool | None]:
    """nbclient run time (kernel start included), error outputs, and whether the kernel ended
    up importing nbformat (plotly's renderers do; nkteach.show should not)."""
    import nbformat
    from nbclient import NotebookClient

    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(nb, timeout=600, kernel_name="python3", allow_errors=True,
                            resources={"metadata": {"path": str(path.parent)}})
    probe = nbformat.v4.new_code_cell(PROBE)
    nb.cells.append(probe)
    t0 = time.perf_counter()
    with client.setup_kernel():
        for i, cell in enumerate(nb.cells[:-1]):
            client.execute_cell(cell, i)
        secs = time.perf_counter() - t0
        client.execute_cell(probe, len(nb.cells) - 1)
    text = "".join(o.get("text", "") for o in probe.outputs if o.get("output_type") == "stream")
    m = re.search(r"NKPROBE (\w+)", text)
    errors = sum(o.get("output_type") == "error" for c in nb.cells for o in c.get("outputs", []))
    return secs, errors, (m.group(1) == "True") if m else None


def bench_lessons(runs: int) -> dict:
    # The bare notebook runs before, between and after the lessons; its median is the baseline.
    bare, rows = [], []
    bare.append(_run_notebook(BARE)[0])
    for i, path in enumerate(LESSONS):
        secs, errors, nbf = _run_notebook(path)
        rows.append({"lesson": path.stem, "run_s": round(secs, 2), "errors": errors,
                     "kernel_imported_nbformat": nbf})
        if i == len(LESSONS) // 2:
            bare.append(_run_notebook(BARE)[0])
    bare.append(_run_notebook(BARE)[0])
    base = statistics.median(bare)
    for r in rows:
        r["ratio"] = round(r["run_s"] / base, 2)
        r["pass"] = check(r["ratio"], BUDGETS["lesson_ratio"])
    return {"bare_stack_s": [round(b, 2) for b in bare], "bare_median_s": round(base, 2), "rows": rows}


def bench_explorers(runs: int) -> dict:
    sys.path.insert(0, str(BENCH))
    from explorers import (
        MAP_EXPLORERS,
        measure_explorers,  # bench/explorers.py (widgets engineer)
    )

    import nkteach.widgets as W

    load_before = os.getloadavg()   # contention on a shared machine explains noisy timings
    rows = measure_explorers(mechanisms=(W.MECHANISM,), repeats=max(5, runs))
    # The floor of this method: an empty cell's execute-to-idle round trip in the same kind of
    # kernel, measured in this run, so every update is also reported as a multiple of it.
    cell, _ = _kernel_cell_s("pass", 1, cells=10)
    # the empty-callback floor (bench/explorers.py): a widget update whose observer does nothing
    floor_ms = next((r["update_new_ms"] for r in rows if r["explorer"] == "(floor)"), None) or cell * 1e3
    for r in rows:
        if r["explorer"] in ("(import)", "(floor)"):
            continue
        kind = "map" if r["explorer"] in MAP_EXPLORERS else "chart"
        r["budget_kind"] = kind
        r["update_new_budget_ms"] = BUDGETS[f"update_{kind}_ms"]
        for k, budget in (("new", BUDGETS[f"update_{kind}_ms"]), ("revisit", BUDGETS["update_ms"])):
            v = r.get(f"update_{k}_ms")
            r[f"update_{k}_pass"] = check(v, budget) if v is not None else ""
            r[f"update_{k}_over_floor"] = round(v / floor_ms, 1) if v is not None and floor_ms else None
        r["update_pass"] = r["update_new_pass"]   # older readers: update_ms is the new-state one
    # In-process cost of one update (no kernel, no messages): median of setting the same control.
    inproc = subprocess.run([PY, "-c", INPROC_UPDATE], capture_output=True, text=True, cwd=ROOT)
    return {"mechanism": W.MECHANISM, "rows": [r for r in rows if r["explorer"] != "(floor)"],
            "empty_callback_floor_ms": round(floor_ms, 1), "kernel_roundtrip_ms": round(cell * 1e3, 1),
            "load_average_1min": [round(load_before[0], 1), round(os.getloadavg()[0], 1)],
            "in_process_update_ms": json.loads(inproc.stdout.strip().splitlines()[-1])
            if inproc.returncode == 0 else inproc.stderr[-800:]}


# Update cost without a kernel, per explorer: {"new": ms, "revisit": ms}. "new" = an update
# that ran the render (chart/map build + bundle), "revisit" = one served from the cache; told
# apart by the explorer's own render counter.
INPROC_UPDATE = r"""
import json, statistics, sys, time
sys.path.insert(0, 'bench')
from explorers import UPDATES, MAP_EXPLORERS
import nkteach.widgets as W
out = {}
for name, make in W.explorers().items():
    if name not in UPDATES or name == 'naming_toggle':
        continue
    ex = make(**({'tiles': None} if name in MAP_EXPLORERS else {}))
    ctrl, values = UPDATES[name]; ts = {"new": [], "revisit": []}
    for i in range(len(values) + 8):
        n = ex.renders
        t0 = time.perf_counter(); ex.controls[ctrl].value = values[i % len(values)]
        dt = time.perf_counter() - t0
        ts["new" if ex.renders > n else "revisit"].append(dt)
    out[name] = {k: round(statistics.median(v) * 1e3, 1) if v else None for k, v in ts.items()}
print(json.dumps(out))
"""


def _kernel_cell_s(code: str, repeats: int, cells: int = 1) -> tuple[float, str | None]:
    """Median seconds from execute to idle of ``code`` as the first cell(s) of a fresh kernel."""
    sys.path.insert(0, str(BENCH))
    from explorers import _run
    from jupyter_client.manager import start_new_kernel

    times, err = [], None
    for _ in range(repeats):
        km, kc = start_new_kernel(kernel_name="python3", cwd=str(ROOT / "lessons"))
        try:
            for _ in range(cells):
                ms, _, e = _run(kc, code)
                times.append(ms / 1e3)
                err = err or e
        finally:
            kc.stop_channels()
            km.shutdown_kernel(now=True)
    return statistics.median(times), err


def bench_first_plot(runs: int) -> dict:
    reps = max(3, runs // 2)
    nk, nk_err = _kernel_cell_s("import nkteach\nnkteach.show(nkteach.charts.facebook_poll())", reps)
    nk_warm_imports, _ = _kernel_cell_s(
        "import nkteach, nkteach.charts, nkteach.widgets\nimport time\n_t = time.perf_counter()\n"
        "nkteach.show(nkteach.charts.facebook_poll())\nprint(time.perf_counter() - _t)", reps)
    plain, plain_err = _kernel_cell_s(
        "import plotly.graph_objects as go\ngo.Figure(go.Bar(x=['a', 'b'], y=[1, 2])).show()", reps)
    return {"repeats": reps,
            "nkteach_show_first_plot_s": round(nk, 3), "nkteach_error": nk_err,
            "pass": check(nk, BUDGETS["first_plot_s"]),
            "plain_fig_show_first_plot_s": round(plain, 3), "plain_error": plain_err,
            "note": "first cell of a fresh kernel, execute request to idle, imports included"}


def _dir_size(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file() and "__pycache__" not in f.parts)


def _dist_size(dist) -> int:
    total = 0
    for f in dist.files or []:
        p = Path(dist.locate_file(f))
        if p.is_file():
            total += p.stat().st_size
    return total


def _closure(names: list[str]) -> set[str]:
    """Distributions needed at run time by ``names`` (no extras), normalised names."""
    from packaging.requirements import Requirement

    norm = lambda n: re.sub(r"[-_.]+", "-", n).lower()  # noqa: E731
    seen, todo = set(), [norm(n) for n in names]
    while todo:
        n = todo.pop()
        if n in seen:
            continue
        try:
            dist = metadata.distribution(n)
        except metadata.PackageNotFoundError:
            continue
        seen.add(n)
        for req in dist.requires or []:
            r = Requirement(req)
            if r.marker and not r.marker.evaluate({"extra": ""}):
                continue
            todo.append(norm(r.name))
    return seen


def installed_sizes() -> dict:
    """Method: a distribution's size is the sum of the files in its RECORD (what pip installed,
    bytecode included). The design stack is the run-time dependency closure of DESIGN_STACK; the
    lesson environment is the closure of nkteach + jupyterlab. nkteach's additions are the
    distributions in the latter but not the former, plus nkteach's own files (package + data,
    i.e. what its wheel carries). Extras (jsonschema[format-nongpl] → rfc3987-syntax) are not
    followed, so they show up under "installed beyond any closure" with the test tooling."""
    norm = lambda n: re.sub(r"[-_.]+", "-", n).lower()  # noqa: E731
    sizes = {norm(d.metadata["Name"]): _dist_size(d) for d in metadata.distributions()}
    design = _closure(DESIGN_STACK)
    lessons_env = _closure(["nkteach", "jupyterlab"])
    own = _dir_size(ROOT / "nkteach") + _dir_size(ROOT / "data")
    extra_dists = sorted(lessons_env - design - {"nkteach"})
    prefix = Path(sys.prefix)
    mb = lambda b: round(b / 2**20, 1)  # noqa: E731
    return {
        "venv_mb": mb(sum(f.stat().st_size for f in prefix.rglob("*") if f.is_file() and not f.is_symlink())),
        "design_stack_mb": mb(sum(sizes.get(n, 0) for n in design)),
        "design_stack_dists": len(design),
        "nkteach_own_files_mb": mb(own),
        "nkteach_extra_dists": extra_dists,
        "nkteach_extra_dists_mb": mb(sum(sizes.get(n, 0) for n in extra_dists)),
        "beyond_lesson_env_mb": mb(sum(s for n, s in sizes.items() if n not in lessons_env)),
        "beyond_lesson_env_top": sorted(((n, mb(s)) for n, s in sizes.items() if n not in lessons_env),
                                        key=lambda x: -x[1])[:12],
        "rfc3987_syntax_and_lark_mb": mb(sum(sizes.get(n, 0) for n in RFC_PACKAGES)),
        "method": installed_sizes.__doc__.strip(),
    }


def bench_sizes(runs: int) -> dict:
    sys.path.insert(0, str(ROOT))
    from nkteach import maps

    calls = {"overview()": lambda: maps.overview(tiles=None),
             **{f"control_by_period({p!r})": (lambda p=p: maps.control_by_period(p, tiles=None))
                for p in maps.PERIODS},
             "corridors()": lambda: maps.corridors(tiles=None),
             "places_map(KEY_PLACES)": lambda: maps.places_map(list(maps.KEY_PLACES), tiles=None)}
    map_rows = []
    for label, fn in calls.items():
        m = fn()
        page = m.get_root().render()
        cell = m._repr_html_()
        map_rows.append({"map": label, "html_kb": round(len(page.encode()) / 1024, 1),
                         "notebook_output_kb": round(len(cell.encode()) / 1024, 1),
                         "pass": check(len(cell.encode()) / 1024, BUDGETS["map_kb"])})
    nb_rows = [{"notebook": p.name, "kb": round(p.stat().st_size / 1024, 1),
                "pass": check(p.stat().st_size / 1024, BUDGETS["notebook_kb"])} for p in LESSONS]
    return {"maps": map_rows, "notebooks": nb_rows, "installed": installed_sizes()}


def bench_nbval(runs: int) -> dict:
    t0 = time.perf_counter()
    out = subprocess.run([PY, "-m", "pytest", "-q", "-p", "no:cacheprovider", "lessons/"],
                         cwd=ROOT, capture_output=True, text=True)
    secs = time.perf_counter() - t0
    tail = out.stdout.strip().splitlines()[-1] if out.stdout.strip() else out.stderr[-500:]
    return {"seconds": round(secs, 1), "exit_code": out.returncode, "summary": tail,
            "cores": os.cpu_count(), "pass": check(secs, BUDGETS["nbval_s"])}


def bench_live_browser(runs: int) -> dict:
    """Live explorers of the static site in headless Chromium (issue 20): per explorer the
    mechanism, page weight (gzip) and median update time after a control change
    (bench/live_browser.py; ≈3 min, the stored states are computed first)."""
    sys.path.insert(0, str(BENCH))
    from live_browser import BUDGET_MS, measure

    from nkteach.live import SITES

    rows = measure(list(SITES), changes=max(40, runs))
    for r in rows:
        r["pass"] = "ok" if r["ok"] else "OVER"
    return {"rows": rows, "budget_ms": BUDGET_MS}


SECTIONS = {"imports": bench_imports, "jsonschema": bench_jsonschema, "datasets": bench_datasets,
            "lessons": bench_lessons, "explorers": bench_explorers, "first_plot": bench_first_plot,
            "sizes": bench_sizes, "nbval": bench_nbval, "live_browser": bench_live_browser}


# ----------------------------------------------------------------------------- report

def table(res: dict) -> str:
    out = ["| measure | value | budget | result |", "|---|---:|---:|---|"]
    add = lambda m, v, b, r: out.append(f"| {m} | {v} | {b} | {r} |")  # noqa: E731
    if "imports" in res:
        i = res["imports"]
        s = i["median_s"]
        add("import nkteach / import pandas", f"{s['nkteach'] * 1e3:.1f} ms / {s['pandas'] * 1e3:.0f} ms = "
            f"{i['nkteach_over_pandas']:.2f}×", f"≤ {BUDGETS['import_ratio']}×",
            check(i["nkteach_over_pandas"], BUDGETS["import_ratio"]))
        add("import stack (pandas, plotly.go, folium, ipywidgets)", f"{s['stack']:.2f} s", "", "")
        add("  same without .pyc", f"{i['stack_without_pyc_s']:.2f} s ({i['stack_pyc_slowdown']}×)", "", "")
        add("  site-packages .py with .pyc", f"{i['pyc_coverage']['share']:.1%}", "", "")
        add("import nkteach.widgets", f"{s['nkteach.widgets']:.2f} s", "", "")
        add("import nbformat", f"{s['nbformat']:.2f} s", "", "")
    if "jsonschema" in res and "saved_s" in res["jsonschema"]:
        j = res["jsonschema"]
        add("import nbformat with / without rfc3987-syntax+lark",
            f"{j['with_rfc3987_syntax_s']['nbformat']:.2f} s / "
            f"{j['without_rfc3987_syntax_s']['nbformat']:.2f} s", "",
            f"pip check {'ok' if j['pip_check_ok'] else 'FAILS'}; "
            f"project venv has them: {j['in_project_venv']}")
        for k, label in (("first_fig_repr", "first figure displayed the plain way (repr)"),
                         ("first_figurewidget", "first go.FigureWidget")):
            if k in j["with_rfc3987_syntax_s"]:
                add(f"  {label}, with / without", f"{j['with_rfc3987_syntax_s'][k]:.2f} s / "
                    f"{j['without_rfc3987_syntax_s'][k]:.2f} s", "", "")
    if "datasets" in res:
        for r in res["datasets"]["rows"]:
            add(f"load {r['dataset']} cold / warm", f"{r['cold_ms']:.0f} ms / {r['warm_ms']:.2f} ms",
                f"warm ≤ {BUDGETS['warm_load_ms']:.0f} ms", r["warm_pass"])
    if "lessons" in res:
        L = res["lessons"]
        add("bare_stack.ipynb (nbclient, median of 3)", f"{L['bare_median_s']:.1f} s", "", "")
        for r in L["rows"]:
            add(f"lesson {r['lesson']}" + (f" ({r['errors']} errors)" if r["errors"] else "")
                + (" (kernel imported nbformat)" if r.get("kernel_imported_nbformat") else ""),
                f"{r['run_s']:.1f} s = {r['ratio']:.2f}×", f"≤ {BUDGETS['lesson_ratio']}×", r["pass"])
    if "explorers" in res:
        for r in res["explorers"]["rows"]:
            err = " (error)" if r.get("error") else ""
            add(f"explorer {r['explorer']} first paint{err}", f"{r['first_paint_ms']:.0f} ms", "", "")
            if "update_new_ms" not in r:    # results.json from before the cache split
                if r.get("update_ms") is not None:
                    add(f"  {r['explorer']} update (not split by state)", f"{r['update_ms']:.0f} ms",
                        f"≤ {BUDGETS['update_ms']:.0f} ms", r["update_pass"])
                continue
            for k, label in (("new", "update (new state)"), ("revisit", "update (revisit)")):
                v = r.get(f"update_{k}_ms")
                if v is not None:
                    budget = (r.get("update_new_budget_ms", BUDGETS["update_ms"]) if k == "new"
                              else BUDGETS["update_ms"])
                    ratio = r.get(f"update_{k}_over_floor")
                    add(f"  {r['explorer']} {label}, median of {r[f'update_{k}_n']}"
                        + (f" ({r['budget_kind']} budget)" if k == "new" and "budget_kind" in r else ""),
                        f"{v:.0f} ms" + (f" = {ratio:.1f}× floor" if ratio is not None else ""),
                        f"≤ {budget:.0f} ms", r[f"update_{k}_pass"])
    if "explorers" in res and "kernel_roundtrip_ms" in res["explorers"]:
        e = res["explorers"]
        if "empty_callback_floor_ms" in e:
            add("  floor: widget update with an empty callback, same kernel, same run",
                f"{e['empty_callback_floor_ms']:.1f} ms", "", "")
        add("  empty cell round trip in a kernel", f"{e['kernel_roundtrip_ms']:.0f} ms", "", "")
        if "load_average_1min" in e:
            a, b = e["load_average_1min"]
            add("  machine load average (1 min) at start / end", f"{a} / {b} on {os.cpu_count()} cores",
                "", "")
        if isinstance(e["in_process_update_ms"], dict):
            ip = e["in_process_update_ms"]
            for k, label in (("new", "new state"), ("revisit", "revisit")):
                if all(isinstance(v, dict) for v in ip.values()):
                    txt = ", ".join(f"{n} {v[k]:.0f}" for n, v in ip.items() if v.get(k) is not None)
                elif k == "new":   # older results.json: one number per explorer
                    txt = ", ".join(f"{n} {v:.0f}" for n, v in ip.items())
                else:
                    continue
                add(f"  update in-process (no kernel), {label}, per explorer", txt + " ms",
                    f"≤ {BUDGETS['update_ms']:.0f} ms", "")
    if "first_plot" in res:
        f = res["first_plot"]
        add("first plot, fresh kernel: nkteach.show", f"{f['nkteach_show_first_plot_s']:.2f} s",
            f"goal ≤ {BUDGETS['first_plot_s']} s", f["pass"])
        add("  plain plotly fig.show() for comparison", f"{f['plain_fig_show_first_plot_s']:.2f} s", "", "")
    if "sizes" in res:
        z = res["sizes"]
        for r in z["maps"]:
            add(f"map {r['map']} (notebook output; page)",
                f"{r['notebook_output_kb']:.0f} KB; {r['html_kb']:.0f} KB",
                f"≤ {BUDGETS['map_kb']:.0f} KB", r["pass"])
        for r in z["notebooks"]:
            add(f"committed {r['notebook']}", f"{r['kb']:.1f} KB", f"≤ {BUDGETS['notebook_kb']:.0f} KB",
                r["pass"])
        ins = z["installed"]
        add("whole venv (bytecode included)", f"{ins['venv_mb']} MB", "", "")
        add(f"design stack closure ({ins['design_stack_dists']} dists)", f"{ins['design_stack_mb']} MB",
            "", "")
        add("nkteach additions: own files + extra dists",
            f"{ins['nkteach_own_files_mb']} MB + {ins['nkteach_extra_dists_mb']} MB "
            f"{ins['nkteach_extra_dists']}", "", "")
        add("beyond the lesson environment (test/bench tools, extras)",
            f"{ins['beyond_lesson_env_mb']} MB", "", "")
    if "live_browser" in res:
        for r in res["live_browser"]["rows"]:
            add(f"live explorer on the site: {r['explorer']} ({r['mechanism']}), median update",
                f"{r['median_ms']} ms; {r['inline_kb_gz']} KB gz inline",
                f"≤ {res['live_browser']['budget_ms']} ms", r["pass"])
    if "nbval" in res:
        n = res["nbval"]
        add(f"nbval over all lessons ({n['summary']})", f"{n['seconds']:.0f} s on {n['cores']} cores",
            f"goal ≤ {BUDGETS['nbval_s']:.0f} s", n["pass"])
    return "\n".join(out)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--only", nargs="+", choices=list(SECTIONS), default=list(SECTIONS))
    ap.add_argument("--runs", type=int, default=5, help="fresh-process repeats (≥ 5 for imports)")
    ap.add_argument("--output", type=Path, default=RESULTS)
    a = ap.parse_args(argv)
    res: dict = {"meta": {"when": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
                          "git": _git_head(), "python": platform.python_version(), "cores": os.cpu_count(),
                          "machine": platform.machine(), "budgets": BUDGETS}}
    if a.output.exists() and set(a.only) != set(SECTIONS):
        # a partial run updates the sections it measured and keeps the others
        res = {**json.loads(a.output.read_text()), "meta": res["meta"]}
    for name in a.only:
        t0 = time.perf_counter()
        print(f"== {name} ...", file=sys.stderr, flush=True)
        try:
            res[name] = SECTIONS[name](a.runs)
        except Exception as e:  # one broken section must not hide the others
            res[name] = {"error": f"{type(e).__name__}: {e}"}
            print(f"   {name} failed: {e}", file=sys.stderr)
        print(f"   {time.perf_counter() - t0:.0f} s", file=sys.stderr, flush=True)
    a.output.write_text(json.dumps(res, indent=1, ensure_ascii=False) + "\n")
    ok = {k: v for k, v in res.items() if not (isinstance(v, dict) and "error" in v)}
    print(table(ok))
    for k, v in res.items():
        if isinstance(v, dict) and "error" in v:
            print(f"{k}: {v['error']}")
    print(f"\nwrote {a.output.relative_to(ROOT) if a.output.is_relative_to(ROOT) else a.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
