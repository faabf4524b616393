"""``nkteach export-html`` and :mod:`nkteach.editions.export` without a browser: what the page
holds, and the command's errors (tests/test_export_browser.py opens an exported lesson)."""
from __future__ import annotations

import json
import re

import pytest

from nkteach.cli import main
from nkteach.editions import export

pytest.importorskip("nbconvert")


def _nb(outputs: list[dict]) -> dict:
    return {"nbformat": 4, "nbformat_minor": 5, "metadata": {"widgets": {"x": {}}},
            "cells": [{"id": "md", "cell_type": "markdown", "metadata": {},
                       "source": ["# A lesson\n", "Text."]}]
            + [{"id": f"c{i}", "cell_type": "code", "metadata": {}, "source": "", "execution_count": 1,
                "outputs": [{"output_type": "display_data", "metadata": {}, "data": o}]}
               for i, o in enumerate(outputs)]}


def _write(path, outputs=None):
    path.write_text(json.dumps(_nb(outputs if outputs is not None else [{"text/plain": "1"}])))
    return path


@pytest.fixture(scope="module")
def page() -> tuple:
    import plotly.graph_objects as go

    from nkteach import widgets
    from nkteach.display import mime_bundle
    from nkteach.live import SITES

    shown = [widgets.naming_toggle()._repr_mimebundle_(),
             widgets.military_expenditure_explorer()._repr_mimebundle_(),
             {export.WIDGET_MIME: {"model_id": "m", "version_major": 2, "version_minor": 0},
              "text/plain": "VBox()"},
             mime_bundle(go.Figure(layout={"title": {"text": "A <b>test</b> chart"}}))]
    nb = _nb([dict(b) for b in shown])
    with pytest.MonkeyPatch.context() as mp:     # every explorer is live: one stands for a frozen one
        mp.delitem(SITES, "military_expenditure_explorer")
        return export.export_html(nb, name="lesson")


def test_live_frozen_and_widget_outputs(page):
    body, counts, live, frozen = page
    assert live == ["naming_toggle"] and frozen == ["military_expenditure_explorer"]
    assert counts == {"charts": 1, "live": 1, "fallbacks": 1, "widget_notes": 1, "frozen": 1}
    # (nbconvert writes the outputs' HTML again, attributes sorted)
    assert re.search(r'<div class="nkteach-live" [^>]*data-explorer="naming_toggle"', body)
    assert not re.search(r'<div class="nkteach-live" [^>]*\sdata-src=', body)   # nothing to fetch:
    assert re.search(r'<script class="nkl-data" type="application/json">\{', body)   # states inline
    assert '<div class="nkteach-explorer-static" data-explorer="military_expenditure_explorer"' in body
    assert "Interactive control: it works in the live lesson" in body
    assert re.search(r'<div aria-label="A test chart" class="nkteach-plotly" role="img">', body)
    assert "application/vnd.jupyter.widget" not in body      # no widget state or manager


def test_the_page_needs_nothing_from_outside(page):
    body = page[0]
    assert re.search(r"<(script|link|img|iframe)\b[^>]*\b(src|href)=", body) is None
    files = export.site_assets()
    # each file once, inline; no inline script ends early (every <script> has its own </script>)
    for name in ("plotly.min.js", "nkteach-live.js", "nkteach-site.js"):
        head = files[name].read_text(encoding="utf-8")[:300]
        assert body.count(export._inline_script(head)) == 1, name
    assert len(re.findall(r"<script\b", body)) == len(re.findall(r"</script>", body))


def test_live_markup_rule():
    first = '<div class="nkteach-explorer-static" data-explorer="freedom_explorer"><h4>T</h4></div>'
    assert export.live_markup(first, lambda n, a: f"<live {n} {a}>") == "<live freedom_explorer {}>"
    assert export.live_markup(first, lambda n, a: None) is None
    assert export.live_markup("<p>not an explorer</p>", lambda n, a: "x") is None


