"""Live explorers in headless Chromium: mechanism, page weight and update time (issue 20 item 3).

    PYTHONPATH=. .venv/bin/python bench/live_browser.py [--only forecast_explorer ...] [--changes 40] [--json]

Per explorer with a live version (``nkteach.live.SITES``) it builds a standalone page (the
explorer's live markup + plotly.js + ``site/static/nkteach-live.js``, served from 127.0.0.1,
every other request aborted), then moves one random control at a time ``--changes`` times as a
user would (radio, option, checkbox, button, slider) and reads the runtime's own timing of
each update: from the control's change event to the chart drawn (``Plotly.react`` resolved),
the map HTML in place or the summary written.

Reported: ``mechanism``; ``states`` (stored, or "view"); ``inline_kb_gz`` (the explorer's
markup with its JSON inline, gzip -9); ``lazy_kb_gz`` (the same-site JSON file when the
explorer loads lazily); ``median_ms`` / ``p90_ms`` of the updates; the budgets: ≤ 1 MB gzip
per lesson page (or lazy), ≤ 100 ms median update. The runtime (``nkteach-live.js``) is
reported once; plotly.min.js is on the site already and not counted.
"""
from __future__ import annotations

import argparse
import gzip
import json
import random
import statistics
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from nkteach.live import SITES, describe, live_html  # noqa: E402
from nkteach.live.page import serve, write_page  # noqa: E402
from nkteach.markup import script_json  # noqa: E402
from nkteach.live.states import RUNTIME_FILE  # noqa: E402

BUDGET_MS = 100
BUDGET_KB = 1024


def _gz_kb(text: str) -> float:
    return len(gzip.compress(text.encode("utf-8"), 9)) / 1024


def measure(names: list[str], changes: int = 40, seed: int = 20) -> list[dict]:
    from playwright.sync_api import sync_playwright

    from tests.support import browser
    from tests.support.live import set_choice

    rows = []
    with sync_playwright() as p, tempfile.TemporaryDirectory() as tmp:
        b = browser.launch(p)
        for name in names:
            desc = describe(name)
            site = SITES[name]
            folder = Path(tmp) / name
            write_page(folder, [desc])
            row = {"explorer": name, "mechanism": site.mechanism,
                   "states": len(desc["states"]) if desc["states"] else "view",
                   "inline_kb_gz": round(_gz_kb(live_html(desc)), 1),
                   "lazy_kb_gz": round(_gz_kb(script_json(desc)), 1) if site.lazy else None}
            with serve(folder) as base:
                ctx = b.new_context(viewport={"width": 1200, "height": 900})
                routes = browser.install_offline_routes(ctx)
                page = ctx.new_page()
                page.goto(f"{base}/index.html")
                root = page.locator(f'[data-explorer="{name}"]')
                root.scroll_into_view_if_needed()
                page.wait_for_selector("[data-nkl-ready]", timeout=30000)
                rng = random.Random(f"{seed}-{name}")
                sel = f"document.querySelector('[data-explorer=\"{name}\"]')"
                current = [c["index"] for c in desc["controls"]]
                for _ in range(changes):
                    i = rng.randrange(len(desc["controls"]))
                    ctl = desc["controls"][i]
                    k = len(ctl["labels"])
                    if ctl["kind"] == "pair":
                        lo = rng.randrange(k)
                        new = (lo, rng.randrange(lo, k))
                        if list(new) == list(current[i]):
                            continue
                    else:
                        new = rng.choice([j for j in range(k) if j != current[i]])
                    before = int(root.get_attribute("data-nkl-updates"))
                    set_choice(page, root, i, ctl, new)
                    page.wait_for_function(f"+{sel}.dataset.nklUpdates > {before}")
                    current[i] = new
                all_times = page.evaluate(f"window.nkteachLive.times[{json.dumps(name)}]")
                row["first_ms"], times = round(all_times[0], 1), all_times[1:]   # first draw apart
                row["updates"] = len(times)
                row["median_ms"] = round(statistics.median(times), 1)
                row["p90_ms"] = round(sorted(times)[int(0.9 * (len(times) - 1))], 1)
                row["outside_requests"] = len(routes.off_localhost(allow=browser.TILE_URL))
                ctx.close()
            row["ok"] = (row["median_ms"] <= BUDGET_MS
                         and (row["inline_kb_gz"] <= BUDGET_KB or row["lazy_kb_gz"] is not None)
                         and row["outside_requests"] == 0)
            rows.append(row)
        b.close()
    return rows


def table(rows: list[dict]) -> str:
    head = ("| explorer | mechanism | states | inline KB gz | lazy KB gz | first draw ms | median ms "
            "| p90 ms | updates | ok |")
    out = [head, "|" + "---|" * 10]
    for r in rows:
        out.append(f"| {r['explorer']} | {r['mechanism']} | {r['states']} | {r['inline_kb_gz']} | "
                   f"{r['lazy_kb_gz'] if r['lazy_kb_gz'] is not None else '—'} | {r['first_ms']} | "
                   f"{r['median_ms']} | {r['p90_ms']} | {r['updates']} | {'yes' if r['ok'] else 'NO'} |")
    out.append(f"\nRuntime nkteach-live.js: {_gz_kb(RUNTIME_FILE.read_text()):.1f} KB gzip (once per page). "
               f"Budgets: median update ≤ {BUDGET_MS} ms; ≤ {BUDGET_KB} KB gzip per page or lazy.")
    return "\n".join(out)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--only", nargs="*", default=None, help="explorer names (default: every live one)")
    ap.add_argument("--changes", type=int, default=40, help="control changes per explorer (default 40)")
    ap.add_argument("--json", action="store_true", help="print the rows as JSON")
    a = ap.parse_args(argv)
    names = a.only or list(SITES)
    bad = [n for n in names if n not in SITES]
    if bad:
        ap.error(f"--only: {bad} have no live version; choose from {', '.join(SITES)}")
    if a.changes < 5:
        ap.error(f"--changes must be at least 5, got {a.changes}")
    rows = measure(names, a.changes)
    print(json.dumps(rows, indent=1) if a.json else table(rows))
    return 0 if all(r["ok"] for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
