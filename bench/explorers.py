"""Server-side cost of the explorers in a real kernel, for both update mechanisms.

    .venv/bin/python bench/explorers.py [--mechanism output figurewidget] [--only arms poll]

``measure_explorers()`` starts a fresh IPython kernel per mechanism (so the first explorer
pays the session's one-off costs, as a student would), then per explorer times

* ``first_paint_ms``: ``display(W.<explorer>())`` from execute request to kernel idle, i.e.
  build + first render + every display/comm message serialised and sent;
* ``update_new_ms``: median of setting one control to a value this explorer has not shown yet
  (the render runs: chart/map built, bundle made and sent);
* ``update_revisit_ms``: median of setting it again to values already shown (served from the
  explorer's cache of displayed states: only the cached bundle is sent);
* ``update_ms``: kept for older readers of results.json; equals ``update_new_ms``;

and records the bytes the kernel sent on iopub for each. Browser-side drawing is not
included (no front end here). Returns a list of dicts; ``--json`` prints them as JSON.
"""
from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

sys.path.insert(0, str(ROOT))
from nkteach.widgets._registry import EXPLORERS  # noqa: E402  (the one list of explorers)

# One control per explorer and distinct valid values, from the registry (``ExplorerSpec.sample``).
# The first pass over the values measures new states (a value equal to the control's default
# is a revisit and is left out of it); later passes measure revisits.
UPDATES = {s.name: (s.sample[0], list(s.sample[1])) for s in EXPLORERS}
#: explorers that redraw a folium map on an update (their budget is the map one)
MAP_EXPLORERS = {s.name for s in EXPLORERS if s.draws_map or s.refreshes_maps}


def _run(kc, code: str, timeout: float = 300) -> tuple[float, int, str | None]:
    """Execute ``code``; return (wall ms until idle, iopub bytes, error text or None)."""
    t0 = time.perf_counter()
    msg_id = kc.execute(code, store_history=False)
    nbytes, err = 0, None
    while True:
        msg = kc.get_iopub_msg(timeout=timeout)
        if msg["parent_header"].get("msg_id") != msg_id:
            continue
        nbytes += len(json.dumps(msg["content"], default=str))
        if msg["msg_type"] == "error":
            err = "\n".join(msg["content"]["traceback"][-3:])
        if msg["msg_type"] == "status" and msg["content"]["execution_state"] == "idle":
            return (time.perf_counter() - t0) * 1e3, nbytes, err


def _eval(kc, expr: str, timeout: float = 60):
    """Evaluate ``expr`` in the kernel (user_expressions) and return its repr text."""
    msg_id = kc.execute("", store_history=False, user_expressions={"x": expr})
    while True:
        msg = kc.get_shell_msg(timeout=timeout)
        if msg["parent_header"].get("msg_id") == msg_id:
            res = msg["content"]["user_expressions"]["x"]
            return res["data"]["text/plain"] if res.get("status") == "ok" else None


