"""Kernel-free exercises: the text/html form of sealed exercises opens the seal in Chromium.

A student copy's exercise cell (sealed by the student build) is run here to get each exercise's
HTML fallback; the page is served from 127.0.0.1 (Web Crypto needs a secure context, and
localhost is one) and answered in headless Chromium. A right answer reveals the explanation,
a wrong one shows the hint or "Not yet" and never the explanation. Under CI=true a missing
Chromium fails the test.
"""
from __future__ import annotations

import functools
import http.server
import threading

import pytest

from tests.conftest import need_module

sync_api = need_module("playwright.sync_api")

from nkteach import exercises as E  # noqa: E402
from nkteach import sealing  # noqa: E402
from tests.support import browser  # noqa: E402

pytestmark = pytest.mark.browser

EVENTS = ["Shusha taken", "Lachin taken", "Kelbajar taken"]
CELL = f'''
mc = ex.multiple_choice("b-mc", "Which lens goes with the elite level?",
    ["realism", "liberalism", "constructivism"], answer="constructivism", also="liberalism",
    why="WHY-MC identity and perception.", citation="002 §II.A.1",
    hint={{"realism": "HINT-MC power is the international level."}})
num = ex.numeric("b-num", "Share choosing war (%)?", answer=677 / 1372 * 100, tolerance=0.005,
                 unit="%", why="WHY-NUM 677 of 1,372.", hint="HINT-NUM add the two war options.")
order = ex.ordering("b-ord", "Put in order", ["Kelbajar taken", "Shusha taken", "Lachin taken"],
                    answer={EVENTS!r}, why="WHY-ORD by date.")
cls = ex.classify("C08", sealed=True)
'''