def test_cli_writes_and_refuses_to_overwrite(tmp_path, capsys):
    nb = _write(tmp_path / "01-a.ipynb")
    assert main(["export-html", str(nb)]) == 0
    out = tmp_path / "01-a.html"
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert f"wrote {out}" in capsys.readouterr().out
    out.write_text("mine")
    assert main(["export-html", str(nb)]) == 2
    err = capsys.readouterr().err
    assert str(out) in err and "exists" in err and "--force" in err
    assert out.read_text() == "mine"
    assert main(["export-html", str(nb), "--force"]) == 0
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_cli_never_writes_through_a_symlink(tmp_path, capsys):
    nb = _write(tmp_path / "01-a.ipynb")
    victim = tmp_path / "victim.html"
    victim.write_text("keep")
    link = tmp_path / "out.html"
    link.symlink_to(victim)
    for extra in ([], ["--force"]):
        assert main(["export-html", str(nb), "-o", str(link), *extra]) == 2
        assert "symbolic link" in capsys.readouterr().err
    assert victim.read_text() == "keep" and link.is_symlink()


@pytest.mark.parametrize("case, words", [
    ("missing", ["no such notebook"]),
    ("folder", ["folder"]),
    ("not json", ["not valid JSON"]),
    ("not a notebook", ["not a Jupyter notebook"]),
    ("no outputs", ["no outputs", "--run"]),
    ("bad output name", ["out must be an .html file", "out.txt"]),
    ("output folder missing", ["does not exist"]),
])
def test_cli_errors_name_the_file_and_the_problem(tmp_path, capsys, case, words):
    nb = tmp_path / "01-a.ipynb"
    args = [str(nb)]
    if case == "folder":
        nb.mkdir()
    elif case == "not json":
        nb.write_text("{not json")
    elif case == "not a notebook":
        nb.write_text('{"cells": "no"}')
    elif case == "no outputs":
        _write(nb, outputs=[])
    elif case == "bad output name":
        _write(nb)
        args += ["-o", str(tmp_path / "out.txt")]
    elif case == "output folder missing":
        _write(nb)
        args += ["-o", str(tmp_path / "nowhere" / "out.html")]
    before = sorted(p.name for p in tmp_path.iterdir())
    assert main(["export-html", *args]) == 2
    err = capsys.readouterr().err
    assert err.startswith("nkteach export-html: error:"), err
    for w in words:
        assert w in err, (w, err)
    assert sorted(p.name for p in tmp_path.iterdir()) == before      # nothing written


def test_an_explorer_built_with_arguments_is_live_in_that_form():
    """Lesson 10 shows the timeline without its map (``with_map=False``): the first view names the
    argument, and the live version is built with it (no map, no "Map:" in the summary)."""
    from nkteach import widgets

    view = widgets.timeline_explorer(with_map=False, tiles=None).static_html()
    assert 'data-explorer-args="{&quot;with_map&quot;: false}"' in view
    calls = []
    export.live_markup(view, lambda name, args: calls.append((name, args)))
    assert calls == [("timeline_explorer", {"with_map": False})]
    markup_for, live, _ = export._live_maker()
    page = export.live_markup(view, markup_for)
    desc = json.loads(re.search(r'class="nkl-data">(.*?)</script>', page, re.S).group(1))
    assert desc["args"] == {"with_map": False} and "maps" not in desc
    assert "Map:" not in re.search(r'class="nkl-summary[^>]*>(.*?)</div>', page).group(1)
    assert 'data-explorer-args="{&quot;with_map&quot;: false}"' in page
    full = widgets.timeline_explorer(tiles=None).static_html()
    assert "data-explorer-args" not in full


@pytest.mark.parametrize("attr", ['{"tiles": "X"}', '{"with_map": "no"}', "[1]", "{not json"])
def test_explorer_arguments_outside_the_allowed_are_refused(attr):
    import html

    view = f'<div class="nkteach-explorer-static" data-explorer="timeline_explorer" ' \
           f'data-explorer-args="{html.escape(attr)}">'
    with pytest.raises(export.ExportError, match="data-explorer-args"):
        export.live_markup(view, lambda name, args: "")