def measure_explorers(names=None, mechanisms=("output", "figurewidget"), repeats: int = 5,
                      setup: str = "") -> list[dict]:
    """Per mechanism and explorer: first_paint_ms, first_paint_bytes, update_new_ms,
    update_revisit_ms (with their sample counts), update_ms (= new), update_bytes (new).

    ``setup``: extra code run in the kernel first (e.g. to point nkteach at another data dir).
    The first row of each mechanism, ``explorer="(import)"``, is ``import nkteach.widgets``."""
    from jupyter_client.manager import start_new_kernel

    names = list(names or UPDATES)
    rows = []
    for mech in mechanisms:
        km, kc = start_new_kernel(kernel_name="python3")
        try:
            _run(kc, "from IPython.display import display\n" + setup)
            ms, nb, err = _run(kc, f"import nkteach.widgets as W\nW.MECHANISM = {mech!r}")
            rows.append(dict(mechanism=mech, explorer="(import)", first_paint_ms=round(ms, 1),
                             first_paint_bytes=nb, update_ms=None, update_bytes=None,
                             update_new_ms=None, update_revisit_ms=None, error=err))
            # The floor of an update: a displayed widget whose observer does nothing, set to a
            # new value (execute request, trait change, echo message to the front end, idle).
            _run(kc, "import ipywidgets as _w\n_floor = _w.IntSlider(max=10**6)\n"
                     "_floor.observe(lambda _c: None, names='value')\ndisplay(_floor)")
            floor = [_run(kc, f"_floor.value = {i}")[0] for i in range(1, 12)]
            rows.append(dict(mechanism=mech, explorer="(floor)", first_paint_ms=None,
                             first_paint_bytes=None, update_ms=None, update_bytes=None,
                             update_new_ms=round(statistics.median(floor), 1),
                             update_new_n=len(floor), update_revisit_ms=None, error=None))
            for name in names:
                ms, nb, err = _run(kc, f"e_{name} = W.explorers()[{name!r}]()\ndisplay(e_{name})")
                new, new_bytes, again, again_bytes = [], [], [], []
                if not err and name in UPDATES:
                    ctrl, values = UPDATES[name]
                    default = _eval(kc, f"e_{name}.controls[{ctrl!r}].value")
                    seen = {default}
                    for i in range(len(values) + max(repeats, len(values))):
                        v = values[i % len(values)]
                        ums, ub, uerr = _run(kc, f"e_{name}.controls[{ctrl!r}].value = {v!r}")
                        err = err or uerr
                        fresh = repr(v)   # as the kernel prints the default (plain values)
                        if fresh not in seen:
                            new.append(ums)
                            new_bytes.append(ub)
                            seen.add(fresh)
                        else:
                            again.append(ums)
                            again_bytes.append(ub)
                med = lambda xs: round(statistics.median(xs), 1) if xs else None  # noqa: E731
                rows.append(dict(mechanism=mech, explorer=name, first_paint_ms=round(ms, 1),
                                 first_paint_bytes=nb, update_new_ms=med(new), update_new_n=len(new),
                                 update_revisit_ms=med(again), update_revisit_n=len(again),
                                 update_ms=med(new),
                                 update_bytes=int(statistics.median(new_bytes)) if new_bytes else None,
                                 update_revisit_bytes=int(statistics.median(again_bytes))
                                 if again_bytes else None,
                                 error=err))
        finally:
            kc.stop_channels()
            km.shutdown_kernel(now=True)
    return rows


def table(rows) -> str:
    out = ["| mechanism | explorer | first paint ms | first paint kB | update (new state) ms "
           "| update (revisit) ms | update kB |", "|---|---|---:|---:|---:|---:|---:|"]
    for r in rows:
        kb = lambda b: "" if b is None else f"{b / 1024:,.0f}"  # noqa: E731
        ms = lambda x: "" if x is None else f"{x:,.0f}"  # noqa: E731
        flag = " (error)" if r["error"] else ""
        out.append(f"| {r['mechanism']} | {r['explorer']}{flag} | {ms(r['first_paint_ms'])} | "
                   f"{kb(r['first_paint_bytes'])} | {ms(r.get('update_new_ms'))} | "
                   f"{ms(r.get('update_revisit_ms'))} | {kb(r['update_bytes'])} |")
    return "\n".join(out)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--mechanism", nargs="+", default=["output", "figurewidget"])
    ap.add_argument("--only", nargs="+", default=None)
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--setup", default="", help="code run in the kernel first")
    ap.add_argument("--json", action="store_true")
    a = ap.parse_args(argv)
    rows = measure_explorers(a.only, a.mechanism, a.repeats, a.setup)
    print(json.dumps(rows, indent=1) if a.json else table(rows))
    return 1 if any(r["error"] for r in rows) else 0


if __name__ == "__main__":
    sys.exit(main())