def _student_forms(reveal=True) -> dict[str, str]:
    sealed = sealing.seal_source(CELL, reveal=reveal)
    assert "WHY-" not in sealed and "HINT-MC" not in sealed
    ns = {"ex": E}
    exec(sealed, ns)
    return {k: ns[k].form_html() for k in ("mc", "num", "order", "cls")}


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    root = tmp_path_factory.mktemp("site")
    E.reset_state()
    forms = _student_forms()
    for name, form in forms.items():
        assert "WHY-" not in form, name           # only ciphertext in the page
        page = ("<!doctype html><html lang='en'><head><meta charset='utf-8'><title>x</title></head>"
                f"<body><main>{form}</main></body></html>")
        (root / f"{name}.html").write_text(page, encoding="utf-8")
    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    handler = functools.partial(Quiet, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    t = threading.Thread(target=server.serve_forever, daemon=True)
    t.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()
    t.join(5)


@pytest.fixture(scope="module")
def page(site):
    with sync_api.sync_playwright() as p:
        b = browser.launch(p)
        ctx = b.new_context()
        browser.install_offline_routes(ctx)
        pg = ctx.new_page()
        errors: list[str] = []
        pg.on("pageerror", lambda e: errors.append(str(e)))
        pg.errors = errors
        yield pg
        ctx.close()
        b.close()


def _feedback(pg) -> str:
    pg.wait_for_function("document.querySelector('.nk-feedback').textContent.length > 0")
    text = pg.locator(".nk-feedback").inner_text()
    pg.evaluate("document.querySelector('.nk-feedback').textContent = ''")
    return text


def test_multiple_choice_form(page, site):
    page.goto(f"{site}/mc.html")
    page.get_by_label("realism").check()
    page.get_by_role("button", name="Check").click()
    wrong = _feedback(page)
    assert wrong.startswith("✘ Not yet.") and "HINT-MC" in wrong and "WHY-MC" not in wrong
    page.get_by_label("liberalism").check()
    page.get_by_role("button", name="Check").click()
    also = _feedback(page)
    assert also.startswith("◐ Also defensible.") and "main answer is constructivism" in also
    # keyboard only: focus the right option, select it, submit with Enter
    page.get_by_label("constructivism").focus()
    page.keyboard.press("Space")
    page.keyboard.press("Enter")
    right = _feedback(page)
    assert right.startswith("✔ Correct.") and "WHY-MC identity" in right and "002 §II.A.1" in right
    assert page.locator(".nk-feedback").get_attribute("aria-live") == "polite"
    assert not page.errors, page.errors


def test_numeric_form_with_decimal_comma_and_reveal(page, site):
    page.goto(f"{site}/num.html")
    box = page.get_by_label("Your answer (%)")
    for typed in ("51", "49,2", "12 %"):
        box.fill(typed)
        box.press("Enter")
        wrong = _feedback(page)
        assert "Not yet" in wrong and "HINT-NUM" in wrong and "WHY-NUM" not in wrong
    reveal = page.get_by_role("button", name="Show the answer")
    assert reveal.is_visible()                    # after three wrong tries
    reveal.click()
    shown = _feedback(page)
    assert "49.34%" in shown and "WHY-NUM" in shown
    box.fill("49,34 %")
    box.press("Enter")
    assert "✔ Correct." in _feedback(page)
    box.fill("")
    box.press("Enter")
    assert "Not answered" in _feedback(page)
    assert not page.errors, page.errors


def test_ordering_form(page, site):
    page.goto(f"{site}/order.html")
    for pos, item in ((1, "Lachin taken"), (2, "Shusha taken"), (3, "Kelbajar taken")):
        page.get_by_label(item).select_option(str(pos))
    page.get_by_role("button", name="Check").click()
    wrong = _feedback(page)
    assert "Not yet" in wrong and "1 of 3" in wrong and "WHY-ORD" not in wrong
    for pos, item in enumerate(EVENTS, 1):
        page.get_by_label(item).select_option(str(pos))
    page.get_by_role("button", name="Check").click()
    assert "✔ Correct." in (right := _feedback(page)) and "WHY-ORD" in right
    assert not page.errors, page.errors


def test_classify_form(page, site):
    from nkteach import load

    why = load("statements").set_index("item_id").loc["C08", "justification"]
    page.goto(f"{site}/cls.html")
    page.get_by_label("International").check()
    page.get_by_role("button", name="Check").click()
    assert why not in _feedback(page)
    page.get_by_label("Elite").check()
    page.get_by_role("button", name="Check").click()
    assert why[:40] in _feedback(page)
    assert not page.errors, page.errors


def test_no_reveal_form_never_offers_the_answer():
    forms = _student_forms(reveal=False)
    assert all('"reveal_key"' not in f for f in forms.values())
    assert all('"reveal_key"' in f for f in _student_forms().values())


TRICKY = ["İstanbul ΟΔΟΣ", "Straße ﬁnal", "Ａｒｍｅｎｉａ  and\tAzerbaijan", "Linkage (elite → nation)"]


def test_browser_and_python_normalise_alike(site, page):
    """Each tricky option, chosen in the browser, opens the seal Python made from it: the two
    implementations of docs/sealing.md normalise (NFKC, lower case, spaces) identically."""
    E.reset_state()
    for i, opt in enumerate(TRICKY):
        others = [o for o in TRICKY if o != opt]
        sealed = sealing.seal_source(
            f"mc = ex.multiple_choice('t-{i}', 'Q', {TRICKY!r}, answer={opt!r}, why='WHY-{i}')",
            reveal="after-tries")
        ns = {"ex": E}
        exec(sealed, ns)
        assert ns["mc"].check(opt).correct
        html_page = f"<!doctype html><html lang='en'><body>{ns['mc'].form_html()}</body></html>"
        page.goto(f"{site}/mc.html")            # a page of the local site, then replace its body
        page.set_content(html_page)
        # set_content keeps the secure origin of the site page
        assert page.evaluate("window.isSecureContext")
        page.get_by_label(others[0], exact=True).check()
        page.get_by_role("button", name="Check").click()
        assert "Not yet" in _feedback(page)
        page.get_by_label(opt, exact=True).check()
        page.get_by_role("button", name="Check").click()
        assert f"WHY-{i}" in _feedback(page), opt
    assert not page.errors, page.errors


def test_numbers_typed_the_european_way(site, page):
    E.reset_state()
    sealed = sealing.seal_source("n = ex.numeric('t-eu', 'Q', answer=1234.5, tolerance=0.05, "
                                 "unit='km', why='WHY-EU')", reveal="after-tries")
    ns = {"ex": E}
    exec(sealed, ns)
    page.goto(f"{site}/mc.html")
    page.set_content(f"<!doctype html><html lang='en'><body>{ns['n'].form_html()}</body></html>")
    box = page.get_by_label("Your answer (km)")
    for typed in ("1 234,5", "1234,5 km", "1,234.5", " 1234.5 "):
        assert ns["n"].check(typed).correct, typed
        box.fill(typed)
        box.press("Enter")
        assert "WHY-EU" in _feedback(page), typed
    assert not page.errors, page.errors
