/* nkteach course website: draw every chart from the one local plotly.js, and add answer lines
 * (shown only in print) under every exercise. Charts are written into the pages as
 *   <div class="nkteach-plotly" role="img" aria-label="TITLE">
 *     <script type="application/json">{"data": [...], "layout": {...}, "config": {...}}</script>
 *   </div>
 * by scripts/build_site.py (and by the explorers' text/html fallback). Nothing is fetched.
 * Exercise forms check answers with their own inline script (nkteach/templates/exercise_form.js). */
(function () {
  "use strict";

  function drawChart(div) {
    if (div.dataset.nkteachDrawn) { return; }
    var holder = div.querySelector('script[type="application/json"]');
    if (!holder || typeof Plotly === "undefined") { return; }
    var spec;
    try { spec = JSON.parse(holder.textContent); } catch (e) {
      div.setAttribute("data-nkteach-error", "bad figure JSON");
      return;
    }
    // No mode bar: its links would be focusable controls inside an element whose role is img
    // (axe nested-interactive), and a screen reader hides them there anyway. The chart's text
    // summary beside it carries what it shows.
    var config = Object.assign({ displaylogo: false, responsive: true }, spec.config || {},
                               { displayModeBar: false });
    var target = document.createElement("div");
    target.className = "nkteach-plotly-canvas";
    div.appendChild(target);
    div.dataset.nkteachDrawn = "1";
    Plotly.newPlot(target, spec.data || [], spec.layout || {}, config).then(function () {
      watchScroll(div);
    });
  }

  // A chart box that scrolls sideways (narrower than its 608 px chart, nkteach-site.css) takes
  // the keyboard focus, so the arrow keys scroll it; a box without a role of its own (a live
  // explorer's view) is named for what it is. Undone when the box fits again.
  var SCROLL_NAME = "Chart: scroll sideways to see all of it";
  function markScroll(box) {
    var scrolls = getComputedStyle(box).overflowX !== "visible" &&    // narrow screens only
                  box.scrollWidth > box.clientWidth + 1;
    if (scrolls && !box.dataset.nkScroll) {
      box.dataset.nkScroll = box.hasAttribute("role") ? "own-role" : "named";
      box.setAttribute("tabindex", "0");
      if (box.dataset.nkScroll === "named") {
        box.setAttribute("role", "group");
        box.setAttribute("aria-label", SCROLL_NAME);
      }
    } else if (!scrolls && box.dataset.nkScroll) {
      box.removeAttribute("tabindex");
      if (box.dataset.nkScroll === "named") {
        box.removeAttribute("role");
        box.removeAttribute("aria-label");
      }
      delete box.dataset.nkScroll;
    }
  }
  // Marked again when the box changes width (a narrower window, or the dark theme's padding):
  // only attributes change then, never a size, so no resize loop. (A browser without
  // ResizeObserver marks a box when its chart is drawn.)
  var boxWatch = typeof ResizeObserver === "function" ? new ResizeObserver(function (entries) {
    entries.forEach(function (e) { markScroll(e.target); });
  }) : null;
  function watchScroll(box) {
    if (boxWatch && !box.dataset.nkWatched) {
      box.dataset.nkWatched = "1";
      boxWatch.observe(box);
    }
    markScroll(box);
  }
  window.nkteachMarkScroll = watchScroll;

  // Ruled lines to write on, shown only in print, per exercise form (div.nkteach-exercise >
  // form, nkteach.exercises): two for a number (answer and working), one for a multiple choice
  // (the reason) or an ordering; none for the items of a classify exercise (tick a level).
  function linesFor(root) {
    var kind = "";
    try { kind = JSON.parse(root.querySelector("script.nk-seal").textContent).kind || ""; } catch (e) { }
    if ((root.getAttribute("data-ex-id") || "").indexOf("classify:") === 0) { return 0; }
    return kind === "numeric" ? 2 : 1;
  }

  function addAnswerLines(root) {
    var form = root.querySelector("form");
    if (!form || root.querySelector(".nkteach-answer-lines")) { return; }
    var n = linesFor(root);
    if (!n) { return; }
    var lines = document.createElement("div");
    lines.className = "nkteach-answer-lines";
    lines.setAttribute("aria-hidden", "true");
    for (var i = 0; i < n; i++) {
      lines.appendChild(document.createElement("div")).className = "nkteach-answer-line";
    }
    var feedback = form.querySelector(".nk-feedback");
    form.insertBefore(lines, feedback);
  }

  // Maps (folium: an <iframe srcdoc> holding the map page) get what the notebook HTML may lack:
  // a title naming the map (the legend's heading inside it), the text summary printed after it
  // as their description, and a link before them to skip past the map to that summary.
  // nkteach.display adds the title and description itself (when it does, nothing changes here).
  var mapCount = 0;
  // and a visible focus ring on markers and map controls (WCAG 2.4.7), like the site's own
  var MARKER_CSS = ".nk-marker{height:24px!important;margin-top:-12px!important;line-height:24px}" +
                   ".nk-marker .nk-place{line-height:24px}" +
                   ".leaflet-container:focus-visible{outline:3px solid #0b5394!important;outline-offset:-3px}" +
                   ".leaflet-container :focus-visible{outline:3px solid #0b5394!important;outline-offset:2px}";

  function mapTitle(frame) {
    var doc = null;
    try { doc = new DOMParser().parseFromString(frame.getAttribute("srcdoc") || "", "text/html"); }
    catch (e) { doc = null; }
    var h = doc && doc.querySelector(".nk-legend h4");
    var text = h ? h.textContent.replace(/\s+/g, " ").trim() : "";
    return text ? "Map: " + text : "Map";
  }

  function summaryAfter(frame) {
    // a live explorer's map: its explorer's one summary (the timeline's map sits below it)
    var live = frame.closest(".nkteach-live");
    if (live && live.querySelector(".nkl-summary")) { return live.querySelector(".nkl-summary"); }
    // the first text summary after the map, within the same cell's outputs
    var cell = frame.closest(".cell_output, .cell, .jp-Cell-outputWrapper") || document.body;
    var all = cell.querySelectorAll(".nkteach-summary");
    for (var i = 0; i < all.length; i++) {
      if (frame.compareDocumentPosition(all[i]) & Node.DOCUMENT_POSITION_FOLLOWING) { return all[i]; }
    }
    return null;
  }

  // Labelled place markers open their pop-ups: at least 24 px high (WCAG 2.5.8).
  function fitMarkers(frame) {
    var doc = null;
    try { doc = frame.contentDocument; } catch (e) { return; }
    if (!doc || !doc.head || doc.getElementById("nkteach-site-map-css")) { return; }
    var style = doc.createElement("style");
    style.id = "nkteach-site-map-css";
    style.textContent = MARKER_CSS;
    doc.head.appendChild(style);
  }

  function labelMap(frame) {
    if ((frame.getAttribute("srcdoc") || "").indexOf("folium") < 0 &&
        (frame.getAttribute("srcdoc") || "").indexOf("leaflet") < 0) { return; }
    mapCount += 1;
    if (!frame.getAttribute("title")) { frame.setAttribute("title", mapTitle(frame)); }
    var summary = summaryAfter(frame);
    if (summary) {
      if (!summary.id) { summary.id = "nkteach-map-summary-" + mapCount; }
      if (!frame.getAttribute("aria-describedby")) { frame.setAttribute("aria-describedby", summary.id); }
      var box = frame.parentElement && frame.parentElement.parentElement;   // folium's outer div
      var before = box && box.previousElementSibling;
      if (box && !(before && before.classList.contains("nkteach-skip-map"))) {
        var skip = document.createElement("a");
        skip.className = "nkteach-skip-map";
        skip.href = "#" + summary.id;
        skip.textContent = (frame.compareDocumentPosition(summary) & Node.DOCUMENT_POSITION_FOLLOWING)
          ? "Skip past the map to its summary" : "Skip the map: go to its summary, above it";
        box.parentElement.insertBefore(skip, box);
      }
    }
    // folium's "Make this Notebook Trusted" line is for Jupyter only: the site trusts its pages
    var span = frame.previousElementSibling;
    if (span && span.tagName === "SPAN" && /Trust Notebook/.test(span.textContent)) {
      span.setAttribute("hidden", "");
    }
    fitMarkers(frame);
    frame.addEventListener("load", function () { fitMarkers(frame); });
  }

  // pydata-sphinx-theme's buttons whose visible text is not in their accessible name
  // (WCAG 2.5.3 Label in Name). The search button shows "Search Ctrl+K" but is named "Search":
  // it is named by its visible text instead. The colour-mode button's icons carry titles
  // (Light, Dark, System Settings) that are not its name "Color mode": they are decoration
  // (Font Awesome later swaps each <i> for an <svg><title>, so this runs again when it does).
  function quietIcons(button) {
    button.querySelectorAll("i, svg").forEach(function (icon) {
      icon.removeAttribute("title");
      icon.removeAttribute("aria-labelledby");
      icon.setAttribute("aria-hidden", "true");
      icon.querySelectorAll("title").forEach(function (t) { t.remove(); });
    });
  }

  function fixThemeButtons() {
    document.querySelectorAll(".search-button__button").forEach(function (b) {
      if (b.querySelector(".search-button__default-text")) {
        b.removeAttribute("aria-label");
        b.setAttribute("aria-keyshortcuts", "Control+K");
      }
    });
    document.querySelectorAll(".theme-switch-button").forEach(function (b) {
      quietIcons(b);
      if (typeof MutationObserver !== "undefined") {
        new MutationObserver(function () { quietIcons(b); }).observe(b, { childList: true, subtree: true });
      }
    });
  }

  // Live explorers (nkteach-live.js) add their maps later: they label each one the same way.
  window.nkteachLabelMap = labelMap;

  function init() {
    document.querySelectorAll("div.nkteach-plotly").forEach(drawChart);
    document.querySelectorAll(".nkteach-exercise").forEach(addAnswerLines);
    document.querySelectorAll("iframe[srcdoc]").forEach(labelMap);
    fixThemeButtons();
  }

  // Charts drawn on a narrow screen are redrawn to the printed page's width.
  window.addEventListener("beforeprint", function () {
    if (typeof Plotly === "undefined") { return; }
    document.querySelectorAll(".nkteach-plotly-canvas").forEach(function (el) {
      Plotly.Plots.resize(el);
    });
  });

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
