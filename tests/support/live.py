"""Helpers for the live-explorer browser tests and benchmark: set a control as a user does,
read what a live explorer shows, and read the same from the kernel explorer."""
from __future__ import annotations

import html
import re

# What a live explorer shows in the browser: summary, traces (name/x/y, table columns), the
# map page (iframe srcdoc) and the side texts.
READ_JS = """root => {
  const chart = root.querySelector('.nkl-chart');
  const traces = chart && chart.data ? chart.data.map(t => ({name: t.name === undefined ? null : t.name,
      x: t.x === undefined ? null : Array.from(t.x), y: t.y === undefined ? null : Array.from(t.y),
      header: t.header ? t.header.values : null, cells: t.cells ? t.cells.values : null})) : null;
  const frame = root.querySelector('.nkl-view .nkl-map:not([hidden]) iframe');
  return {state: root.dataset.nklState, updates: +(root.dataset.nklUpdates || 0),
          summary: root.querySelector('.nkl-summary').textContent,
          traces: traces, map: frame ? frame.getAttribute('srcdoc') : null,
          side: Array.from(root.querySelectorAll('.nkl-side')).map(e => e.textContent)};
}"""


def text_of(fragment: str) -> str:
    """The text content of an HTML fragment (tags dropped, entities decoded)."""
    return html.unescape(re.sub(r"<[^>]+>", "", fragment))


_FOLIUM_ID = re.compile(r"_[0-9a-f]{32}(?![0-9a-f])")


def same_ids(page: str | None) -> str | None:
    """A map page with folium's random element ids (``map_<32 hex>``) numbered in order of
    appearance: two renders of the same map then compare equal."""
    if page is None:
        return None
    seen: dict[str, str] = {}
    return _FOLIUM_ID.sub(lambda m: seen.setdefault(m.group(0), f"_id{len(seen)}"), page)


def srcdoc_of(map_page: str) -> str | None:
    m = re.search(r'srcdoc="([^"]*)"', map_page)
    return same_ids(html.unescape(m.group(1))) if m else None


def traces_of(data: list[dict]) -> list[dict]:
    """Trace names, x/y and table columns of plotly JSON data, as the browser read gives them."""
    out = []
    for t in data:
        out.append({"name": t.get("name"), "x": list(t["x"]) if t.get("x") is not None else None,
                    "y": list(t["y"]) if t.get("y") is not None else None,
                    "header": (t.get("header") or {}).get("values"),
                    "cells": (t.get("cells") or {}).get("values")})
    return out


def kernel_view(got: dict) -> dict:
    """``nkteach.live.state_of`` output in the shape of a browser read."""
    if "error" in got:
        return {"summary": f"⚠ {got['error']}", "traces": None, "map": None}
    return {"summary": f"Summary: {got['summary']}",
            "traces": traces_of(got["data"]) if "data" in got else None,
            "map": srcdoc_of(got["map"]) if "map" in got else None,
            "side": [text_of(s) for s in got.get("side", [])]}


def set_choice(page, root, i: int, ctl: dict, choice, *, keyboard: bool = False) -> None:
    """Set control ``i`` (description ``ctl``) of the live explorer ``root`` (a Locator) to
    ``choice`` (an index, or ``(i, j)`` for a range) as a user would: check a radio, choose an
    option, tick a box, press a button, or move a slider (with the keyboard if asked)."""
    el = root.locator(f'.nkl-ctl[data-ctl="{i}"]')
    kind = ctl["kind"]
    if kind == "radio":
        el.locator(f'input[value="{choice}"]').check()
    elif kind == "select":
        el.locator("select").select_option(index=int(choice))   # by index: a label may be a number
    elif kind == "checkbox":
        el.locator("input").set_checked(bool(choice))
    elif kind == "toggle":
        b = el.locator("button")
        if (b.get_attribute("aria-pressed") == "true") != bool(choice):
            b.click()
    elif kind == "range":
        r = el.locator("input")
        if keyboard:
            now = int(r.input_value())
            r.focus()
            for _ in range(abs(choice - now)):
                r.press("ArrowRight" if choice > now else "ArrowLeft")
        else:
            r.fill(str(choice))
    elif kind == "pair":
        # one select per end; each is chosen only if it changes, in an order that never makes
        # the page pull the other end along (from <= to): one update per end changed
        lo, hi = choice
        sel = el.locator("select")
        cur_lo = int(sel.nth(0).input_value())
        steps = [(1, hi), (0, lo)] if hi >= cur_lo else [(0, lo), (1, hi)]
        for end, v in steps:
            if int(sel.nth(end).input_value()) != v:
                sel.nth(end).select_option(index=int(v))
    else:
        raise ValueError(f"unknown control kind {kind!r}")


def random_keys(desc: dict, rng, k: int) -> list[str]:
    """``k`` random reachable state keys of a live description: drawn from the stored states
    (all of them first when there are fewer than ``k``), or, for a declarative view, from the
    controls' choices (a range's two ends in order)."""
    keys = sorted(desc["states"])
    if keys:
        picks = rng.sample(keys, min(k, len(keys)))
        return picks + rng.choices(keys, k=k - len(picks))
    out = []
    for _ in range(k):
        parts = []
        for c in desc["controls"]:
            n = len(c["labels"])
            if c["kind"] == "pair":
                a, b = sorted((rng.randrange(n), rng.randrange(n)))
                parts.append(f"{a}-{b}")
            else:
                parts.append(str(rng.randrange(n)))
        if desc.get("naming"):
            parts.append(str(rng.randrange(len(desc["naming"]))))
        out.append("|".join(parts))
    return out


def described(name: str) -> dict:
    """``nkteach.live.described(name)``: computed once per test process and shared with the site
    build (the freedom explorer's 4,736 states take tens of seconds); a fresh copy each call."""
    from nkteach.live import described as once

    return once(name)
