"""Page output with one owner: escaping text for HTML and serialising JSON for ``<script>``.

Every module that writes HTML (display, mapkit, maps, exercises, the progress panel, the
gradebook report, the site build) escapes through these functions, so one rule decides what
data text can do inside a page. Standard library only: this module sits on the ground floor.
"""
from __future__ import annotations

import html as _html
import json
from typing import Any

__all__ = ["html_text", "html_attr", "script_json", "js_safe_text"]

# What a JSON string could otherwise do inside <script>: "</script>" ends the element, "<!--"
# opens an HTML comment, and U+2028/U+2029 end a line in older JavaScript parsers.
_SCRIPT_ESCAPES = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026",
                   "\u2028": "\\u2028", "\u2029": "\\u2029"}


def html_text(value: Any) -> str:
    """``value`` as HTML text or a double- or single-quoted attribute value (``None`` → "")."""
    return _html.escape("" if value is None else str(value), quote=True)


def html_attr(value: Any) -> str:
    """The same as :func:`html_text`; named for readability where an attribute is written."""
    return html_text(value)


def js_safe_text(value: Any) -> str:
    """HTML-escaped text that is also inert inside a JavaScript template literal or a Jinja
    template (`` ` $ \\ { }`` become entities): for data text that passes through folium's
    templates on its way into a map page."""
    s = html_text(value)
    for ch, ent in (("`", "&#96;"), ("$", "&#36;"), ("\\", "&#92;"), ("{", "&#123;"), ("}", "&#125;")):
        s = s.replace(ch, ent)
    return s


def script_json(obj: Any, *, compact: bool = True, ascii_only: bool = False) -> str:
    """``obj`` as JSON that is safe inside ``<script type="application/json">`` or inline code:
    no ``</script>``, ``<!--`` or line separator can appear in the output."""
    text = json.dumps(obj, separators=(",", ":") if compact else None, ensure_ascii=ascii_only,
                      allow_nan=False)
    for ch, esc in _SCRIPT_ESCAPES.items():
        text = text.replace(ch, esc)
    return text
